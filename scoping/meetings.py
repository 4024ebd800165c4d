"""Risk Management Scoping Meetings (seed 000; timescales.md §5): every read and write.

The LADO service convenes the meeting (from an approved scoping request, or, route 1,
from the ``setting:<pk>:scoping`` duty an Inadequate judgement opens), chairs it, keeps
its minutes and finalises them. The children placed at the setting on the meeting date
are listed as Child 1, Child 2… with initials: no page, PDF, CSV, duty or notification
of a meeting names a child.

Who sees a meeting (:func:`meetings_visible_to`): its staff invitees, the LADO service and
the assistant director; to anyone else it does not exist (404).

Decisions written down here:

- An action's owner is *not* made an invitee: the action page (``scoping:action``) shows
  the owner the action, its deadline and "Child N (initials)", never the minutes. Minutes
  go to those who were invited.
- Invited at convening: the chair, the convener, the requester (and the IRO of an
  escalation), and each child's social worker and personal adviser. Other professionals
  are invited by email (scoping.invitations), and every invitee is told of a change of
  date, time or place.
- Only LADO users convene, edit and finalise; the chair must be a LADO user. The default
  chair is the LADO service manager: the first active ``lado`` user in a LADO service
  team (by pk), else any active ``lado`` user.
- A decision that the provision can no longer be used opens a ``placement_planning`` duty
  (subject ``placement_planning:<meeting>:<child>``, no page link: the worker may not be
  an invitee) for each child placed there on the day the minutes are finalised, due
  ``placement_planning_working_days`` working days later (a ``RuleValue``, default 5).
  Seed 000 gives no figure for it; 5 is ours, and the administrator can change it.
- Finalising is once: a second call changes nothing and opens nothing.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, Team, User
from core.history import stamp as _stamp
from duties import timescales
from duties.calendar import add_working_days
from duties.models import Duty
from duties.services import (
    duty_done,
    duty_open,
    ever_opened,
    notify,
    notify_about_children,
    open_duties,
    open_duty,
)
from placements.models import Setting
from placements.selectors import placed_on

from .duty_kinds import PLACEMENT_PLANNING, SCOPING_ACTION, SCOPING_MEETING
from .invitations import invite, invite_by_email, tell_rearranged
from .models import (
    MeetingAction,
    MeetingChild,
    MeetingInvitee,
    RiskAssessment,
    ScopingMeeting,
    ScopingRequest,
)
from .requests import convene_duty_for

SEE_ALL_ROLES = frozenset({Role.LADO, Role.ASSISTANT_DIRECTOR})
ACTION_SOURCE = "TS §5: 000 'Risk Management Scoping Meeting', actions and agreed timescales"
REVIEW_SOURCE = "TS §5: 000 'Risk Management Scoping Meeting', review date"
PLANNING_SOURCE = "TS §5: 000 scoping meeting decision: the provision can no longer be used"
PLANNING_DAYS_RULE = "placement_planning_working_days"
PLANNING_DAYS_DEFAULT = 5
SUSPENSION_REASON_PREFIX = "Scoping meeting of"

Provision = ScopingMeeting.Provision


class MeetingFinalised(PermissionDenied):
    """The minutes are finalised: the meeting can no longer be changed."""


# --- Reads ----------------------------------------------------------------------------------


def meetings_visible_to(user) -> QuerySet[ScopingMeeting]:
    """Meetings this user may open: invitees, the LADO service, the assistant director."""
    if not user.is_authenticated or not user.is_active:
        return ScopingMeeting.objects.none()
    if user.role in SEE_ALL_ROLES:
        return ScopingMeeting.objects.all()
    invited = MeetingInvitee.objects.filter(meeting=OuterRef("pk"), user=user)
    return ScopingMeeting.objects.filter(Exists(invited))


def may_edit(user, meeting: ScopingMeeting | None = None) -> bool:
    return user.is_authenticated and user.is_active and user.role == Role.LADO


def actions_visible_to(user) -> QuerySet[MeetingAction]:
    """An action: to its owner, and to whoever may open its meeting."""
    if not user.is_authenticated or not user.is_active:
        return MeetingAction.objects.none()
    if user.role in SEE_ALL_ROLES:
        return MeetingAction.objects.all()
    invited = MeetingInvitee.objects.filter(meeting=OuterRef("meeting_id"), user=user)
    return MeetingAction.objects.filter(Q(owner=user) | Q(Exists(invited)))


def lado_users() -> QuerySet[User]:
    return User.objects.filter(role=Role.LADO, is_active=True).order_by(
        "first_name", "last_name", "pk"
    )


def lado_service_manager() -> User | None:
    """The default chair: a LADO user in the LADO service team, failing that any."""
    users = User.objects.filter(role=Role.LADO, is_active=True).order_by("pk")
    return users.filter(team__kind=Team.Kind.LADO_SERVICE).first() or users.first()


def lado_team() -> Team | None:
    return Team.objects.filter(kind=Team.Kind.LADO_SERVICE).order_by("pk").first()


def initials(first_name: str, last_name: str) -> str:
    """ "Amy-Rose O'Neil" -> "AO": the first letter of each name, as the minutes use them."""
    letters = [part.strip()[:1].upper() for part in (first_name, last_name) if part.strip()]
    return "".join(letters)[:6]


def child_label(meeting_child: MeetingChild | None) -> str:
    if meeting_child is None:
        return "The provision"
    return f"Child {meeting_child.number} ({meeting_child.initials})"


def child_ref(meeting_child: MeetingChild | None) -> str:
    """Without initials, for duties and notifications: "Child 2" or "the provision"."""
    return "the provision" if meeting_child is None else f"Child {meeting_child.number}"


def planning_days() -> int:
    return timescales.value(
        PLANNING_DAYS_RULE,
        default=PLANNING_DAYS_DEFAULT,
        help_text="Working days, from a scoping meeting's decision that a provision can no "
        "longer be used, for each child's social worker to plan their move. Seed 000 gives "
        "no figure: the default of 5 is the authority's to change.",
        source=PLANNING_SOURCE,
    )


def convene_duty(*, setting: Setting, request: ScopingRequest | None) -> Duty | None:
    """The open LADO duty this meeting discharges: the request's convening duty
    (scoping.requests), or the route-1 duty of the setting an Inadequate judgement opens."""
    if request is not None:
        return convene_duty_for(request)
    return open_duty(SCOPING_MEETING, f"setting:{setting.pk}:scoping")


def to_convene() -> list[tuple[Duty, str]]:
    """The LADO service's open convening duties, each with the query string of the convene
    form that discharges it ("" for route 1, "request=N", "previous=N")."""
    rows = []
    duties = open_duties(SCOPING_MEETING, setting__isnull=False).select_related("setting")
    for duty in duties.order_by("due", "pk"):
        prefix, _, rest = duty.subject.partition(":")
        pk = rest.partition(":")[0]
        if not pk.isdigit():
            continue
        if prefix == "setting":
            rows.append((duty, ""))
        elif prefix == "scoping_request" and rest.endswith(":convene"):
            rows.append((duty, f"request={pk}"))
        elif prefix == "meeting" and rest.endswith(":review"):
            rows.append((duty, f"previous={pk}"))
    return rows


# --- Convening ------------------------------------------------------------------------------


def _staff_invitee(meeting: ScopingMeeting, user: User | None, role: str = "") -> None:
    if user is None or not user.is_active:
        return
    if meeting.invitees.filter(user=user).exists():
        return
    _stamp(
        MeetingInvitee(
            meeting=meeting,
            user=user,
            name=str(user)[:150],
            role=(role or user.job_title or user.role_label)[:150],
            organisation=(user.team.name if user.team_id else "")[:150],
            email=user.email,
        ),
        meeting.convened_by,
    ).save()
    invite(meeting, user)


def meeting_convene(
    *,
    setting: Setting,
    actor: User,
    on: date,
    at: time,
    location: str,
    chair: User | None = None,
    request: ScopingRequest | None = None,
    previous: ScopingMeeting | None = None,
    today: date | None = None,
) -> ScopingMeeting:
    """Convene a meeting about ``setting``: from an approved request, from the route-1 duty,
    or as the review of ``previous``. Lists the children, invites the professionals, and
    marks the convening (or review) duty done."""
    if not may_edit(actor):
        raise PermissionDenied("Only the LADO service convenes scoping meetings.")
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    chair = chair or lado_service_manager()
    if chair is None or chair.role != Role.LADO or not chair.is_active:
        errors["chair"] = ["Choose a member of the LADO service to chair the meeting"]
    if not (location or "").strip():
        errors["location"] = ["Enter where the meeting is held"]
    if on is None:
        errors["date"] = ["Enter the date of the meeting"]
    if at is None:
        errors["time"] = ["Enter the time of the meeting"]
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        if request is not None:
            request = ScopingRequest.objects.select_for_update().get(pk=request.pk)
            if request.setting_id != setting.pk:
                raise ValidationError({None: ["That request is about another setting"]})
            if request.status != ScopingRequest.Status.APPROVED:
                raise ValidationError(
                    {None: ["Only an approved request, not yet convened, can be convened"]}
                )
        if previous is not None:
            previous = ScopingMeeting.objects.select_for_update().get(pk=previous.pk)
            if previous.setting_id != setting.pk or previous.status != "finalised":
                raise ValidationError({None: ["Only finalised minutes can be reviewed"]})
            if ScopingMeeting.objects.filter(previous=previous).exists():
                raise ValidationError({None: ["That meeting's review is already convened"]})
        meeting = _stamp(
            ScopingMeeting(
                setting=setting,
                request=request,
                previous=previous,
                date=on,
                time=at,
                location=location.strip()[:200],
                chair=chair,
                convened_by=actor,
                summary=request.concerns if request is not None else "",
            ),
            actor,
            "Convened",
        )
        meeting.save()

        # The children placed there on the meeting date, Child 1, Child 2… by 903 ID.
        placements = list(placed_on(setting, on))
        seen: set[int] = set()
        children = []
        for placement in placements:
            if placement.child_id not in seen:
                seen.add(placement.child_id)
                children.append(placement.child)
        latest_ra = {}
        for ra in RiskAssessment.objects.filter(
            setting=setting, child__in=[c.pk for c in children]
        ).order_by("opened_on", "pk"):
            latest_ra[ra.child_id] = ra
        for number, child in enumerate(children, start=1):
            _stamp(
                MeetingChild(
                    meeting=meeting,
                    child=child,
                    number=number,
                    initials=initials(child.first_name, child.last_name),
                    risk_assessment=latest_ra.get(child.pk),
                ),
                actor,
            ).save()

        # Invitations: the chair, the requester, each child's social worker, the IRO.
        _staff_invitee(meeting, chair, "Chair, LADO service manager")
        _staff_invitee(meeting, actor)
        if request is not None:
            _staff_invitee(meeting, request.requested_by, "Requested the meeting")
            if request.escalation_id is not None:
                _staff_invitee(meeting, request.escalation.raised_by, "IRO (escalation)")
        for child in children:
            _staff_invitee(meeting, child.social_worker)
            # Seed 000, line 311: "the Social Worker/ Personal Advisor".
            _staff_invitee(meeting, child.personal_adviser)

        # The duty it discharges.
        if previous is not None:
            duty_done(kind=SCOPING_MEETING, subject=f"meeting:{previous.pk}:review", done_on=today)
        else:
            duty = convene_duty(setting=setting, request=request)
            if duty is not None:
                duty_done(kind=duty.kind, subject=duty.subject, done_on=today)
        if request is not None:
            request.status = ScopingRequest.Status.CONVENED
            _stamp(request, actor, "Meeting convened").save(update_fields=["status"])
    return meeting


# --- Editing --------------------------------------------------------------------------------


def _locked(meeting: ScopingMeeting, actor: User) -> ScopingMeeting:
    if not may_edit(actor):
        raise PermissionDenied("Only the LADO service changes a scoping meeting.")
    meeting = (
        ScopingMeeting.objects.select_for_update().select_related("setting").get(pk=meeting.pk)
    )
    if meeting.status == ScopingMeeting.Status.FINALISED:
        raise MeetingFinalised("The minutes are finalised.")
    return meeting


DETAIL_FIELDS = ("date", "time", "location", "chair")
#: What an invitee must be told of when it changes: when and where.
ARRANGEMENT_FIELDS = ("date", "time", "location")
MINUTES_FIELDS = (
    "summary",
    "discussions",
    "further_information",
    "interventions",
    "provision_decision",
    "conditions",
    "immediate_action",
    "regulator_contingency",
    "media_interest",
    "inform_provider",
    "inform_provider_when",
    "inform_provider_how",
    "actions_by",
    "review_date",
    "review_time",
    "review_location",
    "no_review_reason",
)
CHILD_FIELDS = ("risk_assessment_review", "wishes_and_feelings", "views_of_others")


def minutes_errors(meeting: ScopingMeeting) -> dict[str, list[str]]:
    """What the minutes' answers contradict, whether saving or finalising."""
    errors: dict[str, list[str]] = {}
    if (
        meeting.provision_decision == Provision.CONTINUE_WITH_CONDITIONS
        and not (meeting.conditions or "").strip()
    ):
        errors["conditions"] = ["Say on what conditions the provision can continue to be used"]
    if meeting.inform_provider == ScopingMeeting.InformProvider.YES:
        if meeting.inform_provider_when is None:
            errors["inform_provider_when"] = ["Enter when the provider is to be told"]
        if not (meeting.inform_provider_how or "").strip():
            errors["inform_provider_how"] = ["Say how the provider is to be told"]
    if meeting.review_date is not None and meeting.review_date <= meeting.date:
        errors["review_date"] = ["The review date must be after the meeting"]
    if meeting.actions_by is not None and meeting.actions_by < meeting.date:
        errors["actions_by"] = ["The timescale for all actions must not be before the meeting"]
    if meeting.review_date is not None and (meeting.no_review_reason or "").strip():
        errors["no_review_reason"] = ["Give a review date or a reason for none, not both"]
    return errors


