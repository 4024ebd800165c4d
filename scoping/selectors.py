"""Reads, scoped to what the user may see: one ``<thing>_for(user, pk)`` a record.

A record the user may not see answers 404, found by the same one query as a record that
does not exist. Who sees a meeting and its actions is ``scoping.meetings``
(``meetings_visible_to``, ``actions_visible_to``); whether they may change it is for the
pages to ask (``meetings.may_edit``: 403).
"""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Role, User
from escalations.models import IroEscalation
from placements.selectors import child_visibility, children_visible_to

from . import meetings
from . import requests as scoping_requests
from .models import (
    MeetingAction,
    MeetingChild,
    MeetingInvitee,
    RiskAssessment,
    ScopingMeeting,
    ScopingRequest,
)

#: Who reads every scoping meeting request: the deciders, and the LADO service who convenes.
READ_ALL_ROLES = scoping_requests.DECIDE_ROLES | {Role.LADO}


def _found(row, what: str):
    if row is None:
        raise Http404(f"No such {what}")
    return row


# Risk assessments ---------------------------------------------------------------------------


def risk_assessments_visible_to(user: User) -> QuerySet[RiskAssessment]:
    return RiskAssessment.objects.filter(child_visibility(user, prefix="child__"))


def risk_assessment_for(user: User, pk: int) -> RiskAssessment:
    """The risk assessment if the user may see its child. (A restricted child's is logged
    by the page that shows it: placements.access.log_restricted_view.)"""
    return _found(
        risk_assessments_visible_to(user)
        .select_related(
            "child",
            "child__social_worker",
            "child__social_worker__line_manager",
            "child__social_worker__line_manager__line_manager",
            "owner",
            "owner__line_manager",
            "setting",
            "setting__provider",
            "placement",
        )
        .filter(pk=pk)
        .first(),
        "risk assessment",
    )


# Scoping meeting requests -------------------------------------------------------------------


def scoping_requests_visible_to(user: User) -> QuerySet[ScopingRequest]:
    """Every request to the deciders and the LADO service; to anyone else, their own."""
    if user.role in READ_ALL_ROLES:
        return ScopingRequest.objects.all()
    return ScopingRequest.objects.filter(requested_by=user)


def scoping_request_for(user: User, pk: int) -> ScopingRequest:
    return _found(
        scoping_requests_visible_to(user)
        .select_related("setting", "requested_by", "decided_by", "escalation", "inspection")
        .filter(pk=pk)
        .first(),
        "scoping meeting request",
    )


def request_escalation_for(user: User, pk: int) -> IroEscalation:
    """The IRO escalation a scoping meeting is requested from: only an IRO who may see the
    child (escalations.iro) finds it; to anyone else it does not exist."""
    escalations = IroEscalation.objects.none()
    if user.role == Role.IRO:
        escalations = IroEscalation.objects.filter(child__in=children_visible_to(user).values("pk"))
    return get_object_or_404(
        escalations.select_related("child", "setting", "placement__setting"), pk=pk
    )


# Scoping meetings ---------------------------------------------------------------------------


def meeting_for(user: User, pk: int) -> ScopingMeeting:
    return _found(
        meetings.meetings_visible_to(user)
        .select_related("setting", "setting__provider", "chair", "request", "finalised_by")
        .filter(pk=pk)
        .first(),
        "meeting",
    )


def meeting_child_for(user: User, pk: int) -> MeetingChild:
    """A child of a meeting (Child N) the user may open."""
    return _found(
        MeetingChild.objects.filter(meeting__in=meetings.meetings_visible_to(user))
        .select_related("meeting", "meeting__setting")
        .filter(pk=pk)
        .first(),
        "child of a meeting",
    )


def invitee_for(user: User, pk: int) -> MeetingInvitee:
    """An invitation to a meeting the user may open."""
    return _found(
        MeetingInvitee.objects.filter(meeting__in=meetings.meetings_visible_to(user))
        .select_related("meeting")
        .filter(pk=pk)
        .first(),
        "invitee",
    )


def meeting_action_for(user: User, pk: int) -> MeetingAction:
    """An action agreed at a meeting: to its owner, and to whoever may open the meeting."""
    return _found(
        meetings.actions_visible_to(user)
        .select_related("meeting", "meeting__setting", "meeting_child", "owner")
        .filter(pk=pk)
        .first(),
        "action",
    )
