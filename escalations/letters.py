"""Letters of concern and provider action plans (seed 001), and their duties.

Commissioning and managers prepare a letter (a draft); only the assistant director or
the director issue it, with the evidence the decision drew on (seed 001 l.194: "the
panel must draw on a suitable range of quantitative and qualitative information";
l.253: the AED chairs the governance group, the Director decides).

A letter's compliance period begins on the day it is given and ends 15 working days
after that day (seed 001 l.204; England working days, day 1 the first working day after
it is given: duties.calendar). The owners' representations run from their receipt of
the letter: "within 15 working days of receipt of the letter" (l.218), so how and when
the letter was delivered is recorded, and the representation period counted from the
day it was received. Both figures are RuleValues an administrator may change. The end of
the compliance period is a ``letter_of_concern`` duty; each action plan action's
deadline is an ``action_plan`` duty, kept in step when the action is edited or done.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import Role, User
from core.history import stamp as _stamp
from duties import timescales
from duties.calendar import add_working_days
from duties.services import duty_done, duty_open, duty_reschedule, open_duty
from placements.models import Setting

from .duty_kinds import ACTION_PLAN, LETTER_OF_CONCERN
from .models import ActionPlan, LetterOfConcern, PlanAction

#: Commissioning and managers prepare letters (draft, edit, record their delivery and the
#: representations) and keep action plans; so may the assistant director and director.
LETTER_ROLES = frozenset(
    {
        Role.COMMISSIONING_OFFICER,
        Role.TEAM_MANAGER,
        Role.SERVICE_MANAGER,
        Role.ASSISTANT_DIRECTOR,
        Role.DIRECTOR,
    }
)
#: Only the assistant director or the director issue a letter (seed 001 l.253-255).
LETTER_ISSUE_ROLES = frozenset({Role.ASSISTANT_DIRECTOR, Role.DIRECTOR})
SOURCE = "Seed 001 (Knowsley protocol), Giving a Letter of Concern"
PLAN_SOURCE = "Seed 001 (Knowsley protocol), Children's Homes Causing Concern Action Plan"

#: The working-day periods of a letter (RuleValue name, default, help text, source line);
#: seeded by escalations/0006, created here if it has gone.
COMPLIANCE_RULE = (
    "letter_compliance_working_days",
    15,
    "Working days after the day a letter of concern is given on which its compliance period ends.",
    "Seed 001 (Knowsley protocol) l.204: 'The initial compliance period beginning with "
    "the day when the letter of concern is given and ending 15 working days following "
    "that day'",
)
REPRESENTATIONS_RULE = (
    "letter_representations_working_days",
    15,
    "Working days after the owners receive a letter of concern within which their "
    "representations must be made.",
    "Seed 001 (Knowsley protocol) l.218: 'The representations must be made in writing "
    "within 15 working days of receipt of the letter.'",
)


def _working_days(rule: tuple) -> int:
    name, default, help_text, source = rule
    return timescales.value(name, default=default, help_text=help_text, source=source)


def compliance_working_days() -> int:
    return _working_days(COMPLIANCE_RULE)


def representations_working_days() -> int:
    return _working_days(REPRESENTATIONS_RULE)


def _require(actor: User, roles=LETTER_ROLES) -> None:
    if actor.role not in roles:
        raise PermissionDenied


def compliance_end(given_on: date) -> date:
    """The last day of the compliance period: 15 working days after the day given
    (seed 001 l.204; RuleValue ``letter_compliance_working_days``)."""
    return add_working_days(given_on, compliance_working_days())


def representations_end(received_on: date) -> date:
    """The last day for representations: 15 working days of the owners' receipt of the
    letter (seed 001 l.218; RuleValue ``letter_representations_working_days``)."""
    return add_working_days(received_on, representations_working_days())


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


def letter_issue(
    *, letter: LetterOfConcern, given_on: date, evidence: str, actor: User
) -> LetterOfConcern:
    """Give the letter (the assistant director or director only), with the evidence the
    decision drew on: fix its compliance period and put its end in the deadlines."""
    _require(actor, LETTER_ISSUE_ROLES)
    if letter.status != LetterOfConcern.Status.DRAFT:
        raise ValidationError("This letter has already been issued.")
    if not letter.addressed_to.strip():
        raise ValidationError({"addressed_to": "Give the owner the letter is addressed to."})
    if not evidence.strip():
        raise ValidationError(
            {"evidence": "Give the evidence the decision to give the letter rests on."}
        )
    days = compliance_working_days()
    with transaction.atomic():
        letter.status = LetterOfConcern.Status.ISSUED
        letter.given_on = given_on
        letter.compliance_ends = add_working_days(given_on, days)
        letter.issued_by = actor
        letter.decision_evidence = evidence.strip()
        _stamp(letter, actor, "Issued").save()
        # Commissioning (whoever prepared it) monitors the compliance period (seed 001 l.259,
        # l.263); the assistant director or director only gave the letter.
        duty_open(
            kind=LETTER_OF_CONCERN,
            subject=f"letter:{letter.pk}",
            setting=letter.setting,
            owner=letter.drafted_by,
            team=letter.drafted_by.team,
            due=letter.compliance_ends,
            basis=(
                f"Letter of concern given {given_on:%d/%m/%Y}: the compliance period ends "
                f"{days} working days after the day it is given"
            ),
            source=f"{SOURCE} (l.204); RuleValue {COMPLIANCE_RULE[0]}",
        )
    return letter


def letter_record_delivery(
    *, letter: LetterOfConcern, method: str, received_on: date, actor: User, today: date
) -> LetterOfConcern:
    """How the letter was delivered and when the owners received it; the representation
    period runs from that day (seed 001 l.218). It may be corrected until representations
    are recorded (the history keeps what it said)."""
    _require(actor)
    if letter.status != LetterOfConcern.Status.ISSUED:
        raise ValidationError("Delivery can be recorded only once the letter is issued.")
    if letter.representations_received_on is not None:
        raise ValidationError(
            "Representations are recorded against this receipt date: it cannot change now."
        )
    errors = {}
    if method not in LetterOfConcern.DeliveryMethod.values:
        errors["delivery_method"] = "Choose how the letter was delivered."
    if received_on < letter.given_on:
        errors["received_on"] = (
            f"The letter cannot be received before it was issued ({letter.given_on:%d %B %Y})."
        )
    elif received_on > today:
        errors["received_on"] = "The date the letter was received must be today or in the past."
    if errors:
        raise ValidationError(errors)
    letter.delivery_method = method
    letter.received_on = received_on
    letter.representations_due = representations_end(received_on)
    _stamp(letter, actor, "Delivery recorded").save()
    return letter


def letter_record_representations(
    *, letter: LetterOfConcern, text: str, received_on: date, actor: User
) -> LetterOfConcern:
    """Representations count only if made within 15 working days of the owners' receipt
    of the letter (seed 001 l.218)."""
    _require(actor)
    if letter.status != LetterOfConcern.Status.ISSUED:
        raise ValidationError("Representations can be recorded only once the letter is issued.")
    if letter.received_on is None:
        raise ValidationError(
            "Record how and when the owners received the letter first: the representation "
            "period runs from that day."
        )
    errors = {}
    if not text.strip():
        errors["representations"] = "Enter the representations the owners made."
    if received_on < letter.received_on:
        errors["representations_received_on"] = (
            f"Representations cannot be received before the owners received the letter "
            f"({letter.received_on:%d %B %Y})."
        )
    elif received_on > letter.representations_due:
        errors["representations_received_on"] = (
            f"Representations received on {received_on:%d %B %Y} are too late: they had to "
            f"be made within {representations_working_days()} working days of receipt of "
            f"the letter, by {letter.representations_due:%d %B %Y}."
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