def meeting_details_save(*, meeting: ScopingMeeting, actor: User, data: dict) -> ScopingMeeting:
    with transaction.atomic():
        meeting = _locked(meeting, actor)
        chair = data.get("chair")
        if chair is None or chair.role != Role.LADO or not chair.is_active:
            raise ValidationError({"chair": ["Choose a member of the LADO service to chair"]})
        was = {field: getattr(meeting, field) for field in DETAIL_FIELDS}
        for field in DETAIL_FIELDS:
            setattr(meeting, field, data[field])
        meeting.location = (meeting.location or "").strip()[:200]
        errors = minutes_errors(meeting)
        if errors.get("review_date"):
            raise ValidationError({"date": ["The meeting must be before its review date"]})
        moved = any(getattr(meeting, field) != was[field] for field in ARRANGEMENT_FIELDS)
        if moved:
            meeting.rearranged += 1
        if moved or meeting.chair != was["chair"]:
            _stamp(meeting, actor, "Rearranged" if moved else "Details changed").save()
        _staff_invitee(meeting, chair, "Chair, LADO service manager")
        if moved:
            # Everyone invited is told, once for this change (scoping.invitations).
            tell_rearranged(
                meeting,
                actor=actor,
                was_date=was["date"],
                was_time=was["time"],
                was_location=was["location"],
            )
    return meeting


