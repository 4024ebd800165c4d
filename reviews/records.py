"""The IRO's record of a LAC review: that it was held (when, who took part, how the child
took part, who chaired it) and its decisions and recommendations, each a dated duty for
the person the IRO names.

Who records. The review is chaired by the child's Independent Reviewing Officer (TS §4;
`000_…` line 121-126: the IRO's part "Before LAC Review", at the "First LAC Review"; the
IRO is independent of the child's social work team and its line management), and the
record of the review is the chair's: so only the child's IRO records it, completes an
imported one, sets its decisions and recommendations and withdraws them. A team manager
books the review (``services.may_book``) but does not record it for the IRO: the record
is the independent chair's account of the review, not the team's. A recommendation is
marked done by its owner, who answers for it (reg. 36 CPPCR 2010: the authority carries
out the review's decisions).

A review recorded here is the same ``LacReview`` row the SSDA903 import makes: recording a
review on the date of an imported one completes that row (the 903 export then carries the
participation code recorded here), and its date drives the next ``lac_review`` due date
and the social worker's ``review_report`` duty (``reviews.schedule``) at once.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.history import stamp
from duties import services as duty_services
from duties.recompute import refresh_for_children
from placements.models import Child
from placements.selectors import children_visible_to

from .models import LacReview, ReviewRecommendation
from .rules import REVIEW_RECOMMENDATION
from .services import locked_cycle

#: The SSDA903 code for a child under 4 at the time of the review.
UNDER_FOUR = "PN0"
#: Where the duty's rule comes from (Duty.source).
SRC_RECOMMENDATION = (
    "Issue 15: each decision and recommendation of the LAC review, with its owner and due "
    "date (TS §4; reg. 36 CPPCR 2010)"
)


def _fmt(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


class RecommendationClosed(PermissionDenied):
    """The recommendation is done or withdrawn: it is not changed again."""


def may_record(user: User, child: Child) -> bool:
    """The child's IRO records the review and its recommendations (module docstring)."""
    return bool(user.is_active and child.iro_id is not None and child.iro_id == user.pk)


def may_own(user: User | None, child: Child) -> bool:
    """A recommendation's owner must be able to open the child's record: one query."""
    if user is None or not user.is_active:
        return False
    return children_visible_to(user).filter(pk=child.pk).exists()


def may_mark_done(user: User, recommendation: ReviewRecommendation) -> bool:
    return (
        user.is_active
        and recommendation.owner_id == user.pk
        and recommendation.status == ReviewRecommendation.Status.OPEN
    )


def may_withdraw(user: User, recommendation: ReviewRecommendation) -> bool:
    return (
        may_record(user, recommendation.review.child)
        and recommendation.status == ReviewRecommendation.Status.OPEN
    )


def _check_record(child: Child, held_on: date, fields: dict) -> dict[str, str]:
    """What the record's answers contradict, by field."""
    errors: dict[str, str] = {}
    code = fields.get("review_code", "")
    under_four = child.age_on(held_on) < 4
    if code == UNDER_FOUR and not under_four:
        errors["review_code"] = (
            f"PN0 is for a child under 4: {child.child_id} was {child.age_on(held_on)} on "
            f"{_fmt(held_on)}. Choose how they took part."
        )
    elif code and code != UNDER_FOUR and under_four:
        errors["review_code"] = (
            f"{child.child_id} was under 4 on {_fmt(held_on)}: choose PN0 (child aged under 4 "
            "at the time of the review)."
        )
    if not (fields.get("participants") or "").strip():
        errors["participants"] = "Say who took part in the review"
    chair = fields.get("chaired_by")
    if chair is None:
        errors["chaired_by"] = "Choose who chaired the review"
    return errors


def _fill(review: LacReview, fields: dict) -> None:
    review.review_code = fields["review_code"]
    review.chaired_by = fields["chaired_by"]
    review.place = (fields.get("place") or "").strip()
    review.participants = fields["participants"].strip()
    review.participation = (fields.get("participation") or "").strip()


