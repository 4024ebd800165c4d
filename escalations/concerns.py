"""Concerns about a provision, and the setting's concern level (seeds 000 and 001).

Who may set the concern level (decided here, documented in the README by the lead):
team managers, service managers, the assistant director, the director and
commissioning officers. Social workers, personal advisers, IROs, the LADO and
administrators record concerns but do not set the level.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from accounts.models import Role, User
from core.history import stamp as _stamp
from placements.models import Child, ConcernLevel, Setting
from placements.selectors import children_visible_to
from visits.models import Notification

from .models import Concern, ConcernLevelChange

CONCERN_LEVEL_ROLES = frozenset(
    {
        Role.TEAM_MANAGER,
        Role.SERVICE_MANAGER,
        Role.ASSISTANT_DIRECTOR,
        Role.DIRECTOR,
        Role.COMMISSIONING_OFFICER,
    }
)


def concern_recipients(concern: Concern) -> list[User]:
    """Who hears of a concern: for a child, the social worker's team manager, that
    manager's service manager and the child's IRO; for the setting alone, commissioning."""
    people: list[User] = []
    child = concern.child
    if child is not None:
        worker = child.social_worker
        team_manager = worker.line_manager if worker else None
        if team_manager is None and child.team_id:
            team_manager = User.objects.filter(
                team_id=child.team_id, role=Role.TEAM_MANAGER, is_active=True
            ).first()
        if team_manager is not None:
            people.append(team_manager)
            if team_manager.line_manager is not None:
                people.append(team_manager.line_manager)
        if child.iro is not None:
            people.append(child.iro)
    else:
        people.extend(User.objects.filter(role=Role.COMMISSIONING_OFFICER, is_active=True))
    seen: set[int] = set()
    unique = []
    for person in people:
        if person.is_active and person.pk not in seen:
            seen.add(person.pk)
            unique.append(person)
    return unique


def concern_record(
    *,
    setting: Setting,
    child: Child | None,
    raised_by_name: str,
    raised_by_role: str,
    what: str,
    evidence: str,
    raised_on: date,
    actor: User,
) -> Concern:
    """Record a concern and notify who must hear of it. Subjects carry no child's name."""
    if child is not None and not children_visible_to(actor).filter(pk=child.pk).exists():
        raise ValidationError({"child": "Choose a child whose record you can see."})
    concern = Concern(
        setting=setting,
        child=child,
        raised_by_name=raised_by_name.strip(),
        raised_by_role=raised_by_role.strip(),
        recorded_by=actor,
        what=what.strip(),
        evidence=evidence.strip(),
        raised_on=raised_on,
    )
    concern.full_clean()
    with transaction.atomic():
        _stamp(concern, actor, "Recorded").save()
        url = reverse("concerns:concern", kwargs={"pk": concern.pk})
        about = f"child {child.child_id} at " if child is not None else ""
        Notification.objects.bulk_create(
            [
                Notification(
                    user=user,
                    key=f"concern:{concern.pk}:{user.pk}",
                    subject=f"Concern recorded about {setting.name}"[:200],
                    body=(
                        f"A concern about {about}{setting} was raised on "
                        f"{raised_on:%d %B %Y} by {concern.raised_by_name} "
                        f"({concern.raised_by_role}) and recorded by {actor}."
                    ),
                    url=url,
                    email_status=(
                        Notification.Email.PENDING if user.email else Notification.Email.NONE
                    ),
                )
                for user in concern_recipients(concern)
            ],
            ignore_conflicts=True,
        )
    return concern


def concern_close(*, concern: Concern, reason: str, actor: User, today: date) -> Concern:
    if actor.role not in CONCERN_LEVEL_ROLES:
        raise PermissionDenied
    if concern.status == Concern.Status.CLOSED:
        raise ValidationError("This concern is already closed.")
    if not reason.strip():
        raise ValidationError({"closed_reason": "Say why the concern is closed."})
    concern.status = Concern.Status.CLOSED
    concern.closed_on = today
    concern.closed_reason = reason.strip()
    _stamp(concern, actor, "Closed").save()
    return concern