def meeting_minutes_save(*, meeting: ScopingMeeting, actor: User, data: dict) -> ScopingMeeting:
    with transaction.atomic():
        meeting = _locked(meeting, actor)
        for field in MINUTES_FIELDS:
            if field in data:
                value = data[field]
                setattr(meeting, field, "" if value is None and field not in _DATES else value)
        errors = minutes_errors(meeting)
        if errors:
            raise ValidationError(errors)
        _stamp(meeting, actor, "Minutes changed").save()
    return meeting


_DATES = {"inform_provider_when", "actions_by", "review_date", "review_time"}


def child_review_save(*, meeting_child: MeetingChild, actor: User, data: dict) -> MeetingChild:
    with transaction.atomic():
        _locked(meeting_child.meeting, actor)
        for field in CHILD_FIELDS:
            if field in data:
                setattr(meeting_child, field, data[field] or "")
        _stamp(meeting_child, actor, "Review changed").save()
    return meeting_child


def _is_provider(meeting: ScopingMeeting, organisation: str) -> bool:
    provider = meeting.setting.provider.name if meeting.setting.provider_id else ""
    norm = " ".join((organisation or "").split()).casefold()
    return bool(norm) and norm == " ".join(provider.split()).casefold()


def invitee_add(
    *,
    meeting: ScopingMeeting,
    actor: User,
    name: str = "",
    role: str = "",
    organisation: str = "",
    email: str = "",
    health_professional: bool = False,
    user: User | None = None,
) -> MeetingInvitee:
    """Invite a member of staff or another professional; never the provider."""
    with transaction.atomic():
        meeting = _locked(meeting, actor)
        errors: dict[str, list[str]] = {}
        if user is not None:
            if not user.is_active:
                errors["user"] = ["Choose an active member of staff"]
            elif meeting.invitees.filter(user=user).exists():
                errors["user"] = ["They are already invited"]
            name = name or str(user)
            role = role or user.job_title or user.role_label
            organisation = organisation or (user.team.name if user.team_id else "")
            email = email or user.email
        if not (name or "").strip():
            errors["name"] = ["Enter the name of the person invited"]
        if not (role or "").strip():
            errors["role"] = ["Enter their role"]
        if _is_provider(meeting, organisation):
            errors["organisation"] = [
                "The provider is never invited to a scoping meeting: the meeting decides "
                "whether, when and how to inform it"
            ]
        if errors:
            raise ValidationError(errors)
        invitee = _stamp(
            MeetingInvitee(
                meeting=meeting,
                user=user,
                name=name.strip()[:150],
                role=role.strip()[:150],
                organisation=(organisation or "").strip()[:150],
                email=(email or "").strip(),
                health_professional=health_professional,
            ),
            actor,
            "Invited",
        )
        invitee.save()
        if user is not None:
            invite(meeting, user)
        else:
            invite_by_email(invitee)
    return invitee


