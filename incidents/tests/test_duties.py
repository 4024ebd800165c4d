"""The duties of incidents and allegations through their services and ``deadlines --as-of``:
due at the rules' times, at their edges (the day before, on, after; 23:30; the clock
change), owned as the README says, and closed by the step that discharges them."""

from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Team
from duties.models import Duty
from incidents import services
from incidents.models import Debrief, IncidentKind, ReferralMethod, SubjectRole

from .conftest import at, deadlines, travel

pytestmark = pytest.mark.django_db


def _allegation(actor, known_on, known_time, **extra):
    return services.allegation_record(
        subject_name="Jo Carer",
        subject_role=SubjectRole.STAFF,
        setting=extra.pop("setting", None),
        allegation="Shouted at a child and pushed her.",
        known_on=known_on,
        known_time=known_time,
        made_by="The child",
        actor=actor,
        **extra,
    )


def _incident(actor, home, children=(), *, on=date(2026, 5, 6), when=time(9, 0), **extra):
    fields = {
        "kind": IncidentKind.ASSAULT,
        "summary": "A fight in the lounge.",
        **extra,
    }
    return services.incident_record(
        setting=home,
        occurred_on=on,
        occurred_time=when,
        children=children,
        actor=actor,
        **fields,
    )


def test_an_allegation_known_at_2330_is_due_to_the_lado_by_2330_the_next_day(social_worker):
    with travel(at(2026, 3, 10, 23, 45)):
        made = _allegation(social_worker, date(2026, 3, 10), time(23, 30))
    duty = Duty.objects.get(kind="lado_referral")
    assert duty.subject == f"allegation:{made.pk}"
    assert duty.owner == social_worker and duty.team == social_worker.team
    assert duty.due == date(2026, 3, 11) and duty.due_at == at(2026, 3, 11, 23, 30)
    row = "lado_referral,,,2026-03-11,{},sw"
    assert deadlines(date(2026, 3, 10), "lado_referral") == [row.format("open")]
    assert deadlines(date(2026, 3, 11), "lado_referral") == [row.format("open")]
    assert deadlines(date(2026, 3, 12), "lado_referral") == [row.format("overdue")]


def test_across_the_clock_change_the_referral_is_due_an_hour_earlier_by_the_clock(
    social_worker, home
):
    with travel(at(2026, 10, 24, 12, 30)):
        _allegation(social_worker, date(2026, 10, 24), time(12, 0), setting=home)
    duty = Duty.objects.get(kind="lado_referral")
    assert duty.due_at == at(2026, 10, 25, 11, 0)
    assert duty.setting == home
    row = "lado_referral,,SC654321,2026-10-25,{},sw"
    assert deadlines(date(2026, 10, 24), "lado_referral") == [row.format("open")]
    assert deadlines(date(2026, 10, 25), "lado_referral") == [row.format("open")]
    assert deadlines(date(2026, 10, 26), "lado_referral") == [row.format("overdue")]


def test_recording_the_referral_closes_the_duty_on_its_day(social_worker, lado):
    with travel(at(2026, 3, 10, 23, 45)):
        made = _allegation(social_worker, date(2026, 3, 10), time(23, 30))
    with travel(at(2026, 3, 12, 9, 0)):
        services.allegation_referral(
            allegation=made,
            referred_on=date(2026, 3, 12),
            referred_time=time(8, 15),
            method=ReferralMethod.PHONE,
            actor=social_worker,
        )
    duty = Duty.objects.get(kind="lado_referral")
    assert (duty.status, duty.done_on) == ("done", date(2026, 3, 12))
    assert deadlines(date(2026, 3, 12), "lado_referral") == ["lado_referral,,,2026-03-11,done,sw"]
    with travel(at(2026, 4, 1, 9, 0)):
        with pytest.raises(PermissionDenied):
            services.allegation_outcome(
                allegation=made,
                outcome="unfounded",
                outcome_on=date(2026, 4, 1),
                actor=social_worker,
            )
        services.allegation_outcome(
            allegation=made, outcome="unfounded", outcome_on=date(2026, 4, 1), actor=lado
        )
    made.refresh_from_db()
    assert made.outcome == "unfounded" and made.outcome_by == lado
    assert made.history.count() == 3  # recorded, referred, outcome


