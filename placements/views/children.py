"""A child's record: the list of children, the record (and its PDF), the allocation."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from core.exports import csv_response, pdf_response
from core.pages import form_page, handle_form, paginate, posted, require_role, wants_csv

from .. import codes, pages, selectors, services
from ..access import log_access, log_restricted_view
from ..filters import ChildFilter
from ..forms import AllocationForm
from ..models import AccessLog, Placement
from .labels import provision_label, rating_label
from .roles import ALLOCATING_ROLES, CHILD_LIST_ROLES, PLACING_ROLES


def child_list(request):
    require_role(request.user, CHILD_LIST_ROLES)
    today = timezone.localdate()
    filterset = ChildFilter(
        request.GET or None, queryset=selectors.children_list(request.user, today)
    )
    children = filterset.qs.order_by("last_name", "first_name", "pk")
    if wants_csv(request):
        log_access(request, AccessLog.Action.EXPORT, detail="Children list CSV")
        return csv_response(
            f"children-{today:%Y-%m-%d}.csv",
            [
                "child",
                "name",
                "date_of_birth",
                "age",
                "team",
                "social_worker",
                "iro",
                "setting",
                "urn",
                "provision_type",
                "rating",
                "placed_since",
                "legal_status",
            ],
            children.iterator(chunk_size=2000),
            lambda c: [
                c.child_id,
                c.name,
                c.date_of_birth.isoformat(),
                c.age_on(today),
                c.team or "",
                c.social_worker or "",
                c.iro or "",
                c.current_setting_name or "",
                c.current_setting_urn or "",
                provision_label(c.current_provision_type),
                rating_label(c.current_rating),
                c.current_decom.isoformat() if c.current_decom else "",
                c.current_ls or "",
            ],
        )
    page, query = paginate(request, children)
    return render(
        request,
        "placements/child_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query,
            "today": today,
            "can_register": request.user.role in services.REGISTERING_ROLES,
        },
    )


def _legal_status_history(placements: list[Placement]) -> list[dict]:
    """Periods of one legal status, from the episodes (a change of LS starts a new episode)."""
    periods: list[dict] = []
    for placement in placements:
        if periods and periods[-1]["code"] == placement.ls:
            periods[-1]["to"] = placement.dec
            continue
        periods.append(
            {
                "code": placement.ls,
                "label": codes.LS.get(placement.ls, placement.ls),
                "from": placement.decom,
                "to": placement.dec,
            }
        )
    return periods


def _child_context(request, pk: int) -> dict:
    child = selectors.child_for(request.user, pk)
    log_restricted_view(request, child)
    today = timezone.localdate()
    placements = list(
        child.placements.select_related(
            "setting", "setting__provider", "guard_override_by", "director_authorised_by"
        ).order_by("decom", "pk")
    )
    current = next((p for p in reversed(placements) if p.is_current(today)), None)
    # Concerns are recorded only on an unregistered placement (seed 000): read them only
    # for such a current placement, so every other record costs no query for them.
    unregistered = current is not None and current.is_unregistered
    return {
        "child": child,
        "age": child.age_on(today),
        "today": today,
        "current": current,
        "placements": placements,
        "timeline": list(reversed(placements)),
        "legal_statuses": _legal_status_history(placements),
        "can_place": request.user.role in PLACING_ROLES,
        "can_allocate": request.user.role in ALLOCATING_ROLES,
        # Concerns about an unregistered placement (seed 000: the IRO then visits within
        # 2 weeks).
        "can_record_concerns": unregistered and request.user.role in services.CONCERN_ROLES,
        "current_concerns": (
            list(current.concerns.select_related("recorded_by")) if unregistered else []
        ),
        # What the workflows add: the child's visits, escalations (placements.pages).
        "links": pages.child_links(request.user, child),
    }


def child_detail(request, pk: int):
    require_role(request.user, CHILD_LIST_ROLES)
    context = _child_context(request, pk)
    # Plans, health, education and reviews, as the workflows record them
    # (placements.pages: each source reads a fixed number of queries).
    context["child_timeline"] = pages.child_timeline(
        request.user, context["child"], context["today"]
    )
    return render(request, "placements/child_detail.html", context)


def child_pdf(request, pk: int):
    require_role(request.user, CHILD_LIST_ROLES)
    context = _child_context(request, pk)
    context["printed_at"] = timezone.localtime()
    context["printed_by"] = request.user
    return pdf_response(
        request,
        "placements/child_record_pdf.html",
        context,
        f"child-{context['child'].child_id}.pdf",
    )


def child_allocate(request, pk: int):
    require_role(request.user, ALLOCATING_ROLES)
    child = selectors.child_for(request.user, pk)
    back = reverse("placements:child", kwargs={"pk": child.pk})
    return handle_form(
        request,
        AllocationForm(posted(request), instance=child),
        lambda data: services.child_allocate(
            child=child,
            actor=request.user,
            social_worker=data["social_worker"],
            personal_adviser=data["personal_adviser"],
            iro=data["iro"],
            restricted=data["restricted"],
        ),
        done="Allocation saved.",
        to=back,
        page=lambda form: form_page(
            request, form, heading="Change allocation", caption=child.name, back_url=back
        ),
    )
