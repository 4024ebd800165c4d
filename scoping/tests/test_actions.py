"""A scoping meeting's actions changed and withdrawn (scoping.actions): by the LADO service,
with history; the action's duty follows; a withdrawn action stays on the minutes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import UserFactory
from duties.models import Duty, Notification
from scoping import actions, meetings
from scoping.models import MeetingAction
from scoping.tests import test_meetings as base
from scoping.tests.test_meetings import MEETING_DAY, NAMES, convene, decide

pytestmark = pytest.mark.django_db

world = base.world
fake_pdf = base.fake_pdf

DEADLINE = date(2026, 11, 24)


@pytest.fixture
def agreed(world, lado, social_worker):
    meeting = convene(world, lado)
    action = meetings.action_add(
        meeting=meeting,
        actor=lado,
        action="Check the restraint log",
        owner=social_worker,
        deadline=DEADLINE,
        meeting_child=meeting.children.first(),
    )
    return meeting, action


def duties_of(action) -> list[tuple[str, int | None, date]]:
    return list(
        Duty.objects.filter(kind="scoping_action", subject=f"scoping_action:{action.pk}")
        .order_by("pk")
        .values_list("status", "owner", "due")
    )


def edit(action, actor, **changes):
    fields = {
        "text": action.action,
        "owner": action.owner,
        "deadline": action.deadline,
        "meeting_child": action.meeting_child,
        **changes,
    }
    return actions.action_edit(action=action, actor=actor, **fields)


# --- Changing -------------------------------------------------------------------------------


def test_a_new_deadline_moves_the_duty_and_is_kept_in_history(agreed, lado, social_worker):
    meeting, action = agreed
    later = DEADLINE + timedelta(days=7)
    action = edit(action, lado, deadline=later, text="Check the restraint and incident logs")
    assert duties_of(action) == [("open", social_worker.pk, later)]
    latest = action.history.first()
    assert (latest.history_change_reason, latest.history_user) == ("Changed", lado)
    assert action.history.last().deadline == DEADLINE
    assert MeetingAction.objects.get(pk=action.pk).action == "Check the restraint and incident logs"


def test_the_deadline_may_be_the_meeting_day_but_not_the_day_before(agreed, lado):
    _, action = agreed
    with pytest.raises(ValidationError) as refused:
        edit(action, lado, deadline=MEETING_DAY - timedelta(days=1))
    assert refused.value.message_dict == {
        "deadline": ["The deadline must not be before the meeting"]
    }
    assert edit(action, lado, deadline=MEETING_DAY).deadline == MEETING_DAY
    assert edit(action, lado, deadline=MEETING_DAY + timedelta(days=1)).deadline == date(
        2026, 11, 11
    )


def test_a_new_owner_gets_the_duty_and_is_told(agreed, lado, social_worker, other_team_worker):
    _, action = agreed
    action = edit(action, lado, owner=other_team_worker)
    assert duties_of(action) == [
        ("cancelled", social_worker.pk, DEADLINE),
        ("open", other_team_worker.pk, DEADLINE),
    ]
    new_duty = Duty.objects.get(subject=f"scoping_action:{action.pk}", status="open")
    assert new_duty.team == other_team_worker.team and new_duty.child is None
    note = Notification.objects.get(user=other_team_worker, key=f"scoping_action:{action.pk}")
    assert note.url == reverse("scoping:action", args=[action.pk])
    for first, last in NAMES.values():
        assert first not in note.body and last not in note.body


def test_saving_an_action_unchanged_changes_nothing(agreed, lado, social_worker):
    _, action = agreed
    before = action.history.count()
    edit(action, lado)
    assert action.history.count() == before
    assert duties_of(action) == [("open", social_worker.pk, DEADLINE)]


def test_only_the_lado_service_changes_an_action(agreed, social_worker):
    _, action = agreed
    with pytest.raises(PermissionDenied):
        edit(action, social_worker, deadline=DEADLINE + timedelta(days=1))


def test_an_action_can_be_changed_after_the_minutes_are_finalised(agreed, lado):
    meeting, action = agreed
    decide(meeting, lado)
    meetings.meeting_finalise(meeting=meeting, actor=lado)
    assert edit(action, lado, deadline=date(2026, 12, 1)).deadline == date(2026, 12, 1)


def test_the_edit_page_refuses_a_blank_action_beside_the_field(client, agreed, lado):
    _, action = agreed
    client.force_login(lado)
    url = reverse("scoping:action_edit", args=[action.pk])
    page = client.get(url).content.decode()
    assert "Check the restraint log" in page and "Change the action" in page
    response = client.post(
        url,
        {
            "meeting_child": "provision",
            "action": "",
            "owner": action.owner_id,
            "deadline_0": "24",
            "deadline_1": "11",
            "deadline_2": "2026",
        },
    )
    assert response.status_code == 200
    assert "Say what is to be done" in response.content.decode()
    assert MeetingAction.objects.get(pk=action.pk).meeting_child_id is not None
    response = client.post(
        url,
        {
            "meeting_child": "provision",
            "action": "Check the log",
            "owner": action.owner_id,
            "deadline_0": "25",
            "deadline_1": "11",
            "deadline_2": "2026",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.meeting_child, action.deadline) == (None, date(2026, 11, 25))
    duty = Duty.objects.get(subject=f"scoping_action:{action.pk}", status="open")
    assert "the provision" in duty.basis and duty.due == date(2026, 11, 25)


# --- Withdrawing ----------------------------------------------------------------------------


def test_withdrawing_needs_a_reason_shown_beside_the_field(client, agreed, lado):
    _, action = agreed
    client.force_login(lado)
    url = reverse("scoping:action_withdraw", args=[action.pk])
    for blank in ({}, {"reason": "   "}):
        response = client.post(url, blank)
        assert response.status_code == 200
        assert "Say why the action is withdrawn" in response.content.decode()
    action.refresh_from_db()
    assert action.status == "open"
    with pytest.raises(ValidationError):
        actions.action_withdraw(action=action, actor=lado, reason="")


def test_a_withdrawn_action_stays_visible_and_its_duty_closes(client, agreed, lado, social_worker):
    meeting, action = agreed
    client.force_login(lado)
    response = client.post(
        reverse("scoping:action_withdraw", args=[action.pk]),
        {"reason": "The provider has since closed the home."},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.withdrawn_reason) == (
        "withdrawn",
        "The provider has since closed the home.",
    )
    assert action.withdrawn_on is not None
    assert duties_of(action) == [("cancelled", social_worker.pk, DEADLINE)]
    assert action.history.first().history_change_reason == "Withdrawn"
    page = client.get(reverse("scoping:meeting", args=[meeting.pk])).content.decode()
    assert "Check the restraint log" in page and "Withdrawn" in page
    assert "The provider has since closed the home." in page
    pdf = client.get(reverse("scoping:meeting_pdf", args=[meeting.pk])).content.decode()
    assert "(withdrawn: The provider has since closed the home.)" in pdf
    csv = client.get(reverse("scoping:meeting_csv", args=[meeting.pk])).content.decode()
    assert "Withdrawn" in csv
    # The owner is told, and sees it withdrawn, with no way to mark it done.
    assert Notification.objects.filter(
        user=social_worker, key=f"scoping_action:{action.pk}:withdrawn"
    ).exists()
    client.force_login(social_worker)
    page = client.get(reverse("scoping:action", args=[action.pk])).content.decode()
    assert "Withdrawn" in page and "Mark as done" not in page
    response = client.post(reverse("scoping:action_done", args=[action.pk]), {"outcome": "x"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "withdrawn"
    with pytest.raises(ValidationError):
        meetings.action_done(action=action, actor=social_worker, outcome="Done anyway")


def test_a_done_or_withdrawn_action_is_not_changed_or_withdrawn(client, agreed, lado):
    _, action = agreed
    meetings.action_done(action=action, actor=lado, outcome="Checked")
    with pytest.raises(actions.ActionClosed):
        actions.action_withdraw(action=action, actor=lado, reason="No longer needed")
    with pytest.raises(actions.ActionClosed):
        edit(action, lado, deadline=date(2026, 12, 1))
    client.force_login(lado)
    for name in ("scoping:action_edit", "scoping:action_withdraw"):
        response = client.post(reverse(name, args=[action.pk]), {"reason": "x"})
        assert response.status_code == 302
        assert response.url == reverse("scoping:action", args=[action.pk])
    action.refresh_from_db()
    assert action.status == "done" and action.withdrawn_reason == ""


def test_who_may_change_an_action(client, agreed, lado, social_worker, assistant_director):
    _, action = agreed
    outsider = UserFactory(role=Role.SOCIAL_WORKER)
    for name in ("scoping:action_edit", "scoping:action_withdraw"):
        url = reverse(name, args=[action.pk])
        client.force_login(social_worker)  # the owner: sees it, does not change it
        assert client.get(url).status_code == 403
        client.force_login(assistant_director)  # sees every meeting, changes none
        assert client.get(url).status_code == 403
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        client.force_login(lado)
        assert client.get(url).status_code == 200
    client.force_login(lado)
    page = client.get(reverse("scoping:action", args=[action.pk])).content.decode()
    assert reverse("scoping:action_withdraw", args=[action.pk]) in page
    client.force_login(social_worker)
    page = client.get(reverse("scoping:action", args=[action.pk])).content.decode()
    assert reverse("scoping:action_withdraw", args=[action.pk]) not in page
