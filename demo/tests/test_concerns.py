"""seed_demo shows the concern workflow: an escalation, a request, a meeting with an action."""

from io import StringIO

import pytest
from django.core.management import call_command

from duties.models import Duty
from escalations.models import IroEscalation
from scoping.models import MeetingAction, ScopingMeeting, ScopingRequest
from tests.clock import EVERY_DEMO_DAY

pytestmark = pytest.mark.django_db


def seed_demo() -> str:
    out = StringIO()
    call_command(
        "seed_demo",
        "--children",
        "80",
        "--seed",
        "1",
        "--i-know-this-is-not-production",
        stdout=out,
    )
    return out.getvalue()


@EVERY_DEMO_DAY
def test_the_demo_holds_each_step_of_the_concern_workflow_once(demo_day):
    output = seed_demo()
    assert "Concern workflow: an IRO escalation at formal stage 1 (team manager)." in output
    escalation = IroEscalation.objects.get()
    assert escalation.stage == IroEscalation.Stage.TEAM_MANAGER
    assert escalation.raised_by == escalation.child.iro
    assert (
        Duty.objects.filter(
            kind="escalation_response", status=Duty.Status.OPEN, owner__isnull=False
        ).count()
        == 1
    )
    assert set(ScopingRequest.objects.values_list("status", flat=True)) == {
        ScopingRequest.Status.SUBMITTED,
        ScopingRequest.Status.CONVENED,
    }
    meeting = ScopingMeeting.objects.get()
    assert meeting.status == ScopingMeeting.Status.CONVENED
    assert meeting.children.exists()
    action = MeetingAction.objects.get()
    assert Duty.objects.get(subject=f"scoping_action:{action.pk}").owner == action.owner

    again = seed_demo()
    assert "Concern workflow: already seeded." in again
    assert IroEscalation.objects.count() == 1
    assert ScopingRequest.objects.count() == 2
    assert ScopingMeeting.objects.count() == 1
