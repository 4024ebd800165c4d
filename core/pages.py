"""Small pieces every app's views share."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render


def form_page(
    request,
    form,
    *,
    heading: str,
    caption: str = "",
    back_url: str = "",
    template: str = "placements/_form_page.html",
    **extra,
):
    """A one-form GOV.UK page: error summary, caption, heading, the crispy form."""
    context = {"form": form, "heading": heading, "caption": caption, "back_url": back_url}
    return render(request, template, {**context, **extra})


def add_service_errors(form, invalid: ValidationError) -> None:
    """Put a service's ValidationError beside the form's fields (or atop it, for others,
    and for an error that names no field at all)."""
    if not hasattr(invalid, "error_dict"):
        form.add_error(None, invalid.messages)
        return
    for field, errors in invalid.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def posted(request):
    """The form data of a POST, even an empty one, so that an empty POST is validated (and
    explained) rather than shown as a fresh form; None for any other method."""
    return request.POST if request.method == "POST" else None


def require_role(user, roles) -> None:
    """403 unless the user's role is one of ``roles``."""
    if user.role not in roles:
        raise PermissionDenied