def invitee_remove(*, invitee: MeetingInvitee, actor: User) -> None:
    with transaction.atomic():
        meeting = _locked(invitee.meeting, actor)
        if invitee.user_id is not None and invitee.user_id == meeting.chair_id:
            raise ValidationError({None: ["The chair cannot be removed"]})
        _stamp(invitee, actor, "Removed")
        invitee.delete()


def attendance_save(*, meeting: ScopingMeeting, actor: User, attendance: dict[int, str]) -> None:
    """``attendance`` maps invitee pk to invited / attended / apologies."""
    with transaction.atomic():
        meeting = _locked(meeting, actor)
        for invitee in meeting.invitees.all():
            value = attendance.get(invitee.pk)
            if value in MeetingInvitee.Attendance.values and value != invitee.attendance:
                invitee.attendance = value
                _stamp(invitee, actor, "Attendance").save(update_fields=["attendance"])


def _open_action_duty(action: MeetingAction, meeting: ScopingMeeting) -> None:
    duty_open(
        kind=SCOPING_ACTION,
        subject=f"scoping_action:{action.pk}",
        setting=meeting.setting,
        child=None,  # the duty must not name a child: "Child N" only
        owner=action.owner,
        team=action.owner.team,
        due=action.deadline,
        basis=(
            f"Scoping meeting of {meeting.date:%d/%m/%Y} about {meeting.setting.name}: "
            f"action for {child_ref(action.meeting_child)}"
        ),
        source=ACTION_SOURCE,
    )


