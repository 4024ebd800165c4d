"""The local standards (003 10.2, 10.10) and short breaks as rows of the Duty table, end to
end: recomputed from placements and visits, shown by ``deadlines``, counted in the
worktray and the visits-on-time figures."""

from datetime import date

import pytest
from django.core.management import call_command

from duties import recompute, worktray
from duties.models import Duty, RuleValue
from duties.services import rule_value_set
from placements import services
from placements.models import ProvisionType
from placements.tests.factories import ChildFactory, PlacementFactory, SettingFactory
from visits.models import VisitKind
from visits.tests.factories import VisitFactory
from visits.tests.test_schedule import (
    CANCELLED,
    DONE,
    EPISODE,
    OPEN,
    START,
    dues,
    duty,
    record_visit,
    travel,
)


@pytest.fixture
def child(social_worker):
    return ChildFactory(
        child_id="K100002",
        team=social_worker.team,
        social_worker=social_worker,
        date_of_birth=date(2012, 5, 17),
    )


@pytest.fixture
def started(child, social_worker):
    """A children's home placement started on Monday 2 November 2026, through the service."""
    with travel(START):
        return services.placement_start(
            child=child,
            setting=SettingFactory(urn="SC123457", name="Elm House"),
            start=START,
            episode=EPISODE,
            actor=social_worker,
        )


def deadlines(as_of: str, capsys, *args) -> list[list[str]]:
    call_command("deadlines", "--as-of", as_of, *args)
    return [line.split(",") for line in capsys.readouterr().out.strip().splitlines()]


# ============================================================================================
# 003 10.2: seen on the day of placement
# ============================================================================================


@pytest.mark.django_db
def test_seen_on_the_day_of_placement_is_done_on_time(child, started, team_manager):
    row = duty(child, "placement_day_visit")
    assert (row.due, row.subject) == (START, f"placement:{started.pk}")
    assert row.owner == child.social_worker and row.team == child.team
    visit = record_visit(child, START)
    row.refresh_from_db()
    assert (row.status, row.done_on, row.done_by) == (DONE, START, f"visit:{visit.pk}")
    assert not Duty.objects.filter(child=child, kind="placement_day_visit", status=OPEN).exists()
    quarter, rows = worktray.timeliness(team_manager, date(2026, 11, 3))
    team = next(r for r in rows if r["team"] == child.team)
    assert (team["done"], team["on_time"]) == (2, 2)  # the statutory visit too


@pytest.mark.django_db
def test_a_missed_day_of_placement_leaves_the_worktray_late_with_the_first_statutory_visit(
    child, started, social_worker, team_manager
):
    day_after = worktray.clock(date(2026, 11, 3))
    overdue = worktray.open_duties(social_worker, day_after).get(kind="placement_day_visit")
    assert overdue.bucket == worktray.Bucket.OVERDUE
    # A purposeful visit after the day does not end it; the first statutory visit does.
    record_visit(child, date(2026, 11, 4), kind=VisitKind.PURPOSEFUL)
    assert duty(child, "placement_day_visit").due == START
    visit = record_visit(child, date(2026, 11, 6))
    row = Duty.objects.get(child=child, kind="placement_day_visit")
    assert (row.status, row.due, row.done_on) == (DONE, START, date(2026, 11, 6))
    assert row.done_by == f"visit:{visit.pk}"
    later = worktray.clock(date(2026, 11, 7))
    assert not worktray.open_duties(social_worker, later).filter(kind="placement_day_visit")
    # It stays on the record, late, in the visits on time this quarter.
    _, rows = worktray.timeliness(team_manager, date(2026, 11, 7))
    team = next(r for r in rows if r["team"] == child.team)
    # the day (late), the statutory visit (on time), the purposeful visit before the
    # placement (made late, on 4 November)
    assert (team["done"], team["on_time"]) == (3, 1)
    # and nothing reopens on the nightly run
    recompute.recompute_all(today=date(2026, 11, 8))
    assert not Duty.objects.filter(child=child, kind="placement_day_visit", status=OPEN).exists()


@pytest.mark.django_db
def test_a_placement_ending_before_any_visit_cancels_the_missed_day_keeping_its_date(child):
    PlacementFactory(child=child, decom=date(2026, 3, 2), dec=date(2026, 3, 4))
    recompute.refresh_for_children([child.pk], today=date(2026, 3, 3))
    assert duty(child, "placement_day_visit").due == date(2026, 3, 2)
    recompute.refresh_for_children([child.pk], today=date(2026, 3, 4))
    row = Duty.objects.get(child=child, kind="placement_day_visit")
    assert (row.status, row.due, row.done_on) == (CANCELLED, date(2026, 3, 2), None)


