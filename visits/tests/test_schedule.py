"""visits.schedule: the Duty table kept from placements, visits, reviews, rules and overrides.

End to end through the database, with concrete dates from timescales.md.
"""

from dataclasses import asdict, fields
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duties import recompute, tasks
from duties.models import Duty, RuleValue
from placements import services
from placements.models import Child, Placement, ProvisionType, Setting
from placements.tests.factories import (
    ChildFactory,
    PlacementFactory,
    SettingFactory,
    UnregisteredSettingFactory,
)
from reviews.models import LacReview
from reviews.tests.factories import LacReviewFactory
from visits import overrides, rules, schedule
from visits.models import ScheduleOverride, Visit, VisitKind
from visits.tests.factories import VisitFactory, at_noon

LONDON = ZoneInfo("Europe/London")
OPEN, DONE, CANCELLED = Duty.Status.OPEN, Duty.Status.DONE, Duty.Status.CANCELLED
START = date(2026, 11, 2)  # a Monday
EPISODE = services.EpisodeCodes(rne="S", ls="C2", cin="N1", place="K2", place_provider="PR4")


def travel(day: date):
    """Pin the clock to 09:00 London on ``day`` (services read today themselves)."""
    return time_machine.travel(datetime(day.year, day.month, day.day, 9, tzinfo=LONDON), tick=False)


def duty(child, kind, status=OPEN) -> Duty:
    return Duty.objects.get(child=child, kind=kind, status=status)


#: Duties of the child's plans and of the review's report: plans/tests, reviews/tests.
NOT_VISITS = [
    "review_report",
    "care_plan",
    "placement_plan",
    "health_assessment",
    "pep",
    "updated_assessment",
]


def dues(child, status=OPEN) -> dict[str, date]:
    """The child's visits and LAC review (the review's report, the plans: NOT_VISITS)."""
    return dict(
        Duty.objects.filter(child=child, status=status)
        .exclude(kind__in=NOT_VISITS)
        .values_list("kind", "due")
        .order_by("kind")
    )


@pytest.fixture
def child(social_worker):
    return ChildFactory(
        child_id="K100001",
        team=social_worker.team,
        social_worker=social_worker,
        date_of_birth=date(2012, 5, 17),
    )


@pytest.fixture
def home():
    return SettingFactory(urn="SC123456", name="Oak House")


@pytest.fixture
def started(child, home, social_worker):
    """A children's home placement started on Monday 2 November 2026, through the service."""
    with travel(START):
        return services.placement_start(
            child=child, setting=home, start=START, episode=EPISODE, actor=social_worker
        )


def record_visit(child, day: date, kind=VisitKind.STATUTORY, **kw) -> Visit:
    """A finished visit, then the refresh the visit service makes once it commits."""
    visit = VisitFactory(child=child, kind=kind, on=day, **kw)
    recompute.refresh_for_children([child.pk], today=day)
    return visit


# ============================================================================================
# A placement starts; a visit is recorded
# ============================================================================================


@pytest.mark.django_db
def test_a_new_placement_has_its_statutory_visit_due_within_a_week(child, started, social_worker):
    row = duty(child, "statutory_visit")
    assert row.due == date(2026, 11, 9)
    assert row.due_at is None
    assert row.subject == f"placement:{started.pk}"
    assert row.placement_id == started.pk and row.setting.urn == "SC123456"
    assert row.owner == social_worker and row.team == social_worker.team
    assert "First visit within 7 days" in row.basis
    # A children's home is regulated: a purposeful visit before it starts (TS §2), an IRO
    # visit before the first LAC review; the review 20 working days after 2 November; the
    # local standards (003 10.2, 10.10): seen on the day, bedroom seen within 12 weeks.
    assert dues(child) == {
        "bedroom_seen": date(2027, 1, 25),
        "iro_visit": date(2026, 11, 30),
        "lac_review": date(2026, 11, 30),
        "placement_day_visit": date(2026, 11, 2),
        "purposeful_visit": date(2026, 11, 2),
        "statutory_visit": date(2026, 11, 9),
    }
    assert duty(child, "lac_review").subject == f"child:{child.pk}"