def concern_level_set(*, setting: Setting, level: str, reason: str, actor: User):
    """Set the setting's concern level by hand, with the reason, into its history."""
    if actor.role not in CONCERN_LEVEL_ROLES:
        raise PermissionDenied
    errors = {}
    if level not in ConcernLevel.values:
        errors["level"] = "Choose a concern level."
    elif level == setting.concern_level:
        errors["level"] = f"The setting is already at {ConcernLevel(level).label}."
    if not reason.strip():
        errors["reason"] = "Give the reason for the concern level."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        setting = Setting.objects.select_for_update().get(pk=setting.pk)
        change = ConcernLevelChange(
            setting=setting,
            level=level,
            previous_level=setting.concern_level,
            reason=reason.strip(),
            source=ConcernLevelChange.Source.MANUAL,
            set_by=actor,
        )
        _stamp(change, actor, "Set by hand").save()
        setting.concern_level = level
        _stamp(setting, actor, f"Concern level: {ConcernLevel(level).label}").save(
            update_fields=["concern_level"]
        )
    return change


#: How many of a setting's open duties its page lists (the total is given).
SETTING_PAGE_DUTIES = 25
#: Duties about a child listed on the setting's page: the concern workflow's.
SETTING_PAGE_DUTY_KINDS = ("risk_assessment", "scoping_meeting", "letter_of_concern", "action_plan")


def concern_section_flags() -> dict:
    """Annotations for a queryset of settings: whether each of the setting page's concern
    sections holds anything. The page reads them with the setting (no query of their own),
    and then only the sections that do (most settings have none)."""
    from django.db.models import Exists, OuterRef

    from scoping.models import RiskAssessment

    from .models import ActionPlan, LetterOfConcern

    def has(queryset):
        return Exists(queryset.filter(setting=OuterRef("pk")))

    return {
        "has_open_concerns": has(Concern.objects.filter(status=Concern.Status.OPEN)),
        "has_open_risk_assessments": has(
            RiskAssessment.objects.exclude(status=RiskAssessment.Status.SIGNED_OFF)
        ),
        "has_letters_of_concern": has(LetterOfConcern.objects.all()),
        "has_action_plans": has(ActionPlan.objects.all()),
    }


def setting_concern_context(user: User, setting: Setting) -> dict:
    """What the setting page shows of concerns, in a fixed number of queries: one for each
    section that holds anything (a setting read with ``concern_section_flags`` says which;
    five at most), and one for what is due.

    A child's name is shown only where the user may see the child (``child_visible``)."""
    from django.db.models import Count, Exists, Min, OuterRef, Q, Window

    from scoping.models import RiskAssessment
    from visits.models import Duty, DutyKind

    from .letters import LETTER_ROLES
    from .models import ActionPlan, LetterOfConcern, PlanAction

    def visible():
        return Exists(children_visible_to(user).filter(pk=OuterRef("child_id")))

    def section(name: str, read) -> list:
        return list(read()) if getattr(setting, f"has_{name}", True) else []

    return {
        "open_concerns": section(
            "open_concerns",
            lambda: (
                Concern.objects.filter(setting=setting, status=Concern.Status.OPEN)
                .select_related("child")
                .annotate(child_visible=visible())
            ),
        ),
        "open_risk_assessments": section(
            "open_risk_assessments",
            lambda: (
                RiskAssessment.objects.filter(setting=setting)
                .exclude(status=RiskAssessment.Status.SIGNED_OFF)
                .select_related("child", "owner")
                .annotate(child_visible=visible())
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
        # The setting's own duties and those of the concern workflow, the first few by due
        # date with the total (one query). Not each child's visits, which carry the setting
        # (tens of thousands at an authority's fostering service), nor scoping meeting
        # actions, which are for the meeting's invitees.
        "setting_duties": list(
            Duty.objects.filter(setting=setting, status=Duty.Status.OPEN)
            .filter(
                Q(kind__in=SETTING_PAGE_DUTY_KINDS)
                | Q(child__isnull=True) & ~Q(kind=DutyKind.SCOPING_ACTION)
            )
            .select_related("child", "owner")
            .annotate(child_visible=visible(), total=Window(Count("pk")))
            .order_by("due", "pk")[:SETTING_PAGE_DUTIES]
        ),
        "can_set_level": user.role in CONCERN_LEVEL_ROLES,
        "can_write_letters": user.role in LETTER_ROLES,
    }