@transaction.atomic
def review_record(
    *,
    child: Child,
    held_on: date,
    actor: User,
    today: date,
    early_reason: str = "",
    **fields,
) -> LacReview:
    """Record that the child's next LAC review was held on ``held_on`` (not in the future,
    after the previous review; before the booked date only with a reason), or complete the
    record of a review imported on that date. ``fields``: review_code, chaired_by, place,
    participants, participation. The child's duties are recomputed."""
    if not may_record(actor, child):
        raise PermissionDenied("Only the child's IRO records the review.")
    cycle = locked_cycle(child, today)
    if held_on > today:
        raise ValidationError({"held_on": "The date the review was held must be today or earlier."})
    existing = (
        LacReview.objects.select_for_update().filter(child=child, review_date=held_on).first()
    )
    errors = _check_record(child, held_on, fields)
    early_reason = (early_reason or "").strip()
    if existing is not None:
        if existing.is_recorded:
            raise ValidationError(
                {
                    "held_on": f"The review held on {_fmt(held_on)} is already recorded: "
                    "change it from its page."
                }
            )
        review, reason = existing, "Record completed by the IRO"
    else:
        if held_on < cycle.period_start:
            errors["held_on"] = (
                f"The date held must be on or after {_fmt(cycle.period_start)}, when "
                f"{child.child_id} became looked after."
            )
        elif cycle.previous_review is not None and held_on < cycle.previous_review:
            errors["held_on"] = (
                "The date held must be after the previous review, held on "
                f"{_fmt(cycle.previous_review)}."
            )
        elif cycle.booked is not None and held_on < cycle.booked and not early_reason:
            errors["early_reason"] = (
                f"Say why the review was held before the date it was booked for "
                f"({_fmt(cycle.booked)})"
            )
        review = LacReview(child=child, review_date=held_on, booked_for=cycle.booked)
        if cycle.booked is not None and held_on < cycle.booked:
            review.early_reason = early_reason
        reason = "Recorded by the IRO"
    if errors:
        raise ValidationError(errors)
    _fill(review, fields)
    review.recorded_by = actor
    review.recorded_at = timezone.now()
    stamp(review, actor, reason).save()
    refresh_for_children([child.pk], today=today)
    return review


@transaction.atomic
def review_update(*, review: LacReview, actor: User, today: date, **fields) -> LacReview:
    """Change the IRO's record of a review held (its date stays: a review held on another
    day is another review), or complete one imported from the 903."""
    review = LacReview.objects.select_for_update().select_related("child").get(pk=review.pk)
    child = review.child
    if not may_record(actor, child):
        raise PermissionDenied("Only the child's IRO records the review.")
    errors = _check_record(child, review.review_date, fields)
    if errors:
        raise ValidationError(errors)
    before = (
        review.review_code,
        review.chaired_by_id,
        review.place,
        review.participants,
        review.participation,
    )
    _fill(review, fields)
    after = (
        review.review_code,
        review.chaired_by_id,
        review.place,
        review.participants,
        review.participation,
    )
    if before == after and review.is_recorded:
        return review
    reason = "Record changed by the IRO" if review.is_recorded else "Record completed by the IRO"
    if not review.is_recorded:
        review.recorded_by = actor
        review.recorded_at = timezone.now()
    stamp(review, actor, reason).save()
    refresh_for_children([child.pk], today=today)
    return review


# --- Decisions and recommendations ---------------------------------------------------------


