"""Writes about a child's LAC reviews: the next review's booked date, and the social
worker's report recorded as sent to the IRO (003_… 10.22, line 960). Each keeps its
history (who, when, why) and recomputes the child's duties in the same transaction."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Role, User
from core.history import stamp
from duties import services as duty_services
from duties.recompute import refresh_for_children
from placements.models import Child

from . import schedule
from .models import BookedReview, LacReview, ReviewReport
from .rules import REVIEW_REPORT


def _fmt(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def may_book(user: User, child: Child) -> bool:
    """The child's IRO, social worker, or team manager (of the child's team, or the social
    worker's line manager) books the next review."""
    if not user.is_active:
        return False
    if user.pk in (child.iro_id, child.social_worker_id):
        return True
    if user.role != Role.TEAM_MANAGER:
        return False
    worker = child.social_worker
    return (child.team_id is not None and child.team_id == user.team_id) or (
        worker is not None and worker.line_manager_id == user.pk
    )


def may_record_report(user: User, child: Child) -> bool:
    """The report is the child's social worker's (003_… 10.22: "I have made sure…")."""
    return user.is_active and child.social_worker_id == user.pk


def current_cycle(child: Child, today: date) -> schedule.Cycle | None:
    """The child's review cycle on ``today`` (None if not looked after): four queries."""
    state = schedule.prepare(today)
    return schedule.cycle(child.pk, schedule.load([child.pk], state), state)


def locked_cycle(child: Child, today: date) -> schedule.Cycle:
    # Serialise writes about this child's reviews: two at once see the same cycle.
    Child.objects.select_for_update().filter(pk=child.pk).first()
    found = current_cycle(child, today)
    if found is None:
        raise ValidationError(
            f"{child.child_id} is not looked after today: there is no LAC review to plan."
        )
    return found


@transaction.atomic
def review_book(
    *,
    child: Child,
    review_date: date,
    actor: User,
    today: date,
    place: str = "",
    invitees: str = "",
) -> BookedReview:
    """Book the next LAC review for ``review_date`` (not in the past, after the previous
    review), at ``place``, with ``invitees`` (one a line: name and role); booked again,
    the booking moves and its history keeps the earlier date, place and invitees."""
    cycle = locked_cycle(child, today)
    if review_date < today:
        raise ValidationError({"review_date": "The booked date must be today or later."})
    latest = (
        LacReview.objects.filter(child=child, review_date__gte=cycle.period_start)
        .order_by("-review_date")
        .values_list("review_date", flat=True)
        .first()
    )
    if latest is not None and review_date <= latest:
        raise ValidationError(
            {
                "review_date": "The booked date must be after the previous review, held on "
                f"{_fmt(latest)}."
            }
        )
    place = place.strip()
    invitees = "\n".join(line.strip() for line in invitees.splitlines() if line.strip())
    booking = BookedReview.objects.filter(child=child, cycle_start=cycle.cycle_start).first()
    if booking is None:
        booking = BookedReview(child=child, cycle_start=cycle.cycle_start)
        reason = f"Booked for {_fmt(review_date)}"
    elif (booking.review_date, booking.place, booking.invitees) == (review_date, place, invitees):
        return booking
    elif booking.review_date != review_date:
        reason = f"Moved from {_fmt(booking.review_date)} to {_fmt(review_date)}"
    else:
        reason = "Place or invitees changed"
    booking.review_date = review_date
    booking.place = place
    booking.invitees = invitees
    booking.booked_by = actor
    stamp(booking, actor, reason).save()
    refresh_for_children([child.pk], today=today)
    return booking


@transaction.atomic
def report_sent(*, child: Child, sent_on: date, actor: User, today: date) -> ReviewReport:
    """Record that the social worker's report for the next review reached the IRO on
    ``sent_on`` (not in the future, not before the cycle began): the cycle's
    ``review_report`` duty is done."""
    cycle = locked_cycle(child, today)
    if cycle.sent is not None:
        raise ValidationError(
            f"The report for this review was recorded as sent on {_fmt(cycle.sent.sent_on)}."
        )
    if sent_on > today:
        raise ValidationError({"sent_on": "The date sent must be today or earlier."})
    if sent_on < cycle.cycle_start:
        what = "the previous review" if cycle.held else "the child became looked after"
        message = f"The date sent must be on or after {_fmt(cycle.cycle_start)}, when {what}."
        raise ValidationError({"sent_on": message})
    report = ReviewReport(
        child=child,
        cycle_start=cycle.cycle_start,
        review_date=cycle.review_date,
        sent_on=sent_on,
        recorded_by=actor,
    )
    stamp(report, actor, "Sent to the IRO").save()
    duty_services.duty_done(
        kind=REVIEW_REPORT,
        subject=cycle.report_subject,
        done_on=sent_on,
        done_by=f"review_report:{report.pk}",
    )
    refresh_for_children([child.pk], today=today)
    return report
