"""Reads, scoped to what the user may see: one ``<thing>_for(user, pk)`` a record.

A record the user may not see answers 404, the same as one that does not exist; a role
that reads no such records at all is refused first (403), as the pages always have.
A setting is the register's: ``placements.selectors.setting_for``.
"""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import CASEWORKER_ROLES, MANAGER_ROLES, SENIOR_ROLES, Role, User
from core.pages import require_role
from placements.selectors import child_visibility

from . import letters
from .models import ActionPlan, Concern, EscalationStage, IroEscalation, LetterOfConcern, PlanAction

#: Letters and plans are read by those who act on them, and by the LADO service.
LETTER_READ_ROLES = letters.LETTER_ROLES | {Role.LADO}
#: Who reads IRO escalations: caseworkers, managers, IROs and senior managers.
ESCALATION_READ_ROLES = CASEWORKER_ROLES | MANAGER_ROLES | SENIOR_ROLES | {Role.IRO}


# Concerns ---------------------------------------------------------------------------------


def concern_for(user: User, pk: int) -> Concern:
    """One query scoped like the child: a hidden concern and a missing one look the same."""
    visible = Concern.objects.filter(
        Q(child__isnull=True) | child_visibility(user, prefix="child__")
    )
    return get_object_or_404(visible.select_related("setting", "child", "recorded_by"), pk=pk)


# Letters of concern and action plans -------------------------------------------------------


def letter_for(user: User, pk: int) -> LetterOfConcern:
    require_role(user, LETTER_READ_ROLES)
    return get_object_or_404(
        LetterOfConcern.objects.select_related(
            "setting", "setting__provider", "drafted_by", "issued_by"
        ),
        pk=pk,
    )


def plan_for(user: User, pk: int) -> ActionPlan:
    require_role(user, LETTER_READ_ROLES)
    return get_object_or_404(ActionPlan.objects.select_related("setting", "created_by"), pk=pk)


def plan_action_for(user: User, pk: int) -> PlanAction:
    """An action of a plan: only those who act on plans (letters.LETTER_ROLES) change one."""
    require_role(user, letters.LETTER_ROLES)
    return get_object_or_404(
        PlanAction.objects.select_related("plan", "plan__setting", "plan__created_by"), pk=pk
    )


# IRO escalations ---------------------------------------------------------------------------


def escalations_visible_to(user: User) -> QuerySet[IroEscalation]:
    return IroEscalation.objects.filter(child_visibility(user, prefix="child__"))


def escalation_for(user: User, pk: int) -> IroEscalation:
    """One query scoped like the child: a hidden escalation and a missing one look alike."""
    require_role(user, ESCALATION_READ_ROLES)
    return get_object_or_404(
        escalations_visible_to(user).select_related("child", "raised_by", "setting"), pk=pk
    )


def escalation_stage_for(user: User, pk: int) -> EscalationStage:
    """A stage of an escalation the user may see; its named respondent may always open
    the stage they are asked to answer."""
    require_role(user, ESCALATION_READ_ROLES)
    return get_object_or_404(
        EscalationStage.objects.filter(
            child_visibility(user, prefix="escalation__child__") | Q(respondent=user)
        ).select_related(
            "escalation", "escalation__child", "escalation__raised_by", "escalation__setting"
        ),
        pk=pk,
    )