@transaction.atomic
def recommendation_add(
    *, review: LacReview, text: str, owner: User | None, due: date | None, actor: User
) -> ReviewRecommendation:
    """A decision or recommendation of the review, for ``owner`` (who must be able to open
    the child's record) by ``due`` (on or after the review): the owner's
    ``review_recommendation`` duty, and a notification to them."""
    child = review.child
    if not may_record(actor, child):
        raise PermissionDenied("Only the child's IRO records the review's recommendations.")
    errors: dict[str, str] = {}
    if not (text or "").strip():
        errors["text"] = "Say what was decided or recommended"
    if owner is None:
        errors["owner"] = "Choose who owns the recommendation"
    elif not may_own(owner, child):
        errors["owner"] = f"{owner} may not open {child.child_id}'s record: choose someone who may"
    if due is None:
        errors["due"] = "Enter the date it is due by"
    elif due < review.review_date:
        errors["due"] = (
            f"The due date must be on or after the review, held on {_fmt(review.review_date)}"
        )
    if errors:
        raise ValidationError(errors)
    recommendation = ReviewRecommendation(
        review=review, text=text.strip(), owner=owner, due=due, created_by=actor
    )
    stamp(recommendation, actor, "Agreed at the review").save()
    duty_services.duty_open(
        kind=REVIEW_RECOMMENDATION,
        subject=recommendation.subject,
        due=due,
        owner=owner,
        team=child.team,
        child=child,
        basis=f"Agreed at the LAC review of {_fmt(review.review_date)}",
        source=SRC_RECOMMENDATION,
    )
    if owner.pk != actor.pk:
        duty_services.notify(
            owner,
            key=recommendation.subject,
            subject=f"A LAC review recommendation for you, due {due:%d/%m/%Y}",
            body=f"The LAC review of child {child.child_id} held on "
            f"{review.review_date:%d/%m/%Y} gave you a recommendation, due {due:%d/%m/%Y}.",
            url=reverse("reviews:recommendation", kwargs={"pk": recommendation.pk}),
        )
    return recommendation


def _locked(recommendation: ReviewRecommendation) -> ReviewRecommendation:
    locked = (
        ReviewRecommendation.objects.select_for_update(of=("self",))
        .select_related("review", "review__child", "owner")
        .get(pk=recommendation.pk)
    )
    if locked.status != ReviewRecommendation.Status.OPEN:
        raise RecommendationClosed(f"The recommendation is {locked.get_status_display().lower()}.")
    return locked


@transaction.atomic
def recommendation_done(
    *, recommendation: ReviewRecommendation, note: str, actor: User, today: date
) -> ReviewRecommendation:
    """The owner marks their recommendation done today, saying what was done."""
    if not (note or "").strip():
        raise ValidationError({"note": "Say what was done"})
    recommendation = _locked(recommendation)
    if recommendation.owner_id != actor.pk:
        raise PermissionDenied("Only the recommendation's owner marks it done.")
    recommendation.status = ReviewRecommendation.Status.DONE
    recommendation.done_on = today
    recommendation.done_note = note.strip()
    stamp(recommendation, actor, "Done").save()
    duty_services.duty_done(
        kind=REVIEW_RECOMMENDATION,
        subject=recommendation.subject,
        done_on=today,
        done_by=recommendation.subject,
    )
    return recommendation


@transaction.atomic
def recommendation_withdraw(
    *, recommendation: ReviewRecommendation, reason: str, actor: User, today: date
) -> ReviewRecommendation:
    """The IRO withdraws an open recommendation, with the reason; its duty is cancelled
    (its due date stays on the record) and the owner is told."""
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the recommendation is withdrawn"})
    recommendation = _locked(recommendation)
    review = recommendation.review
    if not may_record(actor, review.child):
        raise PermissionDenied("Only the child's IRO withdraws a recommendation.")
    recommendation.status = ReviewRecommendation.Status.WITHDRAWN
    recommendation.withdrawn_on = today
    recommendation.withdrawn_reason = reason.strip()
    stamp(recommendation, actor, "Withdrawn").save()
    duty_services.duty_cancel(kind=REVIEW_RECOMMENDATION, subject=recommendation.subject)
    if recommendation.owner_id != actor.pk:
        duty_services.notify(
            recommendation.owner,
            key=f"{recommendation.subject}:withdrawn",
            subject=f"A LAC review recommendation of yours is withdrawn "
            f"(was due {recommendation.due:%d/%m/%Y})",
            body=f"The IRO withdrew the recommendation of the LAC review of child "
            f"{review.child.child_id} held on {review.review_date:%d/%m/%Y}.",
            url=reverse("reviews:recommendation", kwargs={"pk": recommendation.pk}),
        )
    return recommendation