def test_the_outcome_waits_for_the_referral(social_worker, lado):
    with travel(at(2026, 3, 10, 12, 0)):
        made = _allegation(social_worker, date(2026, 3, 10), time(11, 0))
        with pytest.raises(ValidationError, match="referral"):
            services.allegation_outcome(
                allegation=made, outcome="false", outcome_on=date(2026, 3, 10), actor=lado
            )


def test_a_referral_before_it_became_known_or_in_the_future_is_refused(social_worker):
    with travel(at(2026, 3, 10, 12, 0)):
        made = _allegation(social_worker, date(2026, 3, 10), time(11, 0))
        for day, when in ((date(2026, 3, 10), time(10, 59)), (date(2026, 3, 10), time(12, 1))):
            with pytest.raises(ValidationError):
                services.allegation_referral(
                    allegation=made,
                    referred_on=day,
                    referred_time=when,
                    method=ReferralMethod.EMAIL,
                    actor=social_worker,
                )
    assert Duty.objects.get(kind="lado_referral").status == "open"


def test_an_incident_opens_its_three_duties_for_the_commissioning_team(commissioning, home, child):
    with travel(at(2026, 5, 6, 15, 0)):
        incident = _incident(commissioning, home, [child])
    rows = {d.kind: d for d in Duty.objects.filter(subject__startswith=f"incident:{incident.pk}:")}
    assert set(rows) == {"incident_report", "staff_debrief", "child_debrief"}
    assert rows["incident_report"].due_at == at(2026, 5, 7, 9, 0)
    assert rows["staff_debrief"].due_at == at(2026, 5, 8, 9, 0)
    assert rows["child_debrief"].due_at == at(2026, 5, 8, 9, 0)
    assert "72 hours at most" in rows["child_debrief"].basis
    for duty in rows.values():
        assert duty.owner == commissioning and duty.team == commissioning.team
        assert duty.setting == home and duty.child is None
    report = "incident_report,,SC654321,2026-05-07,{},comm"
    assert deadlines(date(2026, 5, 6), "incident_report") == [report.format("open")]
    assert deadlines(date(2026, 5, 7), "incident_report") == [report.format("open")]
    assert deadlines(date(2026, 5, 8), "incident_report") == [report.format("overdue")]


def test_a_social_workers_incident_is_the_commissioning_teams_without_a_named_owner(
    social_worker, commissioning, home, child
):
    with travel(at(2026, 5, 6, 15, 0)):
        _incident(social_worker, home, [child], restraint_used=True)
    staff = Duty.objects.get(kind="staff_debrief")
    assert staff.owner is None
    assert staff.team == Team.objects.get(kind=Team.Kind.COMMISSIONING)
    assert staff.due_at == at(2026, 5, 7, 9, 0)  # 24 hours after restraint (004_ line 482)
    assert deadlines(date(2026, 5, 7), "staff_debrief") == [
        "staff_debrief,,SC654321,2026-05-07,open,"
    ]


def test_an_incident_without_a_time_is_due_by_the_end_of_the_next_day(commissioning, home):
    with travel(at(2026, 5, 6, 15, 0)):
        _incident(commissioning, home, when=None)
    duty = Duty.objects.get(kind="incident_report")
    assert duty.due == date(2026, 5, 7)
    assert duty.due_at.astimezone(at(2026, 1, 1).tzinfo).time() == time.max
    assert not Duty.objects.filter(kind="child_debrief").exists()  # no child involved


