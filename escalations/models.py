from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from placements.models import ConcernLevel


class ConcernLevelChange(models.Model):
    """Every change of a setting's concern level, with who set it, when and why."""

    class Source(models.TextChoices):
        MANUAL = "manual", "Decided by the assistant director or director"
        INADEQUATE = "inadequate", "Ofsted judgement of Inadequate"
        REQUIRES_IMPROVEMENT = "requires_improvement", "Ofsted judgement of Requires improvement"
        # No longer written: an improved judgement goes to the next governance review
        # (GovernanceItem) instead of lowering the level. Kept for the rows it wrote.
        IMPROVED = "improved", "Ofsted judgement of Good or better"

    class HowDecided(models.TextChoices):
        # Seed 001 (Knowsley protocol) l.253: the governance group decides, the AED chairs,
        # the Director has the final say; l.255: the Director may act between meetings.
        MEETING = "meeting", "At a meeting of the governance group"
        BETWEEN_MEETINGS = "between_meetings", "Executive action between meetings"

    setting = models.ForeignKey(
        "placements.Setting", on_delete=models.CASCADE, related_name="concern_level_changes"
    )
    level = models.CharField(max_length=10, choices=ConcernLevel.choices)
    previous_level = models.CharField(max_length=10, choices=ConcernLevel.choices)
    reason = models.TextField()
    source = models.CharField(max_length=24, choices=Source.choices, default=Source.MANUAL)
    inspection = models.ForeignKey(
        "placements.Inspection", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    evidence = models.TextField(blank=True, help_text="The evidence the decision rests on")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The assistant director or director who decided; empty where the protocol "
        "itself sets the level (an Ofsted judgement)",
    )
    how_decided = models.CharField(max_length=20, choices=HowDecided.choices, blank=True)
    meeting_date = models.DateField(
        "governance group meeting", null=True, blank=True, help_text="The meeting that decided"
    )
    set_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-set_at", "-pk"]
        constraints = [
            # One change per judgement: the same judgement recorded twice changes nothing twice.
            models.UniqueConstraint(
                fields=["inspection", "source"],
                condition=models.Q(inspection__isnull=False),
                name="one_level_change_per_judgement",
            )
        ]

    def __str__(self) -> str:
        return f"{self.setting}: {self.get_level_display()}"


