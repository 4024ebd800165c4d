"""Letters of concern and provider action plans (seed 001), and their duties.

A letter's compliance period begins on the day it is given and ends 15 working days
after that day (England working days; day 1 is the first working day after it is
given: duties.calendar). Representations count if received by that day. The end of
the compliance period is a ``letter_of_concern`` duty; each action plan action's
deadline is an ``action_plan`` duty, kept in step when the action is edited or done.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import Role, User
from core.history import stamp as _stamp
from duties.calendar import add_working_days
from duties.services import duty_done, duty_open, duty_reschedule, open_duty
from placements.models import Setting

from .duty_kinds import ACTION_PLAN, LETTER_OF_CONCERN
from .models import ActionPlan, LetterOfConcern, PlanAction

# Commissioning and managers draft and issue letters and keep action plans.
LETTER_ROLES = frozenset(
    {
        Role.COMMISSIONING_OFFICER,
        Role.TEAM_MANAGER,
        Role.SERVICE_MANAGER,
        Role.ASSISTANT_DIRECTOR,
        Role.DIRECTOR,
    }
)
COMPLIANCE_WORKING_DAYS = 15
SOURCE = "Seed 001 (Knowsley protocol), Giving a Letter of Concern"
PLAN_SOURCE = "Seed 001 (Knowsley protocol), Children's Homes Causing Concern Action Plan"


def _require(actor: User) -> None:
    if actor.role not in LETTER_ROLES:
        raise PermissionDenied


def compliance_end(given_on: date) -> date:
    """The last day of the compliance period: 15 working days after the day given."""
    return add_working_days(given_on, COMPLIANCE_WORKING_DAYS)


# Letters of concern -----------------------------------------------------------------------


def letter_draft(*, setting: Setting, actor: User, **fields) -> LetterOfConcern:
    _require(actor)
    letter = LetterOfConcern(setting=setting, drafted_by=actor, **fields)
    letter.full_clean()
    _stamp(letter, actor, "Drafted").save()
    return letter


def letter_update(*, letter: LetterOfConcern, actor: User, **fields) -> LetterOfConcern:
    _require(actor)
    if letter.status != LetterOfConcern.Status.DRAFT:
        raise ValidationError("An issued letter cannot be changed.")
    for name, value in fields.items():
        setattr(letter, name, value)
    letter.full_clean()
    _stamp(letter, actor, "Edited").save()
    return letter


def letter_issue(*, letter: LetterOfConcern, given_on: date, actor: User) -> LetterOfConcern:
    """Give the letter: fix its compliance period and put its end in the deadlines."""
    _require(actor)
    if letter.status != LetterOfConcern.Status.DRAFT:
        raise ValidationError("This letter has already been issued.")
    if not letter.addressed_to.strip():
        raise ValidationError({"addressed_to": "Give the owner the letter is addressed to."})
    with transaction.atomic():
        letter.status = LetterOfConcern.Status.ISSUED
        letter.given_on = given_on
        letter.compliance_ends = compliance_end(given_on)
        letter.issued_by = actor
        _stamp(letter, actor, "Issued").save()
        duty_open(
            kind=LETTER_OF_CONCERN,
            subject=f"letter:{letter.pk}",
            setting=letter.setting,
            owner=actor,
            team=actor.team,
            due=letter.compliance_ends,
            basis=(
                f"Letter of concern given {given_on:%d/%m/%Y}: the compliance period ends "
                f"{COMPLIANCE_WORKING_DAYS} working days after the day it is given"
            ),
            source=SOURCE,
        )
    return letter


def letter_record_representations(
    *, letter: LetterOfConcern, text: str, received_on: date, actor: User
) -> LetterOfConcern:
    """Representations count only if received within 15 working days of the letter."""
    _require(actor)
    if letter.status != LetterOfConcern.Status.ISSUED:
        raise ValidationError("Representations can be recorded only once the letter is issued.")
    errors = {}
    if not text.strip():
        errors["representations"] = "Enter the representations the owners made."
    if received_on < letter.given_on:
        errors["representations_received_on"] = (
            f"Representations cannot be received before the letter was given "
            f"({letter.given_on:%d %B %Y})."
        )
    elif received_on > letter.compliance_ends:
        errors["representations_received_on"] = (
            f"Representations received on {received_on:%d %B %Y} are too late: they had to "
            f"be made within 15 working days, by {letter.compliance_ends:%d %B %Y}."
        )
    if errors:
        raise ValidationError(errors)
    letter.representations = text.strip()
    letter.representations_received_on = received_on
    _stamp(letter, actor, "Representations recorded").save()
    return letter


# Action plans -----------------------------------------------------------------------------


def plan_create(*, setting: Setting, actor: User) -> ActionPlan:
    _require(actor)
    plan = ActionPlan(setting=setting, created_by=actor)
    _stamp(plan, actor, "Created").save()
    return plan


def _sync_duty(action: PlanAction, actor: User) -> None:
    subject = f"plan_action:{action.pk}"
    if action.status == PlanAction.Status.DONE:
        duty_done(kind=ACTION_PLAN, subject=subject, done_on=action.done_on)
        return
    basis = f"Action plan action led by {action.lead}, deadline {action.deadline:%d/%m/%Y}"
    if open_duty(ACTION_PLAN, subject) is None:
        duty_open(
            kind=ACTION_PLAN,
            subject=subject,
            setting=action.plan.setting,
            owner=action.plan.created_by,
            team=action.plan.created_by.team,
            due=action.deadline,
            basis=basis[:300],
            source=PLAN_SOURCE,
        )
    else:
        duty_reschedule(kind=ACTION_PLAN, subject=subject, due=action.deadline, basis=basis)


def action_add(*, plan: ActionPlan, actor: User, **fields) -> PlanAction:
    _require(actor)
    action = PlanAction(plan=plan, **fields)
    action.full_clean()
    with transaction.atomic():
        _stamp(action, actor, "Added").save()
        _sync_duty(action, actor)
    return action


def action_update(*, plan_action: PlanAction, actor: User, **fields) -> PlanAction:
    _require(actor)
    if PlanAction.objects.filter(pk=plan_action.pk, status=PlanAction.Status.DONE).exists():
        raise ValidationError("A completed action cannot be changed.")
    for name, value in fields.items():
        setattr(plan_action, name, value)
    plan_action.full_clean()
    with transaction.atomic():
        _stamp(plan_action, actor, "Edited").save()
        _sync_duty(plan_action, actor)
    return plan_action


def action_complete(*, plan_action: PlanAction, actor: User, today: date) -> PlanAction:
    action = plan_action
    _require(actor)
    if action.status == PlanAction.Status.DONE:
        raise ValidationError("This action is already done.")
    action.status = PlanAction.Status.DONE
    action.done_on = today
    with transaction.atomic():
        _stamp(action, actor, "Done").save()
        _sync_duty(action, actor)
    return action