def check_action(
    meeting: ScopingMeeting,
    text: str,
    owner: User | None,
    deadline: date | None,
    meeting_child: MeetingChild | None,
) -> None:
    """An action says what is to be done, by an active member of staff, by a deadline not
    before the meeting, for a child of this meeting if any: else ValidationError by field."""
    errors: dict[str, list[str]] = {}
    if not (text or "").strip():
        errors["action"] = ["Say what is to be done"]
    if owner is None or not owner.is_active or owner.role == Role.ADMINISTRATOR:
        errors["owner"] = ["Choose the member of staff who owns the action"]
    if deadline is None:
        errors["deadline"] = ["Enter the deadline"]
    elif deadline < meeting.date:
        errors["deadline"] = ["The deadline must not be before the meeting"]
    if meeting_child is not None and meeting_child.meeting_id != meeting.pk:
        errors["meeting_child"] = ["Choose a child of this meeting"]
    if errors:
        raise ValidationError(errors)


def action_add(
    *,
    meeting: ScopingMeeting,
    actor: User,
    action: str,
    owner: User | None,
    deadline: date | None,
    meeting_child: MeetingChild | None = None,
) -> MeetingAction:
    """An agreed action, owner and deadline; it is a ``scoping_action`` duty of its owner."""
    with transaction.atomic():
        meeting = _locked(meeting, actor)
        check_action(meeting, action, owner, deadline, meeting_child)
        row = _stamp(
            MeetingAction(
                meeting=meeting,
                meeting_child=meeting_child,
                action=action.strip(),
                owner=owner,
                deadline=deadline,
            ),
            actor,
            "Agreed",
        )
        row.save()
        _open_action_duty(row, meeting)
        if owner.pk != actor.pk:
            notify(
                owner,
                key=f"scoping_action:{row.pk}",
                subject=f"A scoping meeting action for you, due {deadline:%d/%m/%Y}",
                body=f"The scoping meeting of {meeting.date:%d/%m/%Y} about "
                f"{meeting.setting.name} gave you an action "
                f"for {child_ref(meeting_child)}, due {deadline:%d/%m/%Y}.",
                url=reverse("scoping:action", kwargs={"pk": row.pk}),
            )
    return row