@pytest.mark.django_db
def test_a_finished_statutory_visit_discharges_the_duty_and_opens_the_next(child, started):
    first = duty(child, "statutory_visit")
    visit = record_visit(child, date(2026, 11, 6))
    first.refresh_from_db()
    assert first.status == DONE
    assert first.done_on == date(2026, 11, 6) and first.done_by == f"visit:{visit.pk}"
    assert first.due == date(2026, 11, 9)  # the done row keeps the date it was due
    following = duty(child, "statutory_visit")
    assert following.pk != first.pk
    assert following.due == date(2026, 12, 18)  # 6 November + 42 days
    # Only the statutory duty moved: an IRO visit does not discharge it, nor it them.
    assert dues(child)["iro_visit"] == date(2026, 11, 30)
    assert Duty.objects.filter(child=child, kind="statutory_visit").count() == 2


@pytest.mark.django_db
def test_a_visit_of_another_kind_or_a_draft_does_not_discharge_the_statutory_duty(child, started):
    record_visit(child, date(2026, 11, 6), kind=VisitKind.IRO)
    VisitFactory(child=child, on=date(2026, 11, 6), status=Visit.Status.DRAFT)
    recompute.refresh_for_children([child.pk], today=date(2026, 11, 6))
    assert duty(child, "statutory_visit").due == date(2026, 11, 9)
    assert not Duty.objects.filter(child=child, kind="statutory_visit", status=DONE)
    # ...the IRO visit discharged the IRO duty instead.
    assert duty(child, "iro_visit", DONE).done_on == date(2026, 11, 6)


@pytest.mark.django_db
def test_a_late_visit_discharges_the_overdue_duty_and_counts_from_the_visit(child, started):
    record_visit(child, date(2026, 11, 20))  # due 9 November: 11 days late
    assert duty(child, "statutory_visit", DONE).done_on == date(2026, 11, 20)
    assert duty(child, "statutory_visit").due == date(2027, 1, 1)  # 20 Nov + 42


@pytest.mark.django_db
def test_a_purposeful_visit_before_the_placement_discharges_that_duty(child, home, social_worker):
    with travel(date(2026, 10, 28)):
        services.placement_start(
            child=child, setting=home, start=START, episode=EPISODE, actor=social_worker
        )
    assert duty(child, "purposeful_visit").due == START
    visit = record_visit(child, date(2026, 10, 30), kind=VisitKind.PURPOSEFUL)
    done = duty(child, "purposeful_visit", DONE)
    assert (done.done_on, done.done_by) == (date(2026, 10, 30), f"visit:{visit.pk}")
    # TS §2 "then within every 12 weeks", from the start of the placement.
    assert duty(child, "purposeful_visit").due == date(2027, 1, 25)


# ============================================================================================
# Permanent placements: 6-weekly in the first year, 3-monthly after it
# ============================================================================================


def _foster_placement(child, *, permanent: bool, place: str) -> Placement:
    carer = SettingFactory(urn=None, provision_type=ProvisionType.IN_HOUSE_FOSTERING)
    return PlacementFactory(
        child=child, setting=carer, decom=date(2026, 1, 5), place=place, permanent=permanent
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("last_visit", "permanent", "expected"),
    [
        # The interval in force on the day of the last visit decides (TS Conventions).
        (date(2026, 12, 20), True, date(2027, 1, 31)),  # first year: + 42 days
        (date(2027, 1, 4), True, date(2027, 2, 15)),  # last day of the first year
        (date(2027, 1, 5), True, date(2027, 4, 5)),  # first day after it: + 3 months
        (date(2027, 1, 10), True, date(2027, 4, 10)),
        (date(2027, 1, 10), False, date(2027, 2, 21)),  # not permanent: stays 6-weekly
    ],
)
def test_permanent_placement_moves_from_six_weekly_to_three_monthly_after_the_first_year(
    child, last_visit, permanent, expected
):
    _foster_placement(child, permanent=permanent, place="U4" if permanent else "U6")
    VisitFactory(child=child, on=date(2026, 11, 10))
    record_visit(child, last_visit)
    assert duty(child, "statutory_visit").due == expected
    # In-house foster care has no purposeful visits (TS §2) nor IRO visits; the bedroom is
    # seen every 12 weeks (003 10.10); the day of placement was ended by the first visit.
    assert set(dues(child)) == {"statutory_visit", "lac_review", "bedroom_seen"}


# ============================================================================================
# A change of placement restarts the schedule; a change of legal status does not
# ============================================================================================