@pytest.mark.django_db
def test_a_placement_whose_first_visit_is_history_has_no_day_of_placement_row(child):
    PlacementFactory(child=child, decom=date(2025, 3, 2))
    VisitFactory(child=child, on=date(2025, 3, 5))
    recompute.refresh_for_children([child.pk], today=date(2026, 3, 3))
    assert not Duty.objects.filter(child=child, kind="placement_day_visit").exists()


# ============================================================================================
# 003 10.10: the bedroom seen every 12 weeks
# ============================================================================================


@pytest.mark.django_db
def test_bedroom_seen_is_done_by_a_visit_that_saw_it_and_counts_from_it(child, started):
    assert duty(child, "bedroom_seen").due == date(2027, 1, 25)  # 2 November + 12 weeks
    record_visit(child, date(2026, 11, 6), bedroom_seen=False)
    assert duty(child, "bedroom_seen").due == date(2027, 1, 25)
    seen = record_visit(child, date(2026, 11, 20), kind=VisitKind.PURPOSEFUL, bedroom_seen=True)
    done = Duty.objects.get(child=child, kind="bedroom_seen", status=DONE)
    assert (done.done_on, done.done_by) == (date(2026, 11, 20), f"visit:{seen.pk}")
    row = duty(child, "bedroom_seen")
    assert row.due == date(2027, 2, 12)
    assert "bedroom last seen 20 November 2026" in row.basis
    assert row.owner == child.social_worker


@pytest.mark.django_db
def test_an_iro_visit_that_saw_the_bedroom_does_not_count(child, started):
    record_visit(child, date(2026, 11, 20), kind=VisitKind.IRO, bedroom_seen=True)
    assert duty(child, "bedroom_seen").due == date(2027, 1, 25)


# ============================================================================================
# Short breaks: one schedule for the series, rows the deadlines show
# ============================================================================================


def _stay(child, decom, dec, ls="V3", **kw):
    setting = kw.pop("setting", None) or SettingFactory(provision_type=ProvisionType.CHILDRENS_HOME)
    return PlacementFactory(
        child=child, setting=setting, decom=decom, dec=dec, ls=ls, cin="N2", **kw
    )


@pytest.mark.django_db
def test_a_series_of_short_breaks_is_visited_within_3_months_of_the_first_stay(child, capsys):
    first = _stay(child, date(2025, 11, 30), date(2025, 12, 2))
    _stay(child, date(2026, 1, 10), date(2026, 1, 12), rne="P")
    recompute.refresh_for_children([child.pk], today=date(2026, 1, 15))
    statutory = duty(child, "statutory_visit")
    assert (statutory.due, statutory.subject) == (date(2026, 2, 28), f"placement:{first.pk}")
    assert "first short break on 30 November 2025" in statutory.basis
    assert dues(child) == {
        "placement_day_visit": date(2025, 11, 30),
        "statutory_visit": date(2026, 2, 28),
    }
    rows = deadlines("2026-01-15", capsys, "--kind", "statutory_visit")
    assert rows[0] == ["kind", "child", "urn", "due", "status", "owner"]
    assert [(r[0], r[1], r[3], r[4]) for r in rows[1:]] == [
        ("statutory_visit", child.child_id, "2026-02-28", "open")
    ]
    rows = deadlines("2026-01-15", capsys, "--kind", "placement_day_visit")
    assert [(r[0], r[3], r[4]) for r in rows[1:]] == [
        ("placement_day_visit", "2025-11-30", "overdue")
    ]
    # A visit at home between stays counts: then every 3 months from it.
    record_visit(child, date(2026, 2, 28))
    done = Duty.objects.get(child=child, kind="statutory_visit", status=DONE)
    assert (done.due, done.done_on) == (date(2026, 2, 28), date(2026, 2, 28))
    assert duty(child, "statutory_visit").due == date(2026, 5, 28)
    assert not Duty.objects.filter(child=child, kind="bedroom_seen").exists()
    # No stay within 3 months of the last (ended 12 January): the series has lapsed.
    recompute.refresh_for_children([child.pk], today=date(2026, 4, 11))
    assert duty(child, "statutory_visit").due == date(2026, 5, 28)
    recompute.refresh_for_children([child.pk], today=date(2026, 4, 12))
    assert not Duty.objects.filter(child=child, status=OPEN).exists()
    # A new stay picks the series up again, counted from the last visit.
    _stay(child, date(2026, 4, 20), None, rne="P")
    recompute.refresh_for_children([child.pk], today=date(2026, 4, 20))
    row = duty(child, "statutory_visit")
    assert (row.due, row.subject) == (date(2026, 5, 28), f"placement:{first.pk}")


