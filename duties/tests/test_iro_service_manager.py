"""The IRO service's managers open every child whose duty their worktray lists (issue 24,
finding 9: an IRO service manager's worktray named 58 children, every link a 404, because
the worktray took the duties of the IROs they manage and the child's record did not)."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, Team
from accounts.tests.factories import TeamFactory, UserFactory
from duties.models import Duty
from duties.worktray import clock, open_duties
from placements.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def iro_service():
    team = TeamFactory(name="IRO Service", kind=Team.Kind.IRO_SERVICE)
    head = UserFactory(role=Role.SERVICE_MANAGER, team=team)
    manager = UserFactory(role=Role.TEAM_MANAGER, team=team, line_manager=head)
    iro = UserFactory(role=Role.IRO, team=team, line_manager=manager)
    return head, manager, iro


@pytest.mark.parametrize("restricted", [False, True])
def test_every_child_in_an_iro_managers_worktray_opens(client, iro_service, cic_team, restricted):
    head, manager, iro = iro_service
    child = ChildFactory(team=cic_team, iro=iro, restricted=restricted)
    Duty.objects.create(
        kind="iro_visit",
        subject=f"child:{child.pk}:iro",
        child=child,
        owner=iro,
        team=iro.team,
        due=date(2026, 12, 20),
    )
    for reader in (manager, head):
        listed = {d.child_id for d in open_duties(reader, clock(timezone.localdate()))}
        assert listed == {child.pk}
        client.force_login(reader)
        assert client.get(reverse("placements:child", args=[child.pk])).status_code == 200


def test_a_child_the_iros_do_not_review_stays_hidden(client, iro_service, cic_team):
    head, _, _ = iro_service
    other_iro = UserFactory(role=Role.IRO)
    child = ChildFactory(team=cic_team, iro=other_iro)
    client.force_login(head)
    assert client.get(reverse("placements:child", args=[child.pk])).status_code == 404
