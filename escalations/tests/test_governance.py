"""The concern level under the Knowsley protocol (seed 001): managers and commissioning
propose, only the assistant director or director decide (l.253-255, l.70), and a better
Ofsted judgement puts the home on the next governance review instead of lowering its
level."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from duties.models import Notification
from escalations import governance
from escalations.models import ConcernLevelChange, ConcernLevelProposal, GovernanceItem
from placements import services
from placements.models import ConcernLevel, Rating, Setting
from placements.tests.factories import SettingFactory

pytestmark = pytest.mark.django_db

TODAY = date(2027, 3, 10)


@pytest.fixture
def setting():
    return SettingFactory(name="Birch House", current_rating=Rating.GOOD)


def _decide(setting, actor, level=ConcernLevel.LEVEL_1, **extra):
    fields = {
        "reason": "Restraint not logged",
        "evidence": "Reg 44 report of January; two school concerns",
        "how_decided": "meeting",
        "meeting_date": date(2027, 3, 9),
        **extra,
    }
    return governance.level_decide(setting=setting, level=level, actor=actor, today=TODAY, **fields)


def _propose(setting, actor, level=ConcernLevel.LEVEL_1):
    return governance.level_propose(
        setting=setting,
        level=level,
        reasons="Restraints are not recorded",
        evidence="Reg 44 report of January",
        actor=actor,
    )


# Proposing -----------------------------------------------------------------------------------


def test_a_manager_proposes_with_reasons_and_evidence_and_the_deciders_are_told(
    client, team_manager, assistant_director, director, setting
):
    client.force_login(team_manager)
    url = reverse("concerns:level_propose", args=[setting.pk])
    response = client.post(
        url,
        {"level": ConcernLevel.LEVEL_1, "reasons": "Restraints", "evidence": "Reg 44 report"},
    )
    assert response.status_code == 302
    proposal = ConcernLevelProposal.objects.get()
    assert (proposal.level, proposal.level_then) == (ConcernLevel.LEVEL_1, ConcernLevel.NONE)
    assert proposal.proposed_by == team_manager and proposal.evidence == "Reg 44 report"
    assert proposal.status == ConcernLevelProposal.Status.OPEN
    assert proposal.history.get().history_user == team_manager
    # Proposing does not change the level.
    setting.refresh_from_db()
    assert setting.concern_level == ConcernLevel.NONE
    assert not ConcernLevelChange.objects.exists()
    told = Notification.objects.filter(key__startswith=f"level_proposal:{proposal.pk}:")
    assert {n.user for n in told} == {assistant_director, director}
    assert {n.url for n in told} == {reverse("concerns:level_set", args=[setting.pk])}


def test_a_proposal_needs_reasons_and_evidence_and_a_different_level(
    client, commissioning, setting
):
    client.force_login(commissioning)
    url = reverse("concerns:level_propose", args=[setting.pk])
    response = client.post(url, {"level": ConcernLevel.NONE, "reasons": "", "evidence": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Give the reasons for the level you propose." in page
    assert "Give the evidence for the level you propose." in page
    with pytest.raises(ValidationError) as refused:
        _propose(setting, commissioning, level=ConcernLevel.NONE)
    assert "already at No concern" in refused.value.message_dict["level"][0]
    assert not ConcernLevelProposal.objects.exists()


@pytest.mark.parametrize("persona", ["social_worker", "iro", "lado", "assistant_director"])
def test_who_does_not_propose(client, request, setting, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    url = reverse("concerns:level_propose", args=[setting.pk])
    assert client.get(url).status_code == 403
    with pytest.raises(PermissionDenied):
        _propose(setting, user)


# Deciding ------------------------------------------------------------------------------------


def test_the_ad_decides_at_a_meeting_with_evidence_answering_the_proposal(
    client, team_manager, assistant_director, setting
):
    proposal = _propose(setting, team_manager)
    url = reverse("concerns:level_set", args=[setting.pk])
    with time_machine.travel(date(2027, 3, 10), tick=False):
        client.force_login(assistant_director)
        form = client.get(url).content.decode()
        assert "Proposals awaiting a decision" in form and "Restraints are not recorded" in form
        response = client.post(
            url,
            {
                "level": ConcernLevel.LEVEL_1,
                "reason": "Restraint not logged",
                "evidence": "Reg 44 report of January",
                "how_decided": "meeting",
                "meeting_date_0": "9",
                "meeting_date_1": "3",
                "meeting_date_2": "2027",
            },
        )
    assert response.status_code == 302
    setting.refresh_from_db()
    assert setting.concern_level == ConcernLevel.LEVEL_1
    change = ConcernLevelChange.objects.get()
    assert change.decided_by == assistant_director == change.set_by
    assert change.evidence == "Reg 44 report of January"
    assert (change.how_decided, change.meeting_date) == ("meeting", date(2027, 3, 9))
    assert change.source == ConcernLevelChange.Source.MANUAL
    assert setting.history.first().history_user == assistant_director
    proposal.refresh_from_db()
    assert proposal.status == ConcernLevelProposal.Status.DECIDED
    assert proposal.decision == change
    assert Notification.objects.filter(
        user=team_manager, key=f"level_decision:{change.pk}:{team_manager.pk}"
    ).exists()
    history = client.get(reverse("concerns:level_history", args=[setting.pk])).content.decode()
    assert "Reg 44 report of January" in history
    assert "Alex Director" in history or str(assistant_director) in history
    assert "At a meeting of the governance group, 9 Mar 2027" in history


@pytest.mark.parametrize(
    "persona", ["team_manager", "service_manager", "commissioning", "social_worker", "lado"]
)
def test_only_the_ad_or_director_decide(client, request, setting, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    url = reverse("concerns:level_set", args=[setting.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"level": "level_2", "reason": "x"}).status_code == 403
    with pytest.raises(PermissionDenied):
        _decide(setting, user)
    setting.refresh_from_db()
    assert setting.concern_level == ConcernLevel.NONE


def test_a_decision_needs_reason_evidence_and_how_it_was_decided(assistant_director, setting):
    with pytest.raises(ValidationError) as refused:
        _decide(setting, assistant_director, reason=" ", evidence="", how_decided="")
    assert set(refused.value.message_dict) == {"reason", "evidence", "how_decided"}
    with pytest.raises(ValidationError) as refused:
        _decide(setting, assistant_director, meeting_date=None)
    assert set(refused.value.message_dict) == {"meeting_date"}
    assert not ConcernLevelChange.objects.exists()


@pytest.mark.parametrize(
    ("meeting", "accepted"),
    [(date(2027, 3, 9), True), (TODAY, True), (date(2027, 3, 11), False)],
    ids=["day before", "today", "day after"],
)
def test_the_meeting_is_today_or_before(assistant_director, setting, meeting, accepted):
    if accepted:
        assert _decide(setting, assistant_director, meeting_date=meeting).meeting_date == meeting
    else:
        with pytest.raises(ValidationError) as refused:
            _decide(setting, assistant_director, meeting_date=meeting)
        assert "meeting_date" in refused.value.message_dict


def test_the_meeting_date_in_the_future_is_refused_beside_the_field(
    client, assistant_director, setting
):
    with time_machine.travel(date(2027, 3, 10), tick=False):
        client.force_login(assistant_director)
        response = client.post(
            reverse("concerns:level_set", args=[setting.pk]),
            {
                "level": ConcernLevel.LEVEL_1,
                "reason": "r",
                "evidence": "e",
                "how_decided": "meeting",
                "meeting_date_0": "11",
                "meeting_date_1": "3",
                "meeting_date_2": "2027",
            },
        )
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-message" in page and "today or in the past" in page
    assert not ConcernLevelChange.objects.exists()


def test_between_meetings_the_director_acts_and_it_goes_to_the_next_meeting(director, setting):
    change = _decide(setting, director, level=ConcernLevel.LEVEL_2, how_decided="between_meetings")
    assert change.meeting_date is None and change.decided_by == director
    item = GovernanceItem.objects.get()
    assert item.source == GovernanceItem.Source.EXECUTIVE_ACTION
    assert item.level_change == change and item.status == GovernanceItem.Status.PENDING
    assert "No concern to Level 2: to report at the next governance meeting" in item.summary
    # The next decision at a meeting answers it.
    decision = _decide(setting, director, level=ConcernLevel.LEVEL_2)
    item.refresh_from_db()
    assert item.status == GovernanceItem.Status.CONSIDERED and item.decision == decision
    assert decision.previous_level == decision.level == ConcernLevel.LEVEL_2


def test_between_meetings_the_ad_only_places_a_home_on_the_protocol(assistant_director, setting):
    # Seed 001 l.70: the AED's executive decision places the home on the protocol.
    _decide(setting, assistant_director, level=ConcernLevel.LEVEL_1, how_decided="between_meetings")
    setting.refresh_from_db()
    assert setting.concern_level == ConcernLevel.LEVEL_1
    # Changing or lifting it between meetings is the Director's (l.255).
    for level in (ConcernLevel.LEVEL_2, ConcernLevel.NONE):
        with pytest.raises(ValidationError) as refused:
            _decide(setting, assistant_director, level=level, how_decided="between_meetings")
        assert "only the Director" in refused.value.message_dict["how_decided"][0]
    setting.refresh_from_db()
    assert setting.concern_level == ConcernLevel.LEVEL_1


def test_keeping_the_level_is_a_decision_only_when_something_awaits_one(
    assistant_director, setting
):
    _decide(setting, assistant_director, level=ConcernLevel.LEVEL_1)
    with pytest.raises(ValidationError) as refused:
        _decide(setting, assistant_director, level=ConcernLevel.LEVEL_1)
    assert "already at Level 1" in refused.value.message_dict["level"][0]


# A better judgement ---------------------------------------------------------------------------


def _judge(setting, rating, on, recorded_on, actor):
    # Recorded on the day it was received: a judgement is never dated after today.
    with time_machine.travel(recorded_on, tick=False):
        return services.inspection_record(
            setting=setting,
            inspection_date=on,
            overall_judgement=rating,
            recorded_on=recorded_on,
            actor=actor,
        )


def test_a_better_judgement_keeps_the_level_and_queues_the_next_governance_review(
    client, commissioning, assistant_director, director, lado, setting
):
    _judge(setting, Rating.INADEQUATE, date(2026, 10, 14), date(2026, 11, 2), commissioning)
    setting.refresh_from_db()
    assert setting.concern_level == ConcernLevel.LEVEL_2 and setting.referrals_suspended

    result = _judge(setting, Rating.GOOD, date(2027, 3, 3), date(2027, 3, 5), commissioning)
    setting.refresh_from_db()
    # Seed 002: the suspension is lifted; seed 001: the level is the group's to decide.
    assert not setting.referrals_suspended
    assert setting.concern_level == ConcernLevel.LEVEL_2
    assert ConcernLevelChange.objects.count() == 1
    item = GovernanceItem.objects.get()
    assert item.summary == "Improved judgement (Good, 3 Mar 2027): for the next governance review"
    assert item.inspection == result.inspection and item.raised_on == date(2027, 3, 5)
    assert item.history.get().history_user == commissioning
    told = Notification.objects.filter(key__startswith=f"governance_item:{item.pk}:")
    assert {n.user for n in told} == {assistant_director, director}

    # The same judgement recorded again queues nothing more.
    _judge(setting, Rating.GOOD, date(2027, 3, 3), date(2027, 3, 5), commissioning)
    assert GovernanceItem.objects.count() == 1

    # The setting page, the decision page and the governance list show it.
    for user, url in (
        (commissioning, reverse("placements:setting", args=[setting.pk])),
        (lado, reverse("concerns:governance")),
        (director, reverse("concerns:governance")),
        (assistant_director, reverse("concerns:level_set", args=[setting.pk])),
    ):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert "Improved judgement (Good, 3 Mar 2027): for the next governance review" in page

    # The group keeps the home at Level 1, say: the decision answers the item.
    decision = _decide(setting, assistant_director, level=ConcernLevel.LEVEL_1)
    item.refresh_from_db()
    assert item.status == GovernanceItem.Status.CONSIDERED and item.decision == decision
    client.force_login(lado)
    page = client.get(reverse("concerns:governance")).content.decode()
    assert "Improved judgement" not in page


def test_a_better_judgement_for_a_home_off_the_protocol_queues_nothing(commissioning, setting):
    Setting.objects.filter(pk=setting.pk).update(current_rating=Rating.REQUIRES_IMPROVEMENT)
    _judge(setting, Rating.OUTSTANDING, date(2027, 3, 3), date(2027, 3, 5), commissioning)
    assert not GovernanceItem.objects.exists()


def test_a_level_set_by_hand_also_stays_after_a_better_judgement(commissioning, director, setting):
    _decide(setting, director, level=ConcernLevel.MINOR)
    Setting.objects.filter(pk=setting.pk).update(current_rating=Rating.REQUIRES_IMPROVEMENT)
    _judge(setting, Rating.GOOD, date(2027, 3, 3), date(2027, 3, 5), commissioning)
    setting.refresh_from_db()
    assert setting.concern_level == ConcernLevel.MINOR
    assert GovernanceItem.objects.get().source == GovernanceItem.Source.IMPROVED_JUDGEMENT


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("social_worker", 403),
        ("iro", 403),
        ("administrator", 403),
        ("team_manager", 200),
        ("commissioning", 200),
        ("lado", 200),
        ("assistant_director", 200),
    ],
)
def test_who_reads_the_governance_list(client, request, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("concerns:governance")).status_code == status