@pytest.mark.django_db
def test_a_change_of_placement_cancels_the_old_duties_and_restarts_the_schedule(
    child, started, social_worker
):
    record_visit(child, date(2026, 11, 6))
    review_before = duty(child, "lac_review")
    old_statutory = duty(child, "statutory_visit")
    assert old_statutory.due == date(2026, 12, 18)
    other_home = SettingFactory(urn="SC654321")
    with travel(date(2026, 11, 20)):
        new = services.placement_start(
            child=child,
            setting=other_home,
            start=date(2026, 11, 20),
            episode=services.EpisodeCodes(rne="B", ls="C2", cin="N1", place="K2"),
            reason_place_change="CARPL",
            actor=social_worker,
        )
    old_statutory.refresh_from_db()
    assert old_statutory.status == CANCELLED
    assert not Duty.objects.filter(subject=f"placement:{started.pk}", status=OPEN).exists()
    statutory = duty(child, "statutory_visit")
    assert statutory.subject == f"placement:{new.pk}"
    assert statutory.due == date(2026, 11, 27)  # within 1 week of the new start
    assert statutory.setting.urn == "SC654321"
    # The LAC review belongs to the child, who is still looked after since 2 November.
    review = duty(child, "lac_review")
    assert (review.pk, review.due) == (review_before.pk, date(2026, 11, 30))
    # The visit of 6 November was before the new placement: it does not count for it. It
    # was the old placement's statutory visit, and ended its missed visit on the day of
    # placement, late (003 10.2).
    assert set(Duty.objects.filter(child=child, status=DONE).values_list("kind", "done_on")) == {
        ("statutory_visit", date(2026, 11, 6)),
        ("placement_day_visit", date(2026, 11, 6)),
    }


@pytest.mark.django_db
def test_a_change_of_legal_status_only_continues_the_placements_schedule(child):
    carer = SettingFactory(urn=None, provision_type=ProvisionType.IN_HOUSE_FOSTERING)
    first = PlacementFactory(
        child=child, setting=carer, decom=date(2026, 1, 5), dec=date(2026, 3, 2), ls="C1"
    )
    PlacementFactory(child=child, setting=carer, decom=date(2026, 3, 2), rne="L", ls="C2")
    VisitFactory(child=child, on=date(2026, 2, 1))
    recompute.refresh_for_children([child.pk], today=date(2026, 3, 3))
    statutory = duty(child, "statutory_visit")
    assert statutory.subject == f"placement:{first.pk}"
    assert statutory.due == date(2026, 3, 15)  # 1 February + 42 days, not 2 March + 7


@pytest.mark.django_db
def test_ending_the_placement_cancels_its_duties(child, started, social_worker):
    with travel(date(2026, 11, 20)):
        services.placement_end(
            placement=started, end=date(2026, 11, 20), rec="E13", actor=social_worker
        )
    assert not Duty.objects.filter(child=child, status=OPEN).exists()
    cancelled = Duty.objects.filter(child=child, status=CANCELLED)
    assert set(cancelled.values_list("kind", flat=True)) == {
        "statutory_visit",
        "purposeful_visit",
        "iro_visit",
        "lac_review",
        "placement_day_visit",
        "bedroom_seen",
        "review_report",
        # The plans (TS §7): leaving care cancels them too.
        "care_plan",
        "placement_plan",
        "health_assessment",
        "pep",
        "updated_assessment",
    }
    # The missed visit stays on the record with the date it was due.
    assert cancelled.get(kind="statutory_visit").due == date(2026, 11, 9)
    # Nothing reopens on the next nightly run.
    recompute.recompute_all(today=date(2026, 11, 21))
    assert not Duty.objects.filter(child=child, status=OPEN).exists()


@pytest.mark.django_db
def test_reallocating_the_child_moves_the_open_duties_to_the_new_worker(
    child, started, team_manager, other_team_worker
):
    with travel(date(2026, 11, 5)):
        services.child_allocate(
            child=child, actor=team_manager, social_worker=other_team_worker, iro=None
        )
    for kind in ("statutory_visit", "purposeful_visit", "lac_review"):
        row = duty(child, kind)
        assert (row.owner, row.team) == (other_team_worker, other_team_worker.team), kind
    assert duty(child, "statutory_visit").due == date(2026, 11, 9)


# ============================================================================================
# LAC reviews: working days over Christmas and Easter
# ============================================================================================


