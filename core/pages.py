"""Small pieces every app's views share."""

from django.core.exceptions import ValidationError
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
    """Put a service's ValidationError beside the form's fields (or atop it, for others)."""
    for field, errors in invalid.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def posted(request):
    """The form data of a POST, even an empty one, so that an empty POST is validated (and
    explained) rather than shown as a fresh form; None for any other method."""
    return request.POST if request.method == "POST" else None
