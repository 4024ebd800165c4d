"""Recording visits on the Purposeful Visiting Form: list, start, edit, finish, amend, PDF.

Every page needs the child to be one the user may see (a visit of any other child is
a 404, which says nothing about why); the role decides which kinds of visit a user
may record, and only a draft's visitor (or their line manager) may change it.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.exports import csv_response, pdf_response
from core.pages import handle_form, paginate, posted, require_role, wants_csv
from placements.access import log_restricted_view
from placements.models import Child
from placements.selectors import child_for

from . import pvf_review as review
from . import recording, services
from .forms import AmendForm, PvfReviewForm, RecordVisitForm, VisitForm
from .models import PvfReview, Visit, VisitKind
from .selectors import NOT_SEEN_ALONE_ROLES, not_seen_alone_for, visit_for

DRAFT_SAVED_SESSION_KEY = "visits:draft-saved"


def _draft_key(request, visit: Visit) -> str:
    # One copy a visit and a user, so two people's typing never mixes on a shared machine.
    return f"visit-{visit.pk}-user-{request.user.pk}"


def _epoch_ms(moment) -> int:
    return int(moment.timestamp() * 1000)


def _list_page(request, child: Child, form: RecordVisitForm | None, status: int = 200):
    visits = child.visits.order_by(F("visited_at").desc(nulls_first=True), "-pk")
    return render(
        request,
        "visits/visit_list.html",
        {"child": child, "visits": visits, "form": form},
        status=status,
    )


def visit_list(request, child_pk: int):
    child = child_for(request.user, child_pk)
    log_restricted_view(request, child)
    kinds = services.kinds_recordable_by(request.user)
    return _list_page(request, child, RecordVisitForm(kinds=kinds) if kinds else None)


@require_POST
def visit_new(request, child_pk: int):
    child = child_for(request.user, child_pk)
    kind = request.POST.get("kind", "")
    if kind in VisitKind.values and not services.may_record(request.user, kind):
        raise PermissionDenied
    kinds = services.kinds_recordable_by(request.user)
    if not kinds:
        raise PermissionDenied
    return handle_form(
        request,
        RecordVisitForm(request.POST, kinds=kinds),
        lambda data: services.visit_start(
            child=child, kind=data["kind"], actor=request.user, now=timezone.now()
        ),
        done="",  # the form of the new visit is the answer
        to=lambda visit: reverse("visits:visit_edit", kwargs={"pk": visit.pk}),
        page=lambda form: _list_page(request, child, form),
    )


def visit_detail(request, pk: int):
    visit = visit_for(request.user, pk)
    log_restricted_view(request, visit.child)
    amendment = Visit.objects.filter(supersedes=visit).only("pk", "status", "finished_at").first()
    return render(
        request,
        "visits/visit_detail.html",
        {
            "visit": visit,
            "child": visit.child,
            "documents": visit.documents,
            "amendment": amendment,
            "can_edit": services.may_edit(request.user, visit),
            "can_amend": services.may_amend(request.user, visit),
            "draft_key": _draft_key(request, visit),
            # 000_… line 137: the IRO reviews the social worker's form.
            "iro_review": (
                PvfReview.objects.filter(visit=visit).select_related("reviewed_by").first()
                if visit.kind in review.FORM_KINDS and visit.status != Visit.Status.DRAFT
                else None
            ),
            "can_review": (
                visit.status == Visit.Status.FINISHED and review.may_review(request.user, visit)
            ),
        },
    )


def _edit_page(request, visit: Visit, form: VisitForm, *, draft_clear: bool, status=200):
    return render(
        request,
        "visits/visit_form.html",
        {
            "visit": visit,
            "child": visit.child,
            "form": form,
            "draft_key": _draft_key(request, visit),
            "saved_at_ms": _epoch_ms(visit.updated_at),
            "server_now_ms": _epoch_ms(timezone.now()),
            "draft_clear": draft_clear,
        },
        status=status,
    )


def visit_edit(request, pk: int):
    visit = visit_for(request.user, pk)
    log_restricted_view(request, visit.child)
    if visit.status != Visit.Status.DRAFT:
        messages.info(
            request, "This visit is finished, so it cannot be changed. Amend it to correct it."
        )
        return redirect("visits:visit", pk=visit.pk)
    if not services.may_edit(request.user, visit):
        raise PermissionDenied
    if request.method != "POST":
        saved = request.session.pop(DRAFT_SAVED_SESSION_KEY, None) == visit.pk
        return _edit_page(request, visit, VisitForm(visit=visit), draft_clear=saved)

    form = VisitForm(request.POST, visit=visit)
    valid = form.is_valid()
    try:
        # Whatever is valid is saved first, so nothing typed is lost to a failed check.
        visit = services.visit_save_draft(visit=visit, data=form.visit_data(), actor=request.user)
    except services.VisitLocked:
        # Finished meanwhile (a second click on "Finish and sign"): show what was kept.
        messages.info(request, "This visit is already finished and signed.")
        return redirect("visits:visit", pk=visit.pk)
    if not valid:
        messages.info(request, "Your draft was saved, apart from the answers marked below.")
        return _edit_page(request, visit, form, draft_clear=False)
    if request.POST.get("action") != "finish":
        request.session[DRAFT_SAVED_SESSION_KEY] = visit.pk
        messages.success(request, "Draft saved. You can come back and finish it later.")
        return redirect("visits:visit_edit", pk=visit.pk)
    try:
        visit = services.visit_finish(
            visit=visit, data=form.visit_data(), actor=request.user, now=timezone.now()
        )
    except services.VisitLocked:
        messages.info(request, "This visit is already finished and signed.")
        return redirect("visits:visit", pk=visit.pk)
    except ValidationError as invalid:
        form.add_service_errors(invalid.message_dict)
        visit.refresh_from_db()
        messages.info(
            request, "Your answers are saved as a draft. Answer the questions marked to finish."
        )
        return _edit_page(request, visit, form, draft_clear=True)
    messages.success(request, "Visit finished and signed.")
    if visit.escalate_to_line_manager:
        manager = services.line_manager_of(visit)
        if manager is not None:
            messages.success(request, f"{manager} has been told, as your line manager.")
        else:
            messages.warning(
                request,
                "No line manager is recorded for the visitor, so nobody has been told "
                "automatically: tell your manager about this visit yourself.",
            )
    return redirect("visits:visit", pk=visit.pk)


def visit_amend(request, pk: int):
    visit = visit_for(request.user, pk)
    log_restricted_view(request, visit.child)
    under_way = Visit.objects.filter(supersedes=visit, status=Visit.Status.DRAFT).first()
    if under_way is not None and services.may_edit(request.user, under_way):
        return redirect("visits:visit_edit", pk=under_way.pk)
    if visit.status != Visit.Status.FINISHED:
        messages.info(request, "Only the latest finished version of a visit can be amended.")
        return redirect("visits:visit", pk=visit.pk)
    if not services.may_amend(request.user, visit):
        raise PermissionDenied
    return handle_form(
        request,
        AmendForm(posted(request)),
        lambda data: services.visit_amend(visit=visit, reason=data["reason"], actor=request.user),
        done=(
            "Amendment started: change what needs correcting, then finish and sign it. "
            "The earlier version is kept."
        ),
        to=lambda amendment: reverse("visits:visit_edit", kwargs={"pk": amendment.pk}),
        page=lambda form: render(
            request,
            "visits/visit_amend.html",
            {
                "visit": visit,
                "child": visit.child,
                "form": form,
                "back_url": reverse("visits:visit", kwargs={"pk": visit.pk}),
            },
        ),
    )


def visit_pdf(request, pk: int):
    visit = visit_for(request.user, pk)
    log_restricted_view(request, visit.child)
    when = timezone.localtime(visit.visited_at) if visit.visited_at else None
    filename = (
        f"visit-{visit.child.child_id}-{when:%Y-%m-%d}-{visit.pk}.pdf"
        if when
        else (f"visit-{visit.child.child_id}-draft-{visit.pk}.pdf")
    )
    return pdf_response(
        request,
        "visits/visit_pdf.html",
        {
            "visit": visit,
            "child": visit.child,
            "documents": visit.documents,
            "printed_at": timezone.localtime(),
            "printed_by": request.user,
        },
        filename,
    )


def not_seen_alone(request):
    """Team and service managers: their teams' statutory visits at which the child was not
    seen alone, with the reason recorded (003 10.10)."""
    require_role(request.user, NOT_SEEN_ALONE_ROLES)
    page, query = paginate(request, not_seen_alone_for(request.user))
    for visit in page:
        log_restricted_view(request, visit.child)
    return render(request, "visits/not_seen_alone.html", {"page": page, "query": query})


def pvf_review(request, pk: int):
    """The child's IRO reviews a social worker's Purposeful Visiting Form (000_… line 137,
    lines 294-297); the first form of a placement is a ``pvf_review`` duty until then."""
    visit = visit_for(request.user, pk)
    log_restricted_view(request, visit.child)
    if not review.may_review(request.user, visit):
        raise PermissionDenied
    if visit.status == Visit.Status.SUPERSEDED:
        newer = review.latest_version(visit)
        if newer.pk != visit.pk and newer.status == Visit.Status.FINISHED:
            messages.info(request, "This form was amended: review the amended version.")
            return redirect("visits:pvf_review", pk=newer.pk)
    if visit.status != Visit.Status.FINISHED:
        messages.info(request, "This visit form is not finished yet, so it cannot be reviewed.")
        return redirect("visits:visit", pk=visit.pk)
    existing = PvfReview.objects.filter(visit=visit).first()
    return handle_form(
        request,
        PvfReviewForm(posted(request), review=existing),
        lambda data: review.pvf_review_record(
            visit=visit, data=data, actor=request.user, today=timezone.localdate()
        ),
        done="Your review of the visit form is recorded.",
        to=reverse("visits:visit", kwargs={"pk": visit.pk}),
        page=lambda form: render(
            request,
            "visits/pvf_review.html",
            {
                "visit": visit,
                "child": visit.child,
                "form": form,
                "existing": existing,
                "back_url": reverse("visits:visit", kwargs={"pk": visit.pk}),
            },
        ),
    )


LATE_CSV_HEADER = [
    "worker",
    "team",
    "child",
    "visit",
    "visit_kind",
    "visited_on",
    "due",
    "recorded_on",
    "days_late",
]


def late_recordings(request):
    """Team and service managers: per worker, the visits recorded late this quarter and
    those outstanding now (003_… §20, line 1438: records updated within two working days)."""
    require_role(request.user, recording.LATE_RECORDING_ROLES)
    quarter, workers = recording.late_recordings_for(request.user, timezone.localdate())
    for worker in workers:
        for row in (*worker.late, *worker.outstanding):
            log_restricted_view(request, row.duty.child)
    if wants_csv(request):
        rows = [(worker, row) for worker in workers for row in (*worker.late, *worker.outstanding)]
        return csv_response(
            "late-recordings.csv",
            LATE_CSV_HEADER,
            rows,
            lambda item: [
                item[0].name,
                item[0].team,
                item[1].duty.child.child_id,
                item[1].visit_pk,
                item[1].visit_kind,
                item[1].visited_on.isoformat() if item[1].visited_on else "",
                item[1].duty.due.isoformat(),
                item[1].duty.done_on.isoformat() if item[1].duty.done_on else "",
                item[1].days_late,
            ],
        )
    return render(
        request,
        "visits/late_recordings.html",
        {
            "quarter": quarter,
            "workers": workers,
            "working_days": recording.current_rules().visit_recording_working_days,
        },
    )