@pytest.mark.django_db
def test_first_lac_review_counts_working_days_over_christmas_from_becoming_looked_after(child):
    carer = SettingFactory(urn=None, provision_type=ProvisionType.IN_HOUSE_FOSTERING)
    PlacementFactory(
        child=child, setting=carer, decom=date(2026, 12, 14), dec=date(2027, 1, 4), place="U6"
    )
    # A change of placement on 4 January: still the same period of care.
    PlacementFactory(child=child, setting=carer, decom=date(2027, 1, 4), rne="B", place="U6")
    recompute.refresh_for_children([child.pk], today=date(2027, 1, 5))
    # Day 1 is 15 December; 25 and 28 December (Boxing Day's substitute) and 1 January are
    # bank holidays: day 20 is Thursday 14 January (11 January counting weekdays only).
    assert duty(child, "lac_review").due == date(2027, 1, 14)
    # The review is held: the second is due within 3 months of it.
    review = LacReviewFactory(child=child, review_date=date(2027, 1, 12))
    recompute.refresh_for_children([child.pk], today=date(2027, 1, 12))
    done = duty(child, "lac_review", DONE)
    assert (done.done_on, done.due, done.done_by) == (
        date(2027, 1, 12),
        date(2027, 1, 14),
        f"lac_review:{review.pk}",
    )
    assert duty(child, "lac_review").due == date(2027, 4, 12)


@pytest.mark.django_db
def test_first_lac_review_counts_working_days_over_easter(child):
    carer = SettingFactory(urn=None, provision_type=ProvisionType.IN_HOUSE_FOSTERING)
    PlacementFactory(child=child, setting=carer, decom=date(2027, 3, 15), place="U6")
    recompute.refresh_for_children([child.pk], today=date(2027, 3, 15))
    # Good Friday 26 March and Easter Monday 29 March 2027 are not working days.
    assert duty(child, "lac_review").due == date(2027, 4, 14)


# ============================================================================================
# Unregistered placements: the 24-hour visit, commissioning, service manager
# ============================================================================================


@pytest.mark.django_db
def test_unregistered_placement_has_a_24_hour_duty_with_a_time(
    child, social_worker, service_manager, commissioning
):
    child.date_of_birth = date(2009, 3, 1)
    child.save()
    flat = UnregisteredSettingFactory()
    PlacementFactory(child=child, setting=flat, decom=START, ls="V2", place="Z11", urn="")
    recompute.refresh_for_children([child.pk], today=date(2026, 10, 30))
    assert duty(child, "purposeful_visit").due == START  # before the placement
    record_visit(child, date(2026, 11, 1), kind=VisitKind.PURPOSEFUL)
    assert duty(child, "purposeful_visit", DONE).done_on == date(2026, 11, 1)
    within_24_hours = duty(child, "purposeful_visit")
    # The 903 records no time: the placement is taken to start at the end of 2 November.
    assert within_24_hours.due_at == datetime(2026, 11, 3, 23, 59, 59, 999999, tzinfo=LONDON)
    assert "start time not recorded: treated as the end of the day" in within_24_hours.basis
    assert within_24_hours.due == date(2026, 11, 3)
    commissioning_visit = duty(child, "commissioning_visit")
    assert commissioning_visit.due == date(2026, 11, 12)  # within 10 days
    assert commissioning_visit.owner is None
    assert commissioning_visit.team == commissioning.team
    manager_visit = duty(child, "service_manager_visit")
    assert manager_visit.due == date(2026, 12, 2)  # within 1 month
    assert manager_visit.owner == service_manager  # the social worker's manager's manager
    # A commissioning visit is a one-off: once made, no duty remains.
    record_visit(child, date(2026, 11, 10), kind=VisitKind.COMMISSIONING)
    assert not Duty.objects.filter(child=child, kind="commissioning_visit", status=OPEN)
    assert duty(child, "commissioning_visit", DONE).done_on == date(2026, 11, 10)


# ============================================================================================
# Rules are data; a child's own schedule
# ============================================================================================


@pytest.mark.django_db
def test_rule_values_are_seeded_with_the_defaults_and_read_in_one_query(
    django_assert_num_queries,
):
    defaults = asdict(rules.RuleSet.defaults())
    # Other apps keep their timescales in the same table (escalations/0004): not the schedule's.
    seeded = dict(RuleValue.objects.values_list("name", "value"))
    assert {name: seeded[name] for name in seeded if name in defaults} == defaults
    row = RuleValue.objects.get(name="statutory_interval_first_year_days")
    assert "every 6 weeks" in row.help_text and row.source.startswith("TS §1")
    row.value = 28
    row.save()
    with django_assert_num_queries(1):
        ruleset = schedule.current_ruleset()
    assert ruleset.statutory_interval_first_year_days == 28
    assert ruleset.lac_review_first_working_days == 20


