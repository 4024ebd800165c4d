"""Small pieces every app's views share."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

#: Rows on a page of any list.
PAGE_SIZE = 50


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


def handle_form(
    request,
    form,
    save: Callable,
    *,
    done: Callable | str,
    to: Callable | str,
    page: Callable,
    refused: tuple[type[Exception], ...] = (),
    on_refused: Callable | None = None,
):
    """The one sequence of a form page: on a valid POST, ``save(form.cleaned_data)`` (a
    service call); a ValidationError it raises goes beside the fields (or atop the form)
    and nothing is saved; otherwise the message ``done`` and a redirect to ``to`` (a URL,
    or ``to(result)`` of what ``save`` returned). Anything else (a GET, an invalid form)
    answers ``page(form)``. ``refused``: exceptions for ``on_refused(exc)`` to answer (a
    record finalised meanwhile).

    ``done`` may also be ``done(result)``, for a message that tells what was saved (a
    name, a date the service worked out); an empty message flashes nothing."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        except refused as exc:
            assert on_refused is not None
            return on_refused(exc)
        else:
            message = done(result) if callable(done) else done
            if message:
                messages.success(request, message)
            return redirect(to(result) if callable(to) else to)
    return page(form)


class CountedPaginator(Paginator):
    """A paginator told its count (kept by ``core.count_cache``), so that it does not run
    a COUNT(*) over the whole list on every page."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count


def paginate(request, queryset, count: int | None = None, *, per_page: int = PAGE_SIZE):
    """A page of ``queryset`` and the query string without its page; ``count``, when
    known, saves the paginator its COUNT(*)."""
    paginator = (
        Paginator(queryset, per_page)
        if count is None
        else CountedPaginator(queryset, per_page, count=count)
    )
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def wants_csv(request) -> bool:
    """The list's "Download as CSV" link (``?format=csv``)."""
    return request.GET.get("format") == "csv"
