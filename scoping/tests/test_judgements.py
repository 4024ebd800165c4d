"""The Inadequate workflow, the Requires improvement downgrade and Ofsted notices."""

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from duties.models import Duty, Notification, RuleValue
from escalations.models import ConcernLevelChange
from placements import services
from placements.models import (
    ConcernLevel,
    Inspection,
    Rating,
    Setting,
)
from placements.tests.factories import ChildFactory, PlacementFactory, SettingFactory
from scoping import judgements
from scoping.models import RiskAssessment
from tests.placed import place_three

pytestmark = pytest.mark.django_db

DATA = Path(services.__file__).parent / "tests" / "data" / "ofsted"
RECORDED = date(2026, 11, 2)
NOON = datetime(2026, 11, 2, 12, tzinfo=UTC)


def record(setting, judgement=Rating.INADEQUATE, *, on=date(2026, 10, 14), actor=None):
    return services.inspection_record(
        setting=setting,
        inspection_date=on,
        overall_judgement=judgement,
        recorded_on=RECORDED,
        actor=actor,
    )


def deadlines(as_of="2026-11-02"):
    out = io.StringIO()
    call_command("deadlines", "--as-of", as_of, stdout=out)
    return out.getvalue().splitlines()


def assert_inadequate_steps(setting, children, social_worker, team_manager, iro, other):
    setting.refresh_from_db()
    assert setting.referrals_suspended
    assert setting.referrals_suspended_reason == "Rated Inadequate by Ofsted on 14/10/2026"
    assert setting.concern_level == ConcernLevel.LEVEL_2
    change = ConcernLevelChange.objects.get(setting=setting)
    assert (change.level, change.previous_level, change.source) == (
        ConcernLevel.LEVEL_2,
        ConcernLevel.NONE,
        ConcernLevelChange.Source.INADEQUATE,
    )

    ras = RiskAssessment.objects.filter(setting=setting).order_by("child__child_id")
    assert [ra.child.child_id for ra in ras] == ["C000001", "C000002", "C000003"]
    assert {ra.due for ra in ras} == {date(2026, 11, 7)}  # 5 calendar days
    assert [ra.owner for ra in ras] == [social_worker, social_worker, other]
    duties = Duty.objects.filter(kind="risk_assessment", status="open").order_by("child__child_id")
    assert [(d.subject, d.owner, d.due) for d in duties] == [
        (f"risk_assessment:{ra.pk}", ra.owner, date(2026, 11, 7)) for ra in ras
    ]

    scoping = Duty.objects.get(kind="scoping_meeting", status="open")
    assert scoping.setting == setting
    assert scoping.team.kind == "lado_service"
    assert scoping.subject == f"setting:{setting.pk}:scoping"

    notified = {n.user.username: n for n in Notification.objects.all()}
    assert set(notified) == {"sw", "tm", "iro", "sw2", "tm2"}
    for note in notified.values():
        assert "Oak House" in note.subject and "Inadequate" in note.subject
        for child in children:  # named by 903 ID only
            assert child.first_name not in note.subject + note.body
            assert child.last_name not in note.subject + note.body
        assert note.url == reverse("placements:setting", args=[setting.pk])
    assert "C000003" in notified["sw2"].body and "C000001" not in notified["sw2"].body
    assert "C000001" in notified["iro"].body and "C000003" not in notified["iro"].body

    rows = deadlines()
    assert f"scoping_meeting,,{setting.urn},2026-11-02,open," in rows
    for child in children:
        owner = "sw2" if child.child_id == "C000003" else "sw"
        assert f"risk_assessment,{child.child_id},{setting.urn},2026-11-07,open,{owner}" in rows


def counts():
    return (
        Inspection.objects.count(),
        RiskAssessment.objects.count(),
        Duty.objects.filter(kind__in=["risk_assessment", "scoping_meeting"]).count(),
        Notification.objects.count(),
        ConcernLevelChange.objects.count(),
    )


def test_inadequate_in_the_browser_once(
    client, placed, commissioning, social_worker, team_manager, iro, other_team_worker
):
    setting, children = placed
    client.force_login(commissioning)
    url = reverse("placements:inspection_create", args=[setting.pk])
    data = {
        "inspection_date_0": "14",
        "inspection_date_1": "10",
        "inspection_date_2": "2026",
        "event_type": "Full inspection",
        "overall_judgement": "inadequate",
    }
    with time_machine.travel(NOON, tick=False):
        assert client.post(url, data).status_code == 302
        before = counts()
        client.post(url, data)  # the form refuses it
        record(setting, actor=commissioning)  # and the service does nothing twice
    assert counts() == before
    assert_inadequate_steps(setting, children, social_worker, team_manager, iro, other_team_worker)
    assert not Notification.objects.filter(user=commissioning).exists()


def test_inadequate_through_import_once(staff):
    quiet = io.StringIO()
    call_command(
        "import_ofsted", str(DATA / "providers_current.csv"), "--as-of", "2026-06-01", stdout=quiet
    )
    oak = Setting.objects.get(urn="SC100001")
    place_three(oak, *staff)
    assert not RiskAssessment.objects.exists()

    downgrade_file = str(DATA / "providers_current_downgrade.csv")
    call_command("import_ofsted", downgrade_file, "--as-of", "2026-11-02", stdout=quiet)
    before = counts()
    call_command("import_ofsted", downgrade_file, "--as-of", "2026-11-02", stdout=quiet)
    assert counts() == before
    oak.refresh_from_db()
    ras = RiskAssessment.objects.filter(setting=oak)
    assert ras.count() == 3
    assert {(ra.opened_on, ra.due) for ra in ras} == {(date(2026, 11, 2), date(2026, 11, 7))}
    assert oak.referrals_suspended and oak.concern_level == ConcernLevel.LEVEL_2
    assert oak.referrals_suspended_reason == "Rated Inadequate by Ofsted on 12/10/2026"
    scoping = Duty.objects.get(kind="scoping_meeting", setting=oak)
    assert (scoping.setting, scoping.due) == (oak, date(2026, 11, 2))
    assert Notification.objects.filter(user__username__in=["sw", "tm", "iro"]).count() == 3
    rows = deadlines()
    assert "scoping_meeting,,SC100001,2026-11-02,open," in rows
    assert sum(row.startswith("risk_assessment,") for row in rows) == 3