@pytest.mark.django_db
def test_an_administrator_editing_a_rule_recomputes_open_duties(
    client, administrator, child, started, django_capture_on_commit_callbacks
):
    record_visit(child, date(2026, 11, 6))
    row = duty(child, "statutory_visit")
    assert row.due == date(2026, 12, 18)
    rule = RuleValue.objects.get(name="statutory_interval_first_year_days")
    client.force_login(administrator)
    url = reverse("admin:duties_rulevalue_change", args=[rule.pk])
    with travel(date(2026, 11, 10)), django_capture_on_commit_callbacks(execute=True) as calls:
        response = client.post(url, {"value": "28"})
    assert response.status_code == 302
    assert len(calls) == 1
    rule.refresh_from_db()
    assert rule.value == 28
    assert rule.history.latest().history_user == administrator
    row.refresh_from_db()
    assert (row.status, row.due) == (OPEN, date(2026, 12, 4))  # 6 November + 28 days
    assert "4-weekly" in row.basis


@pytest.mark.django_db
def test_editing_a_rule_in_the_admin_list_recomputes_too(
    client, administrator, child, started, django_capture_on_commit_callbacks
):
    record_visit(child, date(2026, 11, 6))
    rows = list(RuleValue.objects.order_by("pk"))
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(len(rows)),
        "_save": "Save",
    }
    for i, rule in enumerate(rows):
        data[f"form-{i}-id"] = str(rule.pk)
        value = 35 if rule.name == "statutory_interval_first_year_days" else rule.value
        data[f"form-{i}-value"] = str(value)
    client.force_login(administrator)
    with travel(date(2026, 11, 10)), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:duties_rulevalue_changelist"), data)
    assert response.status_code == 302
    assert RuleValue.objects.get(name="statutory_interval_first_year_days").value == 35
    assert duty(child, "statutory_visit").due == date(2026, 12, 11)  # 6 Nov + 35


