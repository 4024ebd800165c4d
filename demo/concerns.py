"""Demo data for the concern workflow: an IRO escalation at its first formal stage, a
route-2 scoping request awaiting the assistant director, and a scoping meeting held with
an action for a social worker. Made through the services, as staff would make them.

Used by ``seed_demo`` after the children, visits and duties exist. Runs once: a database
that already holds an escalation or a scoping request is left as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time

from django.db.models import Case, Count, Q, When
from django.utils import timezone

from accounts.models import Role, User
from duties.calendar import add_working_days
from escalations import iro
from escalations.models import IroEscalation
from placements.models import Child, Placement, ProvisionType, Setting
from scoping import meetings
from scoping import requests as scoping_requests
from scoping.models import ScopingRequest

FOSTERING = (ProvisionType.IN_HOUSE_FOSTERING, ProvisionType.IFA_FOSTERING)


def _settings_with_children(today: date) -> list[Setting]:
    """Two settings other than fostering with demo children placed today: children's homes
    first, then those with most children."""
    open_today = Q(placements__decom__lte=today) & (
        Q(placements__dec__isnull=True) | Q(placements__dec__gt=today)
    )
    return list(
        Setting.objects.exclude(provision_type__in=FOSTERING)
        .annotate(
            placed=Count("placements", filter=open_today),
            home=Case(When(provision_type=ProvisionType.CHILDRENS_HOME, then=0), default=1),
        )
        .filter(placed__gte=1)
        .order_by("home", "-placed", "pk")[:2]
    )


def _placed(setting: Setting, today: date) -> list[Child]:
    ids = (
        Placement.objects.filter(setting=setting, decom__lte=today)
        .filter(Q(dec__isnull=True) | Q(dec__gt=today))
        .values("child_id")
    )
    return list(
        Child.objects.filter(pk__in=ids, social_worker__isnull=False)
        .select_related("social_worker", "iro")
        .order_by("child_id")
    )


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def seed_concern_workflow(*, today: date, progress: Callable[[str], None]) -> None:
    if IroEscalation.objects.exists() or ScopingRequest.objects.exists():
        progress("Concern workflow: already seeded.")
        return
    settings = _settings_with_children(today)
    ad = User.objects.filter(role=Role.ASSISTANT_DIRECTOR, is_active=True).order_by("pk").first()
    chair = meetings.lado_service_manager()
    if len(settings) < 2 or ad is None or chair is None:
        progress("Concern workflow: no demo (too few settings with children, or no staff).")
        return
    first, second = settings

    # An IRO escalation, replied to informally and moved on to the team manager.
    child = next((c for c in _placed(first, today) if c.iro_id), None)
    if child is not None:
        raised_on = add_working_days(today, -8)
        escalation = iro.escalation_raise(
            child=child,
            concern="Staff at the home do not follow the behaviour support plan: three "
            "restraints in a month, none discussed with the social worker.",
            evidence="Daily logs seen at the IRO visit; the incident reports.",
            evidence_visits=child.visits.filter(status="finished")[:2],
            resolution_sought="A revised behaviour support plan agreed with the home, and "
            "every restraint reported to the social worker within 24 hours.",
            serious_systemic=False,
            actor=child.iro,
            today=raised_on,
        )
        stage = iro.open_stage(escalation)
        iro.stage_respond(
            stage=stage,
            response="I have raised it with the registered manager, who has not replied.",
            actor=stage.respondent,
            now=_at(add_working_days(raised_on, 2), 15),
        )
        iro.escalation_advance(
            escalation=escalation,
            reasons="No reply from the home after the informal stage.",
            from_stage=escalation.stage,
            actor=child.iro,
            today=add_working_days(raised_on, 4),
        )
        progress("Concern workflow: an IRO escalation at formal stage 1 (team manager).")

    # A route-2 request awaiting the assistant director.
    children = _placed(second, today)
    if children:
        worker = children[0].social_worker
        scoping_requests.request_submit(
            setting=second,
            actor=worker,
            concerns="Two young people report being left without staff at night; missing "
            "episodes have risen since the new manager started.",
            what_was_tried="Raised with the registered manager on two visits and by letter; "
            "the responsible individual has not replied.",
            children=[c for c in children if c.social_worker_id == worker.pk][:2],
            now=_at(add_working_days(today, -1), 11),
        )
        progress("Concern workflow: a scoping request awaiting the assistant director.")

    # A request approved and its meeting held, with an action for a social worker.
    children = _placed(first, today)
    if children:
        worker = children[0].social_worker
        request = scoping_requests.request_submit(
            setting=first,
            actor=worker,
            concerns="A pattern of unrecorded restraint and children going missing at night.",
            what_was_tried="Purposeful visits, an IRO escalation and a meeting with the "
            "registered manager; nothing has changed.",
            children=[c for c in children if c.social_worker_id == worker.pk][:2],
            now=_at(add_working_days(today, -12), 10),
        )
        scoping_requests.request_decide(
            request=request,
            decision=scoping_requests.APPROVE,
            actor=ad,
            now=_at(add_working_days(today, -11), 9),
        )
        held = add_working_days(today, -3)
        meeting = meetings.meeting_convene(
            setting=first,
            actor=chair,
            on=held,
            at=time(14, 0),
            location="Room 2, County Hall",
            request=request,
            today=add_working_days(today, -10),
        )
        meetings.meeting_minutes_save(
            meeting=meeting,
            actor=chair,
            data={
                "summary": "Worries about restraint and missing episodes at this home.",
                "discussions": "The risk assessments show a pattern of restraint at night.",
                "review_date": add_working_days(today, 20),
                "actions_by": add_working_days(today, 10),
            },
        )
        meetings.action_add(
            meeting=meeting,
            actor=chair,
            action="Visit and see the young person alone; review the behaviour support plan.",
            owner=worker,
            deadline=add_working_days(today, 5),
            meeting_child=meeting.children.first(),
        )
        progress("Concern workflow: a scoping meeting held, its minutes in draft, one action.")