@pytest.mark.django_db
def test_a_series_of_stays_lapses_a_visiting_interval_after_the_last_stay(child):
    _stay(child, date(2025, 11, 30), date(2025, 12, 2))
    # the last day of the stay is 1 December; the series goes on at home to 1 March
    recompute.refresh_for_children([child.pk], today=date(2026, 3, 1))
    assert duty(child, "statutory_visit").due == date(2026, 2, 28)
    recompute.refresh_for_children([child.pk], today=date(2026, 3, 2))
    row = Duty.objects.get(child=child, kind="statutory_visit")
    assert (row.status, row.due) == (CANCELLED, date(2026, 2, 28))


@pytest.mark.django_db
def test_a_recorded_agreement_of_short_breaks_ends_with_its_episode(child):
    _stay(child, date(2025, 11, 30), date(2026, 3, 15), ls="V4")
    recompute.refresh_for_children([child.pk], today=date(2026, 3, 14))
    assert duty(child, "statutory_visit").due == date(2026, 2, 28)
    recompute.refresh_for_children([child.pk], today=date(2026, 3, 15))
    assert not Duty.objects.filter(child=child, kind="statutory_visit", status=OPEN).exists()
    # an agreement ending before the first visit falls due never had one
    other = ChildFactory(child_id="K100003")
    _stay(other, date(2025, 11, 30), date(2026, 2, 28), ls="V4")
    recompute.refresh_for_children([other.pk], today=date(2026, 1, 31))
    assert not Duty.objects.filter(child=other, kind="statutory_visit").exists()


@pytest.mark.django_db
def test_a_short_break_frequency_agreed_with_the_iro_and_parents_wins(child, iro, social_worker):
    from visits import overrides

    _stay(child, date(2025, 11, 30), None)
    recompute.refresh_for_children([child.pk], today=date(2025, 12, 1))
    assert duty(child, "statutory_visit").due == date(2026, 2, 28)
    overrides.schedule_override_record(
        child=child,
        duty_kind="statutory_visit",
        interval_months=1,
        agreed_by_name="Ian Reviewer (IRO) and the parents",
        agreed_on=date(2025, 11, 20),
        actor=social_worker,
    )
    recompute.refresh_for_children([child.pk], today=date(2025, 12, 1))
    row = duty(child, "statutory_visit")
    assert row.due == date(2025, 12, 30)
    assert "frequency agreed with the IRO and the parents" in row.basis


# ============================================================================================
# The purposeful visiting schedule's placements: an authority setting
# ============================================================================================


@pytest.mark.django_db
def test_including_ifa_placements_in_the_purposeful_schedule_recomputes_their_duties(
    child, administrator, django_capture_on_commit_callbacks
):
    ifa = SettingFactory(urn="SC777777", provision_type=ProvisionType.IFA_FOSTERING)
    PlacementFactory(child=child, setting=ifa, decom=date(2026, 3, 2), place="U6")
    recompute.refresh_for_children([child.pk], today=date(2026, 3, 2))
    assert "purposeful_visit" not in dues(child)
    row = RuleValue.objects.get(name="purposeful_includes_ifa_fostering")
    assert row.value == 0 and "line 97" in row.source
    with django_capture_on_commit_callbacks(execute=True):
        rule_value_set(rule_value=row, value=1, actor=administrator)
    purposeful = Duty.objects.get(child=child, kind="purposeful_visit", status=OPEN)
    assert purposeful.due == date(2026, 3, 2)
    assert Duty.objects.filter(child=child, kind="iro_visit", status=OPEN).exists()


@pytest.mark.django_db
def test_a_purposeful_setting_other_than_0_or_1_is_refused(administrator):
    from django.core.exceptions import ValidationError

    row = RuleValue.objects.get(name="purposeful_includes_ifa_fostering")
    with pytest.raises(ValidationError):
        rule_value_set(rule_value=row, value=2, actor=administrator)
    row.refresh_from_db()
    assert row.value == 0