@pytest.mark.django_db
def test_a_schedule_agreed_in_the_admin_recomputes_the_childs_duties(
    client, administrator, child, started
):
    record_visit(child, date(2026, 11, 6))
    review = LacReviewFactory(child=child, review_date=date(2026, 11, 5))
    client.force_login(administrator)
    with travel(date(2026, 11, 10)):
        response = client.post(
            reverse("admin:visits_scheduleoverride_add"),
            {
                "child": child.pk,
                "duty_kind": "statutory_visit",
                "interval_days": "10",
                "interval_months": "",
                "agreed_by_name": "Ian Reviewer (IRO)",
                "agreed_on": "2026-11-05",
                "review": review.pk,
                "reason": "Weekly contact agreed",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    override = ScheduleOverride.objects.get(child=child)
    assert override.created_by == administrator
    assert override.history.latest().history_user == administrator
    assert duty(child, "statutory_visit").due == date(2026, 11, 16)  # 6 Nov + 10
    with travel(date(2026, 11, 10)):
        client.post(
            reverse("admin:visits_scheduleoverride_delete", args=[override.pk]), {"post": "yes"}
        )
    assert not ScheduleOverride.objects.exists()
    assert duty(child, "statutory_visit").due == date(2026, 12, 18)  # back to + 42


@pytest.mark.django_db
def test_the_admin_refuses_an_override_with_two_intervals(client, administrator, child):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:visits_scheduleoverride_add"),
        {
            "child": child.pk,
            "duty_kind": "statutory_visit",
            "interval_days": "10",
            "interval_months": "1",
            "agreed_by_name": "IRO",
            "agreed_on": "2026-11-05",
        },
    )
    assert response.status_code == 200
    assert "Give the interval in days or in months, not both." in response.content.decode()
    assert not ScheduleOverride.objects.exists()


@pytest.mark.django_db
def test_the_admin_refuses_a_rule_the_engine_cannot_use(client, administrator):
    rule = RuleValue.objects.get(name="unregistered_min_in_person")
    client.force_login(administrator)
    url = reverse("admin:duties_rulevalue_change", args=[rule.pk])
    response = client.post(url, {"value": "5"})  # more than the 2 visits a week
    assert response.status_code == 200
    assert "exceeds unregistered_visits_per_week" in response.content.decode()
    rule.refresh_from_db()
    assert rule.value == 1


@pytest.mark.django_db
def test_a_schedule_agreed_at_a_lac_review_wins_over_the_default(child, iro, social_worker):
    carer = SettingFactory(urn=None, provision_type=ProvisionType.IN_HOUSE_FOSTERING)
    PlacementFactory(child=child, setting=carer, decom=date(2026, 1, 5), place="U6")
    review = LacReviewFactory(child=child, review_date=date(2026, 11, 20))
    VisitFactory(child=child, on=date(2026, 11, 25))
    recompute.refresh_for_children([child.pk], today=date(2026, 11, 26))
    assert duty(child, "statutory_visit").due == date(2027, 1, 6)  # + 42 days
    with travel(date(2026, 11, 26)):
        override = overrides.schedule_override_record(
            child=child,
            duty_kind="statutory_visit",
            interval_days=14,
            agreed_by_name="Ian Reviewer (IRO)",
            agreed_by=iro,
            agreed_on=review.review_date,
            review=review,
            reason="Settling in badly; fortnightly visits agreed",
            actor=social_worker,
        )
    assert override.created_by == social_worker
    row = duty(child, "statutory_visit")
    assert row.due == date(2026, 12, 9)  # 25 November + 14 days
    assert "agreed by Ian Reviewer (IRO) on 20 November 2026" in row.basis


@pytest.mark.django_db
def test_an_override_has_exactly_one_interval(child):
    with (
        pytest.raises(IntegrityError, match="override_has_exactly_one_interval"),
        transaction.atomic(),
    ):
        ScheduleOverride.objects.create(
            child=child,
            duty_kind="statutory_visit",
            interval_days=14,
            interval_months=1,
            agreed_by_name="IRO",
            agreed_on=date(2026, 2, 2),
        )


# ============================================================================================
# Mapping our data to the engine's facts
# ============================================================================================


@pytest.mark.parametrize(
    ("place", "ls", "provision_type", "registration", "expected"),
    [
        ("U6", "C2", ProvisionType.IN_HOUSE_FOSTERING, "active", "in_house_fostering"),
        ("U4", "C2", ProvisionType.IFA_FOSTERING, "active", "ifa_fostering"),
        ("K2", "C2", ProvisionType.CHILDRENS_HOME, "active", "regulated"),
        ("K3", "V2", ProvisionType.SUPPORTED_ACCOMMODATION, "active", "regulated"),
        ("K2", "C2", ProvisionType.CHILDRENS_HOME, "unregistered", "unregistered"),
        ("Z11", "V2", ProvisionType.UNREGISTERED, "unregistered", "unregistered"),
        ("K2", "V3", ProvisionType.CHILDRENS_HOME, "active", "short_breaks"),
        ("R5", "J1", None, None, "custody"),
        ("A5", "E1", None, None, "adoption"),
        ("P1", "C1", None, None, "placed_with_parent"),
        ("Z12", "V2", None, None, "unregistered"),
        ("U6", "C2", None, None, "in_house_fostering"),
        ("K1", "J1", None, None, "regulated"),
        ("R2", "C2", None, None, "other"),
        ("K2", "C2", ProvisionType.STAYING_PUT, "active", "other"),
    ],
)
def test_provision_kind_from_the_903_episode_and_its_setting(
    place, ls, provision_type, registration, expected
):
    setting = (
        Setting(provision_type=provision_type, registration_status=registration)
        if provision_type
        else None
    )
    placement = Placement(decom=START, place=place, ls=ls, rne="S", setting=setting)
    assert schedule.provision_kind(placement) == expected
    assert schedule.placement_facts(placement).provision_kind == expected


@pytest.mark.parametrize(
    ("ls", "rne", "pre_assessment", "flag"),
    [
        ("C1", "S", False, "interim_care_order_with_parent"),
        ("C1", "S", True, "interim_care_order_with_parent"),
        ("C2", "L", False, "care_order_made_while_with_parent"),
        ("C2", "B", True, "placed_with_parent_pre_assessment"),
    ],
)
def test_placed_with_parent_circumstances(ls, rne, pre_assessment, flag):
    placement = Placement(
        decom=START,
        place="P1",
        ls=ls,
        rne=rne,
        placed_with_parent_pre_assessment=pre_assessment,
        connected_person_temporary=True,  # never with a parent: dropped
    )
    facts = schedule.placement_facts(placement)
    flags = {
        "interim_care_order_with_parent",
        "care_order_made_while_with_parent",
        "placed_with_parent_pre_assessment",
    }
    assert {name for name in flags if getattr(facts, name)} == {flag}
    assert not facts.connected_person_temporary


@pytest.mark.django_db
def test_a_placement_with_parent_under_an_interim_care_order_is_visited_weekly(child):
    PlacementFactory(child=child, setting=None, decom=START, place="P1", ls="C1", urn="")
    VisitFactory(child=child, on=date(2026, 11, 6))
    recompute.refresh_for_children([child.pk], today=date(2026, 11, 6))
    assert duty(child, "statutory_visit").due == date(2026, 11, 13)  # weekly
    LacReviewFactory(child=child, review_date=date(2026, 11, 20))
    record_visit(child, date(2026, 11, 24))
    assert duty(child, "statutory_visit").due == date(2026, 12, 22)  # then 4-weekly


@pytest.mark.django_db
def test_placement_end_is_the_day_before_the_next_episode_starts(child):
    placement = PlacementFactory(child=child, decom=START, dec=date(2026, 11, 20))
    assert schedule.placement_facts(placement).end == date(2026, 11, 19)
    same_day = PlacementFactory(child=child, decom=date(2026, 12, 1), dec=date(2026, 12, 1))
    assert schedule.placement_facts(same_day).end == date(2026, 12, 1)


# ============================================================================================
# Recomputing: idempotent, safe to overlap, batched
# ============================================================================================


def _mixed_children(social_worker):
    """Children in several circumstances, each with a visit and a review."""
    flat = UnregisteredSettingFactory()
    cases = [
        {"setting": SettingFactory(), "place": "K2"},
        {"setting": SettingFactory(provision_type=ProvisionType.IFA_FOSTERING), "place": "U4"},
        {"setting": flat, "place": "Z11", "ls": "V2"},
        {"setting": None, "place": "P1", "ls": "C1", "urn": ""},
    ]
    children = []
    for i, case in enumerate(cases):
        kid = ChildFactory(
            team=social_worker.team, social_worker=social_worker, date_of_birth=date(2009, 1, 1)
        )
        PlacementFactory(child=kid, decom=date(2026, 9, 1 + i), permanent=i == 1, **case)
        VisitFactory(child=kid, on=date(2026, 9, 20))
        VisitFactory(child=kid, on=date(2026, 9, 21), kind=VisitKind.PURPOSEFUL)
        LacReviewFactory(child=kid, review_date=date(2026, 9, 28))
        children.append(kid)
    return children


def _snapshot():
    return sorted(
        Duty.objects.values_list("pk", "kind", "subject", "due", "due_at", "status", "updated_at")
    )


@pytest.mark.django_db
def test_recomputing_twice_changes_nothing(social_worker, service_manager, commissioning):
    _mixed_children(social_worker)
    today = date(2026, 11, 10)
    first = recompute.recompute_all(today=today)
    assert first.created > 12 and first.errors == 0
    before = _snapshot()
    second = recompute.recompute_all(today=today)
    assert second.changed == 0 and second.unchanged == Duty.objects.filter(status=OPEN).count()
    assert _snapshot() == before
    open_rows = Duty.objects.filter(status=OPEN)
    assert open_rows.count() == len(set(open_rows.values_list("kind", "subject")))


@pytest.mark.django_db
def test_an_overlapping_run_that_inserted_first_is_retried_not_duplicated(
    child, started, monkeypatch
):
    """A run that did not see another run's open rows collides on the unique index; the
    batch is rolled back and run again, and reads them."""
    real_open_rows = recompute._open_rows
    calls = []

    def missing_open_rows(scope, ids):
        rows = real_open_rows(scope, ids)
        calls.append(1)
        return {} if len(calls) == 1 else rows  # as if another run had just inserted them

    monkeypatch.setattr(recompute, "_open_rows", missing_open_rows)
    stats = recompute.recompute_all(today=date(2026, 11, 3))
    assert stats.retries == 1 and len(calls) == 2
    # The visits, the local standards, the LAC review and its report; the 5 plan duties.
    assert Duty.objects.filter(child=child, status=OPEN).count() == 12
    assert not Duty.objects.filter(child=child, status=CANCELLED).exists()


@pytest.mark.django_db
def test_a_child_whose_placements_are_gone_has_its_open_duties_cancelled(child, started):
    Duty.objects.filter(child=child, kind="lac_review").update(subject="child:0")
    recompute.recompute_all(today=date(2026, 11, 3))
    assert duty(child, "lac_review", CANCELLED).subject == "child:0"
    assert duty(child, "lac_review").subject == f"child:{child.pk}"


def _bulk_children(start: int, stop: int, worker, setting) -> None:
    """Children start..stop-1, each with a placement, two visits and a LAC review."""
    children = Child.objects.bulk_create(
        Child(
            child_id=f"B{i:06d}",
            first_name="Test",
            last_name=f"Child {i}",
            date_of_birth=date(2012, 5, 17),
            sex="1",
            ethnicity="WBRI",
            team=worker.team,
            social_worker=worker,
        )
        for i in range(start, stop)
    )
    Placement.objects.bulk_create(
        Placement(
            child=c, setting=setting, decom=date(2026, 9, 1), rne="S", ls="C2", cin="N1", place="K2"
        )
        for c in children
    )
    Visit.objects.bulk_create(
        Visit(
            child=c,
            kind=kind,
            status=Visit.Status.FINISHED,
            visitor_name="Sam Worker",
            visitor_role="Social worker",
            visited_at=at_noon(day),
        )
        for c in children
        for kind, day in [
            (VisitKind.STATUTORY, date(2026, 9, 5)),
            (VisitKind.PURPOSEFUL, date(2026, 9, 20)),
        ]
    )
    LacReview.objects.bulk_create(
        LacReview(child=c, review_date=date(2026, 9, 28)) for c in children
    )


def _recompute_queries(batch_size: int) -> tuple[int, recompute.Stats]:
    """Queries of one first recompute, rolled back so the next one starts the same."""
    sid = transaction.savepoint()
    with CaptureQueriesContext(connection) as ctx:
        stats = recompute.recompute_all(today=date(2026, 11, 10), batch_size=batch_size)
    transaction.savepoint_rollback(sid)
    return len(ctx.captured_queries), stats


@pytest.mark.django_db
def test_recompute_queries_grow_with_batches_not_children(social_worker):
    setting = SettingFactory()
    _bulk_children(0, 50, social_worker, setting)
    q50, stats50 = _recompute_queries(50)
    _bulk_children(50, 100, social_worker, setting)
    q100, _ = _recompute_queries(50)
    _bulk_children(100, 500, social_worker, setting)
    q500, stats500 = _recompute_queries(50)
    per_batch = q100 - q50
    # ids, the open rows, visits' 4 reads, reviews' 4 (episodes, reviews, bookings, reports
    # sent), visit recording's 2 (its open rows, the drafts), the plans' 2 (episodes, plans),
    # the updated assessment's 5 (reviews' 4 and the assessments), insert (+ savepoint,
    # release in a test)
    assert per_batch <= 22
    assert q500 == q50 + 9 * per_batch  # 10 batches: 9 more than for 50 children
    assert (stats50.batches, stats500.batches) == (1, 10)
    # statutory, purposeful, IRO visits, LAC review and its report, bedroom seen (the
    # statutory visit after the day of placement ended that one); care plan, placement
    # plan, health assessment, PEP (14-year-olds) and the updated assessment
    assert stats500.created == 500 * 11 and stats500.errors == 0
    # Once computed, a run writes nothing and still does not query per child.
    recompute.recompute_all(today=date(2026, 11, 10), batch_size=50)
    with CaptureQueriesContext(connection) as ctx:
        again = recompute.recompute_all(today=date(2026, 11, 10), batch_size=50)
    assert again.changed == 0 and len(ctx.captured_queries) <= q500


@pytest.mark.django_db
def test_recompute_walks_children_with_open_duties_even_without_an_open_placement(child, started):
    Placement.objects.filter(pk=started.pk).update(dec=date(2026, 11, 5))  # not via the service
    assert recompute.children_to_recompute(date(2026, 11, 6)).filter(pk=child.pk).exists()
    stats = recompute.recompute_all(today=date(2026, 11, 6))
    # the visits, the local standards, the LAC review and its report; the 5 plan duties
    assert stats.cancelled == 12
    assert not recompute.children_to_recompute(date(2026, 11, 6)).filter(pk=child.pk).exists()


@pytest.mark.django_db
def test_recompute_duties_command_reports_progress(social_worker, capsys):
    from django.core.management import call_command

    _bulk_children(0, 5, social_worker, SettingFactory())
    call_command("recompute_duties", "--as-of", "2026-11-10", "--batch-size", "2")
    out = capsys.readouterr().out
    assert "children: 2 / 5 …" in out and "children: 5 / 5 …" in out
    # each: 4 visit duties, the LAC review and its report; the 5 plan duties
    assert "duties created 55" in out


@pytest.mark.django_db
def test_the_celery_task_recomputes(social_worker):
    _bulk_children(0, 3, social_worker, SettingFactory())
    result = tasks.recompute_all_duties.delay(as_of="2026-11-10")
    assert result.get()["created"] == 33  # 11 each: 6 of visits and reviews, 5 of plans
    assert tasks.recompute_all_duties.name == "visits.recompute_all_duties"


def test_stats_add_every_field():
    a, b = recompute.Stats(created=1, done=2), recompute.Stats(created=3, cancelled=1)
    a.add(b)
    assert (a.created, a.done, a.cancelled, a.changed) == (4, 2, 1, 7)
    assert {f.name for f in fields(a)} >= {"children", "batches", "retries"}