def may_complete(user, action: MeetingAction) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and (action.owner_id == user.pk or user.role == Role.LADO)
    )


def action_done(
    *, action: MeetingAction, actor: User, outcome: str, today: date | None = None
) -> MeetingAction:
    """The owner (or the LADO service) marks an action done; its duty is done."""
    today = today or timezone.localdate()
    if not may_complete(actor, action):
        raise PermissionDenied("Only the action's owner or the LADO service marks it done.")
    if not (outcome or "").strip():
        raise ValidationError({"outcome": ["Say what was done"]})
    with transaction.atomic():
        action = MeetingAction.objects.select_for_update().get(pk=action.pk)
        if action.status == MeetingAction.Status.DONE:
            return action
        if action.status == MeetingAction.Status.WITHDRAWN:
            raise ValidationError({"outcome": ["The action is withdrawn: it is not done"]})
        action.status = MeetingAction.Status.DONE
        action.done_on = today
        action.outcome = outcome.strip()
        _stamp(action, actor, "Done").save()
        duty_done(kind=SCOPING_ACTION, subject=f"scoping_action:{action.pk}", done_on=today)
    return action


# --- Finalising -----------------------------------------------------------------------------


def finalise_errors(meeting: ScopingMeeting) -> dict[str, list[str]]:
    errors = minutes_errors(meeting)
    if not meeting.provision_decision:
        errors.setdefault("provision_decision", []).append(
            "Record whether the provision can still be used"
        )
    if meeting.review_date is None and not (meeting.no_review_reason or "").strip():
        errors.setdefault("review_date", []).append(
            "Enter the review date, or say why no review is needed"
        )
    if (
        meeting.request_id is not None
        and meeting.request.health_concerns
        and not meeting.invitees.filter(health_professional=True).exists()
    ):
        errors.setdefault(None, []).append(
            "The concerns are about health care: invite a health professional"
        )
    return errors


