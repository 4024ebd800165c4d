"""What escalations adds to the register's pages (``placements.pages``): a child's IRO
escalations, the Ofsted notice button, and the setting page's concerns (the concern
level, open concerns, letters of concern, action plans, and the allegations against its
staff: concern evidence about the setting, read from incidents)."""

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.urls import reverse

from accounts import navigation
from accounts.models import Role
from incidents.models import Allegation
from incidents.selectors import allegations_visible_to
from placements import pages
from placements.selectors import children_visible_to

from .governance import DECIDE_ROLES, GOVERNANCE_READ_ROLES, PROPOSE_ROLES
from .letters import LETTER_ROLES
from .models import (
    ActionPlan,
    Concern,
    ConcernLevelProposal,
    GovernanceItem,
    LetterOfConcern,
    PlanAction,
)

#: How many of the allegations about a setting's staff its concerns section lists.
ALLEGATIONS_SHOWN = 10


def _has(queryset):
    return Exists(queryset.filter(setting=OuterRef("pk")))


def concern_flags() -> dict:
    """Whether each of the section's lists holds anything, read with the setting: the page
    then reads only the lists that do (most settings have none)."""
    return {
        "has_open_concerns": _has(Concern.objects.filter(status=Concern.Status.OPEN)),
        "has_letters_of_concern": _has(LetterOfConcern.objects.all()),
        "has_action_plans": _has(ActionPlan.objects.all()),
        "has_governance_items": _has(
            GovernanceItem.objects.filter(status=GovernanceItem.Status.PENDING)
        ),
        "has_open_proposals": _has(
            ConcernLevelProposal.objects.filter(status=ConcernLevelProposal.Status.OPEN)
        ),
        # An allegation against the setting's staff is concern evidence (issue 17).
        "has_allegations": _has(Allegation.objects.all()),
    }


def concern_context(user, setting) -> dict:
    """One query for each list that holds anything (a setting read with ``concern_flags``
    says which). A child's name is shown only where the user may see the child."""

    def section(name: str, read) -> list:
        return list(read()) if getattr(setting, f"has_{name}", True) else []

    visible = Exists(children_visible_to(user).filter(pk=OuterRef("child_id")))
    return {
        "open_concerns": section(
            "open_concerns",
            lambda: (
                Concern.objects.filter(setting=setting, status=Concern.Status.OPEN)
                .select_related("child")
                .annotate(child_visible=visible)
            ),
        ),
        "letters_of_concern": section(
            "letters_of_concern", lambda: LetterOfConcern.objects.filter(setting=setting)
        ),
        "action_plans": section(
            "action_plans",
            lambda: ActionPlan.objects.filter(setting=setting).annotate(
                open_actions=Count("actions", filter=Q(actions__status=PlanAction.Status.OPEN)),
                next_deadline=Min(
                    "actions__deadline", filter=Q(actions__status=PlanAction.Status.OPEN)
                ),
            ),
        ),
        "governance_items": section(
            "governance_items",
            lambda: GovernanceItem.objects.filter(
                setting=setting, status=GovernanceItem.Status.PENDING
            ),
        ),
        "open_proposals": section(
            "open_proposals",
            lambda: ConcernLevelProposal.objects.filter(
                setting=setting, status=ConcernLevelProposal.Status.OPEN
            ).select_related("proposed_by"),
        ),
        "staff_allegations": section(
            "allegations",
            lambda: (
                allegations_visible_to(user)
                .filter(setting=setting)
                .order_by("-known_at", "-pk")[:ALLEGATIONS_SHOWN]
            ),
        ),
        "can_set_level": user.role in DECIDE_ROLES,
        "can_propose_level": user.role in PROPOSE_ROLES,
        "can_read_governance": user.role in GOVERNANCE_READ_ROLES,
        "can_write_letters": user.role in LETTER_ROLES,
    }


def register() -> None:
    navigation.add(
        navigation.NavItem(
            "IRO escalations",
            "escalations:iro_escalations",
            navigation.CASEWORK - {Role.LADO, Role.COMMISSIONING_OFFICER},
            "/escalations/",
            order=70,
        ),
        # The chair (AED) and the Director: the homes waiting for their decision.
        navigation.NavItem(
            "Governance review",
            "concerns:governance",
            DECIDE_ROLES,
            "/governance-review/",
            order=75,
        ),
    )
    pages.add_child_link(
        pages.Link(
            "IRO escalations",
            lambda child: f"{reverse('escalations:iro_escalations')}?status=all&child={child.pk}",
            order=20,
            shown_to=lambda user: user.role not in (Role.LADO, Role.COMMISSIONING_OFFICER),
        )
    )
    pages.add_child_link(
        pages.Link(
            "Raise an escalation",
            lambda child: reverse("escalations:iro_escalation_create", args=[child.pk]),
            order=30,
            shown_to=lambda user: user.role == Role.IRO,
        )
    )
    pages.add_setting_action(
        pages.Link(
            "Record an Ofsted notice",
            lambda setting: reverse("escalations:notice_create", args=[setting.pk]),
            order=10,
            shown_to=lambda user: user.role == Role.COMMISSIONING_OFFICER,
        )
    )
    pages.add_setting_section(
        pages.Section(
            "concerns",
            "escalations/_setting_concerns.html",
            concern_context,
            order=10,
            annotations=concern_flags,
        )
    )
