"""What the concern workflow adds to a setting's page (``placements.pages``): its open risk
assessments, and the way to request a scoping meeting about it."""

from django.db.models import Exists, OuterRef
from django.urls import reverse

from accounts import navigation
from accounts.models import Role
from incidents import pages as incident_pages
from placements import pages
from placements.selectors import children_visible_to

from .models import RiskAssessment
from .requests import REQUEST_ROLES

#: Who may not request a scoping meeting from a setting's page.
NOT_REQUESTING = frozenset({Role.ADMINISTRATOR, Role.DIRECTOR})


def _open():
    return RiskAssessment.objects.exclude(status=RiskAssessment.Status.SIGNED_OFF)


def risk_assessment_flags() -> dict:
    return {"has_open_risk_assessments": Exists(_open().filter(setting=OuterRef("pk")))}


def risk_assessment_context(user, setting) -> dict:
    """The setting's open risk assessments (one query when it has any); a child's name only
    where the user may see the child."""
    assessments = []
    if getattr(setting, "has_open_risk_assessments", True):
        visible = Exists(children_visible_to(user).filter(pk=OuterRef("child_id")))
        assessments = list(
            _open()
            .filter(setting=setting)
            .select_related("child", "owner")
            .annotate(child_visible=visible)
        )
    return {
        "open_risk_assessments": assessments,
        "can_request": user.role not in NOT_REQUESTING,
    }


def register() -> None:
    navigation.add(
        navigation.NavItem(
            "Risk assessments",
            "scoping:risk_assessments",
            navigation.CASEWORK,
            "/risk-assessments/",
            order=60,
        ),
        navigation.NavItem(
            "Scoping requests",
            "scoping:requests",
            frozenset({Role.ASSISTANT_DIRECTOR, Role.DIRECTOR, Role.LADO}),
            "/scoping-requests/",
            order=80,
        ),
        navigation.NavItem(
            "Scoping meetings",
            "scoping:meetings",
            frozenset({Role.ASSISTANT_DIRECTOR, Role.LADO}),
            "/scoping-meetings/",
            order=90,
        ),
    )
    # An allegation about a setting's staff can start a scoping request about the setting.
    incident_pages.add_allegation_link(
        pages.Link(
            "Request a scoping meeting about this setting",
            lambda allegation: (
                f"{reverse('scoping:request_create')}?setting={allegation.setting_id}"
                f"&allegation={allegation.pk}"
                if allegation.setting_id
                else ""
            ),
            order=10,
            shown_to=lambda user: user.role in REQUEST_ROLES,
        )
    )
    pages.add_setting_section(
        pages.Section(
            "risk_assessments",
            "scoping/_setting_risk_assessments.html",
            risk_assessment_context,
            order=20,
            annotations=risk_assessment_flags,
        )
    )