def test_the_homes_report_entered_with_the_incident_closes_its_duty_at_once(commissioning, home):
    with travel(at(2026, 5, 8, 10, 0)):
        _incident(
            commissioning,
            home,
            report_received_on=date(2026, 5, 7),
            report_received_time=time(10, 0),
        )
    duty = Duty.objects.get(kind="incident_report")
    assert (duty.status, duty.done_on) == ("done", date(2026, 5, 7))
    # 24 hours ran out at 09:00 on the 7th: the report came an hour late, on its due day.
    assert duty.due_at == at(2026, 5, 7, 9, 0) and duty.due == date(2026, 5, 7)


def test_debriefs_close_their_duties_the_childs_once_every_child_is_debriefed(
    commissioning, home, child, other_child
):
    with travel(at(2026, 5, 6, 15, 0)):
        incident = _incident(commissioning, home, [child, other_child])
    with travel(at(2026, 5, 9, 12, 0)):
        services.debrief_record(
            incident=incident,
            kind=Debrief.Kind.STAFF,
            held_on=date(2026, 5, 7),
            held_time=time(14, 0),
            actor=commissioning,
        )
        services.debrief_record(
            incident=incident,
            kind=Debrief.Kind.CHILD,
            child=child,
            held_on=date(2026, 5, 7),
            held_time=None,
            actor=commissioning,
        )
        assert Duty.objects.get(kind="child_debrief").status == "open"
        with pytest.raises(ValidationError, match="already"):
            services.debrief_record(
                incident=incident,
                kind=Debrief.Kind.CHILD,
                child=child,
                held_on=date(2026, 5, 8),
                held_time=None,
                actor=commissioning,
            )
        services.debrief_record(
            incident=incident,
            kind=Debrief.Kind.CHILD,
            child=other_child,
            held_on=date(2026, 5, 9),
            held_time=time(8, 0),
            actor=commissioning,
        )
    staff = Duty.objects.get(kind="staff_debrief")
    children = Duty.objects.get(kind="child_debrief")
    assert (staff.status, staff.done_on) == ("done", date(2026, 5, 7))
    assert (children.status, children.done_on) == ("done", date(2026, 5, 9))


def test_a_child_not_placed_there_on_the_day_is_refused_beside_the_field(
    commissioning, home, child
):
    from placements.tests.factories import ChildFactory, PlacementFactory

    later = ChildFactory(child_id="K700009", first_name="Cy", last_name="Later")
    PlacementFactory(child=later, setting=home, decom=date(2026, 5, 7))
    with travel(at(2026, 5, 8, 15, 0)), pytest.raises(ValidationError) as refused:
        _incident(commissioning, home, [child, later])
    assert "Cy Later was not placed here on 06/05/2026" in refused.value.message_dict["children"][0]
    assert not Duty.objects.exists()


def test_a_social_worker_names_a_child_and_nothing_is_recorded_in_the_future(
    social_worker, home, child
):
    with travel(at(2026, 5, 6, 8, 0)):
        with pytest.raises(ValidationError) as refused:
            _incident(social_worker, home, [])
        assert "children" in refused.value.message_dict
        with pytest.raises(ValidationError) as refused:
            _incident(social_worker, home, [child], when=time(9, 0))
        assert "future" in refused.value.message_dict["occurred_on"][0]
        with pytest.raises(ValidationError) as refused:
            _incident(social_worker, home, [child], kind=IncidentKind.OTHER, when=time(7, 0))
        assert "kind_detail" in refused.value.message_dict


def test_only_the_listed_roles_record_an_incident(iro, lado, home):
    for user in (iro, lado):
        with travel(at(2026, 5, 6, 15, 0)), pytest.raises(PermissionDenied):
            _incident(user, home)


def test_a_time_the_clocks_skipped_is_refused(commissioning, home):
    with travel(at(2026, 3, 30, 9, 0)), pytest.raises(ValidationError) as refused:
        _incident(commissioning, home, on=date(2026, 3, 29), when=time(1, 30))
    assert "clocks went forward" in refused.value.message_dict["occurred_on"][0]