class ConcernLevelProposal(models.Model):
    """A concern level proposed by a manager or commissioning, with the reasons and the
    evidence, for the assistant director or director to decide (seed 001 l.259: the
    ART/Commissioning Team runs the protocol day to day and reports to the AED; l.253:
    the governance group, chaired by the AED, decides, the Director having the final say)."""

    class Status(models.TextChoices):
        OPEN = "open", "Awaiting a decision"
        DECIDED = "decided", "Decided"

    setting = models.ForeignKey(
        "placements.Setting", on_delete=models.CASCADE, related_name="concern_level_proposals"
    )
    level = models.CharField("proposed level", max_length=10, choices=ConcernLevel.choices)
    level_then = models.CharField(
        "level when proposed", max_length=10, choices=ConcernLevel.choices
    )
    reasons = models.TextField()
    evidence = models.TextField()
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decision = models.ForeignKey(
        ConcernLevelChange,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        help_text="The decision that answered the proposal",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        indexes = [models.Index(fields=["setting", "status"])]

    def __str__(self) -> str:
        return f"{self.setting}: {self.get_level_display()} proposed"


class GovernanceItem(models.Model):
    """A home for the next governance review (the Strategic Children's Homes Governance
    Group, seed 001 l.224-255): an improved Ofsted judgement, which does not take a home
    off the protocol by itself, or the Director's executive action between meetings, which
    "will be reported to the members of the SCHGG at the next meeting" (l.255)."""

    class Source(models.TextChoices):
        IMPROVED_JUDGEMENT = "improved_judgement", "Improved Ofsted judgement"
        EXECUTIVE_ACTION = "executive_action", "Executive action between meetings"

    class Status(models.TextChoices):
        PENDING = "pending", "For the next governance review"
        CONSIDERED = "considered", "Considered"

    setting = models.ForeignKey(
        "placements.Setting", on_delete=models.CASCADE, related_name="governance_items"
    )
    source = models.CharField(max_length=20, choices=Source.choices)
    summary = models.CharField(max_length=300)
    inspection = models.ForeignKey(
        "placements.Inspection", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    level_change = models.ForeignKey(
        ConcernLevelChange,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="The executive action to report",
    )
    raised_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    decision = models.ForeignKey(
        ConcernLevelChange,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="considered_items",
        help_text="The decision the review reached",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["raised_on", "pk"]
        indexes = [models.Index(fields=["setting", "status"])]
        constraints = [
            # One review item per judgement: the same judgement recorded twice queues once.
            models.UniqueConstraint(
                fields=["inspection", "source"],
                condition=models.Q(inspection__isnull=False),
                name="one_governance_item_per_judgement",
            )
        ]

    def __str__(self) -> str:
        return self.summary


class Concern(models.Model):
    """A concern about a provision, recorded by staff for whoever raised it (seed 000)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    setting = models.ForeignKey(
        "placements.Setting", on_delete=models.CASCADE, related_name="concerns"
    )
    child = models.ForeignKey(
        "placements.Child",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="provision_concerns",
        help_text="The child the concern is about, if any",
    )
    raised_by_name = models.CharField("who raised it", max_length=120)
    raised_by_role = models.CharField(
        "their role", max_length=120, help_text="For example: foster carer, school, health visitor"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    what = models.TextField("what the concern is")
    evidence = models.TextField(blank=True)
    raised_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    closed_reason = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_on", "-pk"]
        indexes = [models.Index(fields=["setting", "status"])]

    def __str__(self) -> str:
        return f"Concern about {self.setting} raised {self.raised_on:%d/%m/%Y}"


class LetterOfConcern(models.Model):
    """Seed 001 "Giving a Letter of Concern": to the owners, copied to the responsible
    individual, with a compliance period ending 15 working days after the day it is given
    (l.204); representations within 15 working days of its receipt (l.218). Commissioning
    and managers prepare it; the assistant director or director issue it."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ISSUED = "issued", "Issued"

    class DeliveryMethod(models.TextChoices):
        EMAIL = "email", "Email"
        POST = "post", "Post"
        RECORDED = "recorded", "Recorded or signed-for post"
        HAND = "hand", "Hand delivered"

    setting = models.ForeignKey(
        "placements.Setting", on_delete=models.CASCADE, related_name="letters_of_concern"
    )
    matters_of_concern = models.TextField(
        help_text="The matters the concerns are based on: the facts in this home, in some detail"
    )
    required_actions = models.TextField(help_text="What the owners must do to address the concerns")
    authority_action = models.TextField(
        "action the authority will take",
        help_text="What the authority is prepared to do if the owners do not take the action",
    )
    addressed_to = models.CharField(
        max_length=200, help_text="The owner of the home the letter is given to"
    )
    copy_to = models.CharField(
        max_length=200, blank=True, help_text="The responsible individual, who gets a copy"
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    given_on = models.DateField("date given", null=True, blank=True)
    compliance_ends = models.DateField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_evidence = models.TextField(
        "evidence for giving the letter",
        blank=True,
        help_text="Seed 001 l.194: the information the decision to give the letter drew on",
    )
    delivery_method = models.CharField(
        "how it was delivered", max_length=20, choices=DeliveryMethod.choices, blank=True
    )
    received_on = models.DateField("date the owners received it", null=True, blank=True)
    representations_due = models.DateField(
        "representations due by",
        null=True,
        blank=True,
        help_text="Seed 001 l.218: 15 working days of receipt of the letter",
    )
    representations = models.TextField(blank=True)
    representations_received_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "letters of concern"

    def __str__(self) -> str:
        when = f"given {self.given_on:%d/%m/%Y}" if self.given_on else "draft"
        return f"Letter of concern to {self.setting} ({when})"


class ActionPlan(models.Model):
    """Seed 001 "Children's Homes Causing Concern Action Plan" for one setting."""

    setting = models.ForeignKey(
        "placements.Setting", on_delete=models.CASCADE, related_name="action_plans"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Action plan for {self.setting}"


class PlanAction(models.Model):
    """One action of a provider action plan: lead, timescale, milestones, progress."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    action = models.TextField()
    lead = models.CharField(max_length=120, help_text="Who leads the action")
    deadline = models.DateField()
    milestones = models.TextField(blank=True)
    progress = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return f"{self.action[:60]} by {self.deadline:%d/%m/%Y}"


class IroEscalation(models.Model):
    """An IRO's escalation about a child's placement or the care the child gets (seed 000
    "IRO Escalation Process"): informal resolution first, then formal stages, each with a
    named respondent and a response deadline (an ``escalation_response`` duty)."""

    class Stage(models.TextChoices):
        # The order is the order of escalation.
        INFORMAL = "informal", "Informal resolution with the social worker and team manager"
        TEAM_MANAGER = "team_manager", "Formal stage 1: team manager"
        SERVICE_MANAGER = "service_manager", "Formal stage 2: service manager"
        ASSISTANT_DIRECTOR = "assistant_director", "Formal stage 3: assistant director"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"
        SCOPING_REQUESTED = "scoping_requested", "Scoping meeting requested"

    child = models.ForeignKey(
        "placements.Child", on_delete=models.PROTECT, related_name="iro_escalations"
    )
    placement = models.ForeignKey(
        "placements.Placement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The placement the escalation is about",
    )
    setting = models.ForeignKey(
        "placements.Setting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="iro_escalations",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="escalations_raised"
    )
    raised_on = models.DateField()
    concern = models.TextField("the concern")
    evidence = models.TextField(blank=True, help_text="What shows it, beyond the linked visits")
    evidence_visits = models.ManyToManyField(
        "visits.Visit",
        blank=True,
        related_name="iro_escalations",
        help_text="Visits and purposeful visiting forms that evidence the concern",
    )
    resolution_sought = models.TextField("the resolution sought")
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.INFORMAL)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    serious_systemic = models.BooleanField(
        "serious, systemic and significant",
        default=False,
        help_text="Seed 000: such a concern may go to a scoping meeting without exhausting "
        "the stages",
    )
    resolved_on = models.DateField(null=True, blank=True)
    resolution = models.TextField("how it was resolved", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_on", "-pk"]
        indexes = [models.Index(fields=["status", "stage"])]

    def __str__(self) -> str:
        return f"IRO escalation {self.pk} for {self.child.child_id}"


class EscalationStage(models.Model):
    """One stage of an escalation: who must respond, by when, their reply, and why the IRO
    moved it on to the next stage."""

    escalation = models.ForeignKey(IroEscalation, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(max_length=20, choices=IroEscalation.Stage.choices)
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="escalation_stages"
    )
    opened_on = models.DateField()
    due = models.DateField("response due")
    reasons = models.TextField(
        "reasons for this stage", blank=True, help_text="Why the IRO moved it to this stage"
    )
    response = models.TextField(blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["opened_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["escalation", "stage"], name="one_stage_of_each_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} of escalation {self.escalation_id}"
