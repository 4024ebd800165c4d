"""The IRO reviews the first Purposeful Visiting Form of a placement (``pvf_review``).

000_… Kent placement guidance, "Visiting timescales for ALL regulated placements", the
Independent Reviewing Officer's row, line 137: "Review first Purposeful Visiting Form
completed by SW"; and lines 294-297: "The IRO will review the Purposeful Visiting Forms
completed by the Social Worker/Personal Advisor and consider whether: the appropriate
actions have been completed to ensure the child/young person is safe and their needs are
being met; an early LAC Review is required; a formal IRO Escalation is required".

The guidance gives no timescale for the review. Ours (``pvf_review_working_days``, 10
England working days from the day the form is finished) is a reading, the authority's to
change: two weeks, as the guidance gives the IRO for their own form where a new placement
is of concern (line 303, "within 2 weeks of the child moving"), and well inside the first
LAC review (20 working days from becoming looked after, TS §4), so that "an early LAC
Review" can still be called.

The social worker's forms are the statutory and purposeful visits (the visits a social
worker or personal adviser records; every visit is recorded on the form). When the first
of them for a placement is finished (``visits.services.visit_finish``), a duty opens for
the child's IRO (subject ``pvf_review:<visit>``), once a placement: a later form, an
amendment, or the same form saved again opens none. A child with no IRO has the duty
unallocated in the IRO service (as the IRO visit is: ``visits.schedule.duty_owner``),
whose managers are told as for any unallocated duty; a newly allocated IRO takes it
over. It is done when the child's IRO records their review of the form (any version of
it), on the visit's page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, Team, User
from core.history import stamp
from duties import timescales
from duties.calendar import add_working_days
from duties.models import Duty
from duties.rules import Due, Timescales, rule
from duties.services import duty_cancel, duty_done, duty_open, ever_opened, open_duties
from placements.models import Child, Placement

from .models import PvfReview, Visit
from .rules import SOCIAL_WORKER_VISIT_KINDS

PVF_REVIEW = "pvf_review"
#: The subject of the duty: the first version of the form. Links to the review page.
SUBJECT = r"pvf_review:(\d+)"
SOURCE = (
    "000_… line 137: 'Review first Purposeful Visiting Form completed by SW' (no timescale "
    "given: 10 working days is our reading)"
)
#: The social worker's forms: the kinds of visit the IRO reviews.
FORM_KINDS = SOCIAL_WORKER_VISIT_KINDS


@dataclass(frozen=True)
class PvfReviewRules(Timescales):
    pvf_review_working_days: int = rule(
        10,
        "Working days after the first Purposeful Visiting Form of a placement is finished "
        "by which the child's IRO reviews it. The guidance gives no timescale: the default "
        "is ours (two weeks, as line 303 gives the IRO for their own form).",
        "000_… line 137 ('Review first Purposeful Visiting Form completed by SW'); no "
        "timescale given: our reading (cf. line 303, 'within 2 weeks')",
    )


def _fmt(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def review_due(finished_on: date, rules: PvfReviewRules) -> Due:
    n = rules.pvf_review_working_days
    return Due(
        PVF_REVIEW,
        add_working_days(finished_on, n),
        None,
        f"First Purposeful Visiting Form of the placement finished on {_fmt(finished_on)}: "
        f"the IRO reviews it within {n} working days",
        SOURCE,
    )


def subject_of(visit: Visit) -> str:
    return f"pvf_review:{first_version(visit).pk}"


def first_version(visit: Visit) -> Visit:
    """The form as first finished: amendments point back to it (a query an amendment)."""
    while visit.supersedes_id is not None:
        visit = Visit.objects.only("pk", "supersedes_id").get(pk=visit.supersedes_id)
    return visit


def latest_version(visit: Visit) -> Visit:
    """The finished version that amends this one, if any (else this one)."""
    while visit.status == Visit.Status.SUPERSEDED:
        newer = Visit.objects.filter(supersedes=visit).only("pk", "status").first()
        if newer is None:
            break
        visit = newer
    return visit


def may_review(user: User, visit: Visit) -> bool:
    """Only the child's IRO reviews a social worker's form."""
    return (
        user.is_authenticated
        and user.role == Role.IRO
        and visit.child.iro_id == user.pk
        and visit.kind in FORM_KINDS
    )


def _owner(child: Child) -> tuple[User | None, int | None]:
    """(owner, team) as for the IRO visit: the child's IRO in their team; with no IRO,
    unallocated in the IRO service (else the child's team)."""
    iro = child.iro if child.iro_id else None
    if iro is not None and iro.team_id:
        return iro, iro.team_id
    service = (
        Team.objects.filter(kind=Team.Kind.IRO_SERVICE)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    return iro, service or child.team_id


def open_on_finish(visit: Visit, *, now) -> Duty | None:
    """Inside ``visit_finish``'s transaction: the IRO's duty, if this is the first form
    finished for its placement. Imported history is not reviewed; an amendment is not a
    first form."""
    if (
        visit.source != Visit.Source.BROWSER
        or visit.supersedes_id is not None
        or visit.kind not in FORM_KINDS
        or visit.placement_id is None
    ):
        return None
    # Two forms of a placement finished at once: one waits here, then finds the other.
    placement = (
        Placement.objects.select_for_update().select_related("child").get(pk=visit.placement_id)
    )
    if Duty.objects.filter(kind=PVF_REVIEW, placement=placement).exists():
        return None
    earlier = (
        Visit.objects.filter(
            placement=placement,
            kind__in=FORM_KINDS,
            status__in=[Visit.Status.FINISHED, Visit.Status.SUPERSEDED],
        )
        .exclude(pk=visit.pk)
        .exists()
    )
    subject = f"pvf_review:{visit.pk}"
    if earlier or ever_opened(PVF_REVIEW, subject):
        return None
    child = placement.child
    owner, team_id = _owner(child)
    due = review_due(timezone.localdate(now), timescales.current(PvfReviewRules))
    return duty_open(
        kind=PVF_REVIEW,
        subject=subject,
        due=due.due,
        owner=owner,
        team=Team.objects.get(pk=team_id) if team_id else None,
        child=child,
        setting=visit.setting,
        placement=placement,
        basis=due.basis,
        source=due.source,
    )


def reallocate(child: Child) -> int:
    """The child's IRO changed: each open review duty is the new IRO's (or unallocated).
    The old row is cancelled and the duty opened afresh with its due date, as a changed
    owner is elsewhere (``scoping.actions``); returns how many moved."""
    owner, team_id = _owner(child)
    moved = 0
    for duty in open_duties(PVF_REVIEW, child=child).exclude(owner=owner, team_id=team_id):
        duty_cancel(kind=PVF_REVIEW, subject=duty.subject)
        duty_open(
            kind=PVF_REVIEW,
            subject=duty.subject,
            due=duty.due,
            owner=owner,
            team=Team.objects.get(pk=team_id) if team_id else None,
            child=child,
            setting=duty.setting,
            placement=duty.placement,
            basis=duty.basis,
            source=duty.source,
        )
        moved += 1
    return moved


#: Answers that call for an action to be written down.
_ACTION_NEEDED = "Say what action is needed, by whom and by when"


@transaction.atomic
def pvf_review_record(*, visit: Visit, data: dict, actor: User, today: date) -> PvfReview:
    """The child's IRO records (or changes) their review of a finished form; the review
    duty of the form, if open, is done today. History keeps every earlier answer."""
    locked = Visit.objects.select_for_update(of=("self",)).select_related("child").get(pk=visit.pk)
    if not may_review(actor, locked):
        raise PermissionDenied("Only the child's IRO reviews the visit form")
    if locked.status != Visit.Status.FINISHED:
        raise ValidationError("Only the latest finished version of a visit form is reviewed")
    comments = (data.get("comments") or "").strip()
    action = (data.get("action") or "").strip()
    errors: dict[str, str] = {}
    if not comments:
        errors["comments"] = "Enter your comments on the visit form"
    concern = (
        data.get("satisfactory") is False
        or data.get("early_review_needed")
        or data.get("escalation_needed")
    )
    if concern and not action:
        errors["action"] = _ACTION_NEEDED
    if errors:
        raise ValidationError(errors)
    review = PvfReview.objects.select_for_update().filter(visit=locked).first()
    reason = "IRO review changed" if review is not None else "IRO review recorded"
    review = review or PvfReview(visit=locked)
    review.satisfactory = bool(data["satisfactory"])
    review.early_review_needed = bool(data["early_review_needed"])
    review.escalation_needed = bool(data["escalation_needed"])
    review.comments = comments
    review.action = action
    review.reviewed_by = actor
    review.reviewed_on = today
    stamp(review, actor, reason).save()
    duty_done(
        kind=PVF_REVIEW, subject=subject_of(locked), done_on=today, done_by=f"visit:{locked.pk}"
    )
    return review
