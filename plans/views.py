"""A child's plans and assessments in the browser: the list by kind, recording and changing
one, and its document.

Every page: the child first (404 for a child the user may not see, the same page a
missing one answers), then whose step it is (403): the child's social worker or personal
adviser, or a team or service manager who sees the child, records and changes plans
(``services.may_record``); anyone else who sees the child (the IRO) reads them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from core.middleware import takes_upload
from core.pages import handle_form, posted
from placements.access import log_access, log_restricted_view
from placements.models import AccessLog
from placements.selectors import child_for

from . import documents, selectors, services
from .forms import PlanForm
from .models import PlanKind

#: Room in a plan form's body for everything but the document (the summary at most 2,000
#: characters, the other fields and the multipart framing).
FORM_ALLOWANCE = 256 * 1024


def _upload_limit() -> int:
    return settings.PLAN_ATTACHMENT_MAX_BYTES + FORM_ALLOWANCE


def _page_url(child_id: int) -> str:
    return reverse("plans:child_plans", kwargs={"pk": child_id})


def _fmt(d) -> str:
    return f"{d.day} {d:%B %Y}"


def child_plans(request, pk: int):
    child = child_for(request.user, pk)
    log_restricted_view(request, child)
    plans = selectors.child_plans(child)
    changes = selectors.latest_changes([plan.pk for plan in plans])
    due = selectors.next_due(child)
    kinds = [
        {
            "value": value,
            "label": label,
            "plans": [plan for plan in plans if plan.kind == value],
            "due": next((d for d in due if d.kind == value), None),
        }
        for value, label in PlanKind.choices
    ]
    for plan in plans:
        plan.change = changes.get(plan.pk)
    return render(
        request,
        "plans/child_plans.html",
        {
            "child": child,
            "today": timezone.localdate(),
            "kinds": kinds,
            "next_due": due,
            "can_record": services.may_record(request.user, child),
        },
    )


def _form_page(request, form, *, child, heading, plan=None):
    return render(
        request,
        "plans/plan_form.html",
        {
            "form": form,
            "child": child,
            "heading": heading,
            "plan": plan,
            "history": selectors.plan_history(plan) if plan is not None else [],
            "back_url": _page_url(child.pk),
        },
    )


def _done(plan) -> str:
    return f"{PlanKind(plan.kind).label} completed on {_fmt(plan.completed_on)} saved."


@takes_upload(_upload_limit)
def plan_new(request, child_pk: int):
    child = child_for(request.user, child_pk)
    if not services.may_record(request.user, child):
        raise PermissionDenied
    today = timezone.localdate()
    form = PlanForm(
        posted(request),
        request.FILES if request.method == "POST" else None,
        child=child,
        today=today,
        initial={
            "completed_by_name": request.user.get_full_name(),
            **({"kind": kind} if (kind := request.GET.get("kind")) in PlanKind.values else {}),
        },
    )
    return handle_form(
        request,
        form,
        lambda data: services.plan_record(
            child=child, data=form.plan_input(), actor=request.user, today=today
        ),
        done=_done,
        to=_page_url(child.pk),
        page=lambda form: _form_page(
            request, form, child=child, heading="Record a plan or assessment"
        ),
    )


@takes_upload(_upload_limit)
def plan_edit(request, pk: int):
    plan = selectors.plan_for(request.user, pk)
    child = plan.child
    if not services.may_record(request.user, child):
        raise PermissionDenied
    today = timezone.localdate()
    form = PlanForm(
        posted(request),
        request.FILES if request.method == "POST" else None,
        child=child,
        today=today,
        plan=plan,
        replacing=bool(plan.attachment),
    )
    return handle_form(
        request,
        form,
        lambda data: services.plan_change(
            plan=plan, data=form.plan_input(), actor=request.user, today=today
        ),
        done=_done,
        to=_page_url(child.pk),
        page=lambda form: _form_page(
            request,
            form,
            child=child,
            plan=plan,
            heading=f"Change the record: {PlanKind(plan.kind).label}, {_fmt(plan.completed_on)}",
        ),
    )


def plan_document(request, pk: int):
    """The plan's document, to whoever may see the child: always a download (never shown
    in the browser, never from MEDIA_URL), with the type it was checked to be."""
    plan = selectors.plan_for(request.user, pk)
    if not plan.attachment:
        raise Http404("No document")
    try:
        # At most PLAN_ATTACHMENT_MAX_BYTES: read whole, so the answer has its length.
        with plan.attachment.open("rb") as handle:
            content = handle.read()
    except (FileNotFoundError, OSError):
        raise Http404("The document is missing from storage") from None
    log_access(
        request, AccessLog.Action.EXPORT, child=plan.child, detail=f"Plan document {plan.pk}"
    )
    response = HttpResponse(
        content, content_type=plan.attachment_type or "application/octet-stream"
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=documents.safe_name(plan.attachment_name or "document")
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