def meeting_finalise(
    *, meeting: ScopingMeeting, actor: User, now: datetime | None = None
) -> ScopingMeeting:
    """The chair (or the LADO service) finalises the minutes, and what follows is opened:
    the review duty, and for "can no longer be used" the suspension and a planning duty
    per child placed there. Finalising twice opens nothing twice."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if not may_edit(actor):
        raise PermissionDenied("Only the LADO service finalises the minutes.")
    with transaction.atomic():
        meeting = (
            ScopingMeeting.objects.select_for_update(of=("self",))
            .select_related("setting", "request")
            .get(pk=meeting.pk)
        )
        if meeting.status == ScopingMeeting.Status.FINALISED:
            return meeting
        errors = finalise_errors(meeting)
        if errors:
            raise ValidationError(errors)
        meeting.status = ScopingMeeting.Status.FINALISED
        meeting.finalised_at = now
        meeting.finalised_by = actor
        _stamp(meeting, actor, "Minutes finalised").save()
        setting = meeting.setting
        on = f"{meeting.date:%d/%m/%Y}"

        if meeting.review_date is not None:
            subject = f"meeting:{meeting.pk}:review"
            if not ever_opened(SCOPING_MEETING, subject):
                duty_open(
                    kind=SCOPING_MEETING,
                    subject=subject,
                    setting=setting,
                    owner=None,
                    team=lado_team(),
                    due=meeting.review_date,
                    basis=f"Review of the scoping meeting of {on} about {setting.name}",
                    source=REVIEW_SOURCE,
                )

        if meeting.provision_decision == Provision.NO_LONGER:
            _no_longer_used(meeting, setting, actor, today)
    return meeting


def _no_longer_used(meeting: ScopingMeeting, setting: Setting, actor: User, today: date):
    on = f"{meeting.date:%d/%m/%Y}"
    setting = Setting.objects.select_for_update().get(pk=setting.pk)
    if not setting.referrals_suspended:
        setting.referrals_suspended = True
        setting.referrals_suspended_reason = (
            f"{SUSPENSION_REASON_PREFIX} {on}: the provision can no longer be used"
        )[:300]
        _stamp(setting, actor, "Suspended: scoping meeting decision")
        setting.save(update_fields=["referrals_suspended", "referrals_suspended_reason"])

    days = planning_days()
    due = add_working_days(today, days)
    recipients: dict = defaultdict(set)
    seen: set[int] = set()
    for placement in placed_on(setting, today):
        child = placement.child
        if child.pk in seen:
            continue
        seen.add(child.pk)
        # Not a "meeting:" subject: that links to the minutes, which the worker may not open.
        subject = f"placement_planning:{meeting.pk}:{child.pk}"
        if ever_opened(PLACEMENT_PLANNING, subject):
            continue
        duty_open(
            kind=PLACEMENT_PLANNING,
            subject=subject,
            child=child,
            setting=setting,
            placement=placement,
            owner=child.social_worker,
            team=child.team,
            due=due,
            basis=(
                f"The scoping meeting of {on} decided {setting.name} can no longer be used: "
                f"plan the child's move within {days} working days"
            ),
            source=PLANNING_SOURCE,
        )
        worker = child.social_worker
        if worker is not None and worker.is_active:
            recipients[worker].add(child.child_id)

    notify_about_children(
        key=f"meeting:{meeting.pk}:planning",
        recipients=recipients,
        subject=f"{setting.name} can no longer be used: plan by {due:%d/%m/%Y}",
        intro=(
            f"The scoping meeting of {on} decided that {setting.name} can no longer be used. "
            f"Plan the move of each child you hold who is placed there by {due:%d/%m/%Y}."
        ),
        url=reverse("placements:setting", kwargs={"pk": setting.pk}),
    )
