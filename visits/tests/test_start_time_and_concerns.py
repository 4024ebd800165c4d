"""The two placement-fed rules of unregistered placements (seed 000 'Visiting timescales
for unregistered placements'): the social worker's visit "within 24 hours of placement"
counted from the placement's start time (the end of the start day when none is
recorded), and the IRO's visit "if concerns - within 2 weeks" once concerns are
recorded on the placement. End to end: the register's rows, the duty table.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import Role
from accounts.tests.factories import UserFactory
from duties import recompute
from duties.models import Duty
from duties.rules import Due, status
from placements import services
from placements.models import PlacementConcern
from placements.tests.factories import ChildFactory, UnregisteredSettingFactory
from visits import rules, schedule
from visits.models import VisitKind
from visits.rules.facts import START_TIME_NOT_RECORDED, PlacementFacts
from visits.tests.factories import VisitFactory

LONDON = ZoneInfo("Europe/London")
UNREGISTERED_EPISODE = services.EpisodeCodes(rne="S", ls="V2", cin="N1", place="Z11")


def travel(moment: datetime):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def director(db):
    return UserFactory(role=Role.DIRECTOR)


@pytest.fixture
def young_person(social_worker, iro):
    # 17 throughout: an unregistered placement is lawful with the Director's authorisation.
    return ChildFactory(
        team=social_worker.team,
        social_worker=social_worker,
        iro=iro,
        date_of_birth=date(2009, 6, 1),
    )


def place(child, director, start: date, start_time: time | None = None):
    """An unregistered placement started through the service (the Director authorising),
    at noon on the start day, or just after its start time."""
    now = datetime.combine(start, start_time or time(12, 0), LONDON) + timedelta(minutes=1)
    with travel(now):
        return services.placement_start(
            child=child,
            setting=UnregisteredSettingFactory(),
            start=start,
            start_time=start_time,
            episode=UNREGISTERED_EPISODE,
            actor=director,
            director_authorisation=True,
        )


def purposeful(child) -> Duty:
    return Duty.objects.get(child=child, kind=rules.PURPOSEFUL_VISIT, status=Duty.Status.OPEN)


def iro_duty(child) -> Duty:
    return Duty.objects.get(child=child, kind=rules.IRO_VISIT, status=Duty.Status.OPEN)


def before_placement_visit(child, day: date, today: date):
    VisitFactory(child=child, kind=VisitKind.PURPOSEFUL, on=day)
    recompute.refresh_for_children([child.pk], today=today)


# ============================================================================================
# 24 hours means 24 hours
# ============================================================================================


@pytest.mark.django_db
def test_the_24_hour_visit_counts_from_the_start_time(young_person, director):
    start = date(2026, 11, 4)
    placement = place(young_person, director, start, time(14, 30))
    assert placement.start_time == time(14, 30)
    before_placement_visit(young_person, date(2026, 11, 3), today=start)
    row = purposeful(young_person)
    assert row.due_at == datetime(2026, 11, 5, 14, 30, tzinfo=LONDON)
    assert row.due == date(2026, 11, 5)
    assert "starting 4 November 2026 at 14:30 GMT" in row.basis
    assert "by 5 November 2026 at 14:30 GMT" in row.basis


@pytest.mark.django_db
def test_without_a_start_time_the_placement_starts_at_the_end_of_the_day(young_person, director):
    start = date(2026, 11, 4)
    place(young_person, director, start)
    before_placement_visit(young_person, date(2026, 11, 3), today=start)
    row = purposeful(young_person)
    assert row.due_at == datetime(2026, 11, 5, 23, 59, 59, 999999, tzinfo=LONDON)
    assert row.due == date(2026, 11, 5)
    assert (
        "starting 4 November 2026 (start time not recorded: treated as the end of the day)"
        in row.basis
    )
    assert "by 5 November 2026 at 23:59 GMT" in row.basis


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 11, 5, 14, 29), "open"),  # the minute before
        (datetime(2026, 11, 5, 14, 30), "open"),  # on the 24th hour
        (datetime(2026, 11, 5, 14, 31), "overdue"),  # the minute after
    ],
)
def test_the_24_hour_duty_at_its_edges(now, expected):
    p = PlacementFacts(
        start=date(2026, 11, 4),
        start_at=datetime(2026, 11, 4, 14, 30),
        provision_kind="unregistered",
    )
    due = _due(p)
    assert status(due, now.date(), None, now=now) == expected


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 11, 5, 23, 59), "open"),
        (datetime(2026, 11, 6, 0, 0), "overdue"),  # the next day: past the end of the day
    ],
)
def test_the_24_hour_duty_without_a_start_time_at_its_edges(now, expected):
    p = PlacementFacts(start=date(2026, 11, 4), provision_kind="unregistered")
    assert p.start_instant == datetime(2026, 11, 4, 23, 59, 59, 999999, tzinfo=LONDON)
    assert status(_due(p), now.date(), None, now=now) == expected


def _due(p: PlacementFacts) -> Due:
    visits = [rules.VisitFact("purposeful", p.start - timedelta(days=1))]
    due = rules.next_due(
        rules.PURPOSEFUL_VISIT,
        p,
        visits,
        rules.RuleSet.defaults(),
        reviews=[],
        looked_after_since=p.start,
        today=p.start,
    )
    assert due is not None and due.due_at is not None
    return due


@pytest.mark.parametrize(
    ("start_at", "due_local", "due_utc", "words"),
    [
        # The last Saturday of October 2026, 01:30 BST: the clocks go back at 02:00 BST on
        # the Sunday. 24 elapsed hours later is 01:30 BST on the Sunday, the first of its
        # two 01:30s (the second, GMT, is an hour later).
        (
            datetime(2026, 10, 24, 1, 30),
            datetime(2026, 10, 25, 1, 30),
            datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
            "by 25 October 2026 at 01:30 BST",
        ),
        # The last Saturday of March 2026, 01:30 GMT: the clocks go forward at 01:00 GMT on
        # the Sunday. 24 elapsed hours later the wall clock reads 02:30 BST.
        (
            datetime(2026, 3, 28, 1, 30),
            datetime(2026, 3, 29, 2, 30),
            datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
            "by 29 March 2026 at 02:30 BST",
        ),
    ],
)
@pytest.mark.django_db
def test_the_24_hours_across_the_clock_change_from_the_register(
    young_person, director, start_at, due_local, due_utc, words
):
    start = start_at.date()
    place(young_person, director, start, start_at.time())
    before_placement_visit(young_person, start - timedelta(days=1), today=start)
    row = purposeful(young_person)
    assert row.due_at == due_utc
    assert row.due_at - datetime.combine(start, start_at.time(), LONDON) == timedelta(hours=24)
    local = row.due_at.astimezone(LONDON)
    assert local.replace(tzinfo=None) == due_local
    assert local.utcoffset() == timedelta(hours=1)  # BST on the Sunday either way
    assert words in row.basis


def test_the_end_of_the_day_across_the_clock_change():
    # 25 October 2026 has 25 hours: its end is 23:59:59.999999 GMT; 24 hours later is the
    # end of the 26th, GMT. 29 March 2026 has 23: the end of it is BST, so is the 30th's.
    back = PlacementFacts(start=date(2026, 10, 25), provision_kind="unregistered")
    forward = PlacementFacts(start=date(2026, 3, 29), provision_kind="unregistered")
    assert _due(back).due_at == datetime(2026, 10, 26, 23, 59, 59, 999999, tzinfo=LONDON)
    assert _due(back).due_at.utcoffset() == timedelta(0)
    assert _due(forward).due_at == datetime(2026, 3, 30, 23, 59, 59, 999999, tzinfo=LONDON)
    assert _due(forward).due_at.utcoffset() == timedelta(hours=1)


@pytest.mark.django_db
def test_a_bank_holiday_does_not_move_the_24_hours(young_person, director):
    # Christmas Day 2026, a Friday; Boxing Day a Saturday (its bank holiday the Monday).
    start = date(2026, 12, 25)
    place(young_person, director, start, time(18, 0))
    before_placement_visit(young_person, date(2026, 12, 24), today=start)
    assert purposeful(young_person).due_at == datetime(2026, 12, 26, 18, 0, tzinfo=LONDON)


def test_the_basis_says_when_the_start_time_is_not_recorded():
    assert START_TIME_NOT_RECORDED == "start time not recorded: treated as the end of the day"
    without = PlacementFacts(start=date(2026, 1, 31), provision_kind="unregistered")
    assert without.start_described == f"31 January 2026 ({START_TIME_NOT_RECORDED})"
    with_time = PlacementFacts(
        start=date(2026, 1, 31), start_at=datetime(2026, 1, 31, 9, 5), provision_kind="unregistered"
    )
    assert with_time.start_described == "31 January 2026 at 09:05 GMT"


@pytest.mark.django_db
def test_the_start_time_of_the_first_episode_carries_through_a_change_of_legal_status(
    young_person, director
):
    first = place(young_person, director, date(2026, 11, 4), time(14, 30))
    with travel(datetime(2026, 11, 5, 9, 0, tzinfo=LONDON)):
        services.placement_start(
            child=young_person,
            setting=first.setting,
            start=date(2026, 11, 5),
            episode=services.EpisodeCodes(rne="L", ls="C2", cin="N1", place="Z11"),
            actor=director,
            director_authorisation=True,
        )
    chain = schedule.placement_chains(list(young_person.placements.order_by("decom")))
    assert len(chain) == 1
    facts = schedule.placement_facts(
        chain[0][-1], start=first.decom, start_time=chain[0][0].start_time
    )
    assert facts.start_at == datetime(2026, 11, 4, 14, 30, tzinfo=LONDON)


# ============================================================================================
# The IRO within 2 weeks where there are concerns
# ============================================================================================


@pytest.mark.django_db
def test_concerns_bring_the_iro_visit_to_two_weeks_after_the_start(young_person, director, iro):
    start = date(2026, 11, 4)
    placement = place(young_person, director, start, time(14, 30))
    without = iro_duty(young_person)
    assert "LAC review" in without.basis  # no concerns: before the first LAC review
    assert without.due > date(2026, 11, 18)
    with travel(datetime(2026, 11, 6, 10, 0, tzinfo=LONDON)):
        services.placement_concern_record(
            placement=placement, note="The flat has no smoke alarm.", actor=iro
        )
    row = iro_duty(young_person)
    assert row.due == date(2026, 11, 18)  # 4 November + 14 days
    assert "Within 14 days of the placement starting on 4 November 2026" in row.basis
    assert "concerns recorded" in row.basis
    assert row.owner == iro


@pytest.mark.parametrize(
    ("visit_day", "met"),
    [
        (date(2026, 11, 17), True),  # the day before it is due
        (date(2026, 11, 18), True),  # on the day
        (date(2026, 11, 19), False),  # the day after: late
    ],
)
@pytest.mark.django_db
def test_the_iro_visit_within_two_weeks_at_its_edges(young_person, director, iro, visit_day, met):
    start = date(2026, 11, 4)
    placement = place(young_person, director, start)
    with travel(datetime(2026, 11, 5, 10, 0, tzinfo=LONDON)):
        services.placement_concern_record(placement=placement, note="Concerns", actor=iro)
    VisitFactory(child=young_person, kind=VisitKind.IRO, on=visit_day)
    recompute.refresh_for_children([young_person.pk], today=visit_day)
    done = Duty.objects.get(child=young_person, kind=rules.IRO_VISIT, status=Duty.Status.DONE)
    assert done.due == date(2026, 11, 18)
    assert (done.done_on <= done.due) is met


@pytest.mark.parametrize(
    ("today", "expected"),
    [(date(2026, 11, 17), "open"), (date(2026, 11, 18), "open"), (date(2026, 11, 19), "overdue")],
)
def test_the_iro_duty_status_at_its_edges(today, expected):
    p = PlacementFacts(start=date(2026, 11, 4), provision_kind="unregistered", iro_concerns=True)
    due = rules.next_due(
        rules.IRO_VISIT,
        p,
        [],
        rules.RuleSet.defaults(),
        reviews=[],
        looked_after_since=p.start,
        today=today,
    )
    assert due.due == date(2026, 11, 18)
    assert status(due, today, None) == expected


@pytest.mark.django_db
def test_two_weeks_across_a_month_end_and_a_bank_holiday(young_person, director, iro):
    # 18 December 2026 + 14 days = Friday 1 January 2027, New Year's Day: calendar days,
    # not moved for the bank holiday.
    placement = place(young_person, director, date(2026, 12, 18))
    with travel(datetime(2026, 12, 19, 10, 0, tzinfo=LONDON)):
        services.placement_concern_record(placement=placement, note="Concerns", actor=iro)
    assert iro_duty(young_person).due == date(2027, 1, 1)


@pytest.mark.django_db
def test_a_concern_on_the_first_episode_counts_after_a_change_of_legal_status(
    young_person, director, iro
):
    first = place(young_person, director, date(2026, 11, 4))
    PlacementConcern.objects.create(
        placement=first, note="Concerns", recorded_by=iro, recorded_at=datetime.now(tz=UTC)
    )
    with travel(datetime(2026, 11, 10, 9, 0, tzinfo=LONDON)):
        services.placement_start(
            child=young_person,
            setting=first.setting,
            start=date(2026, 11, 10),
            episode=services.EpisodeCodes(rne="L", ls="C2", cin="N1", place="Z11"),
            actor=director,
            director_authorisation=True,
        )
    assert iro_duty(young_person).due == date(2026, 11, 18)