def test_the_days_are_a_rule_an_administrator_can_change(placed):
    setting, _ = placed
    RuleValue.objects.create(name="risk_assessment_days", value=3)
    record(setting)
    assert {ra.due for ra in RiskAssessment.objects.all()} == {date(2026, 11, 5)}


def test_rule_row_is_created_with_its_source(placed):
    record(placed[0])
    row = RuleValue.objects.get(name="risk_assessment_days")
    assert row.value == 5 and "Concerns raised by Ofsted/CQC" in row.source


def test_a_later_inadequate_opens_nothing_twice(placed):
    setting, children = placed
    record(setting)
    newcomer = ChildFactory(child_id="C000004", team=children[0].team)
    PlacementFactory(child=newcomer, setting=setting, decom=date(2026, 11, 10))
    services.inspection_record(
        setting=setting,
        inspection_date=date(2026, 11, 20),
        overall_judgement=Rating.INADEQUATE,
        recorded_on=date(2026, 11, 25),
        actor=None,
    )
    assert RiskAssessment.objects.count() == 4  # only the newcomer's
    assert RiskAssessment.objects.get(child=newcomer).due == date(2026, 11, 30)
    assert Duty.objects.filter(kind="scoping_meeting").count() == 1
    assert ConcernLevelChange.objects.count() == 1


def test_an_older_judgement_recorded_late_does_nothing(placed):
    setting, _ = placed
    result = record(setting, on=date(2024, 1, 1))
    assert result.created and not result.became_current
    assert counts()[1:] == (0, 0, 0, 0)


def test_guard_refuses_until_a_good_judgement(placed, commissioning, cic_team, social_worker):
    setting, _ = placed
    record(setting, actor=commissioning)
    setting.refresh_from_db()
    child = ChildFactory(child_id="C000005", team=cic_team, social_worker=social_worker)
    episode = services.EpisodeCodes(rne="S", ls="C2", cin="N1", place="K2", place_provider="PR4")
    with pytest.raises(services.PlacementRefused) as refused:
        services.placement_start(
            child=child,
            setting=setting,
            start=date(2026, 11, 3),
            episode=episode,
            actor=social_worker,
        )
    assert "suspended from new referrals" in str(refused.value)

    with time_machine.travel(date(2027, 3, 10), tick=False):  # a judgement is never from the future
        services.inspection_record(
            setting=setting,
            inspection_date=date(2027, 3, 1),
            overall_judgement=Rating.GOOD,
            recorded_on=date(2027, 3, 10),
            actor=commissioning,
        )
    setting.refresh_from_db()
    assert not setting.referrals_suspended and setting.referrals_suspended_reason == ""
    # Seed 001: the level stays for the governance group (escalations.governance).
    assert setting.concern_level == ConcernLevel.LEVEL_2
    assert setting.history.filter(history_change_reason__startswith="Suspension lifted").exists()
    placement = services.placement_start(
        child=child,
        setting=setting,
        start=date(2027, 3, 11),
        episode=episode,
        actor=social_worker,
    )
    assert placement.setting == setting


def test_good_judgement_leaves_a_suspension_a_person_made(placed):
    setting, _ = placed
    Setting.objects.filter(pk=setting.pk).update(
        referrals_suspended=True, referrals_suspended_reason="Under investigation"
    )
    record(setting, Rating.GOOD)
    setting.refresh_from_db()
    assert setting.referrals_suspended


def test_requires_improvement_downgrade(placed, social_worker, other_team_worker, settings):
    setting, _ = placed
    record(setting, Rating.REQUIRES_IMPROVEMENT)
    setting.refresh_from_db()
    assert setting.concern_level == ConcernLevel.LEVEL_1
    assert not setting.referrals_suspended
    assert not RiskAssessment.objects.exists()
    assert not Duty.objects.filter(kind__in=["risk_assessment", "scoping_meeting"]).exists()
    change = ConcernLevelChange.objects.get()
    assert change.source == ConcernLevelChange.Source.REQUIRES_IMPROVEMENT
    assert {n.user for n in Notification.objects.all()} == {social_worker, other_team_worker}

    settings.REQUIRES_IMPROVEMENT_CONCERN_LEVEL = "minor"
    other = SettingFactory(current_rating=Rating.OUTSTANDING)
    record(other, Rating.REQUIRES_IMPROVEMENT)
    other.refresh_from_db()
    assert other.concern_level == ConcernLevel.MINOR


def test_a_failure_rolls_back_the_judgement(placed, monkeypatch):
    setting, _ = placed

    def broken(**kwargs):
        raise RuntimeError("notifying failed")

    # The last step: everything before it is undone.
    monkeypatch.setattr(judgements, "notify_about_children", broken)
    with pytest.raises(RuntimeError):
        record(setting)
    assert not Inspection.objects.filter(inspection_date=date(2026, 10, 14)).exists()
    assert counts()[1:] == (0, 0, 0, 0)
    setting.refresh_from_db()
    assert setting.current_rating == Rating.GOOD and not setting.referrals_suspended
    assert setting.concern_level == ConcernLevel.NONE
