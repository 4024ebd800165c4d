import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords


class VisitKind(models.TextChoices):
    """Kinds of visit; the values are the contract of import_visits' `kind` column."""

    STATUTORY = "statutory", "Statutory visit"
    PURPOSEFUL = "purposeful", "Purposeful visit"
    IRO = "iro", "IRO visit"
    COMMISSIONING = "commissioning", "Commissioning visit"
    SERVICE_MANAGER = "service_manager", "Service manager visit"


class DutyKind(models.TextChoices):
    """Every dated duty, in one table. The values are a contract (deadlines --kind)."""

    STATUTORY_VISIT = "statutory_visit", "Statutory visit"
    PURPOSEFUL_VISIT = "purposeful_visit", "Purposeful visit"
    IRO_VISIT = "iro_visit", "IRO visit"
    COMMISSIONING_VISIT = "commissioning_visit", "Commissioning visit"
    SERVICE_MANAGER_VISIT = "service_manager_visit", "Service manager visit"
    LAC_REVIEW = "lac_review", "LAC review"
    # The concern workflow (seeds 000 and 001).
    RISK_ASSESSMENT = "risk_assessment", "Risk assessment"
    SCOPING_MEETING = "scoping_meeting", "Scoping meeting"
    LETTER_OF_CONCERN = "letter_of_concern", "Letter of concern compliance period"
    ACTION_PLAN = "action_plan", "Provider action plan action"
    # IRO escalations and scoping meetings (seed 000).
    ESCALATION_RESPONSE = "escalation_response", "IRO escalation response"
    SCOPING_ACTION = "scoping_action", "Scoping meeting action"
    PLACEMENT_PLANNING = "placement_planning", "Placement planning: provision no longer used"


# Which kind of visit discharges which duty (timescales.md: only the right kind counts).
DISCHARGED_BY = {
    DutyKind.STATUTORY_VISIT: VisitKind.STATUTORY,
    DutyKind.PURPOSEFUL_VISIT: VisitKind.PURPOSEFUL,
    DutyKind.IRO_VISIT: VisitKind.IRO,
    DutyKind.COMMISSIONING_VISIT: VisitKind.COMMISSIONING,
    DutyKind.SERVICE_MANAGER_VISIT: VisitKind.SERVICE_MANAGER,
}


class LacReview(models.Model):
    """A looked-after child review held (reg. 33); SSDA903 reviews.csv."""

    child = models.ForeignKey(
        "placements.Child", on_delete=models.CASCADE, related_name="lac_reviews"
    )
    review_date = models.DateField(help_text="SSDA903 REVIEW")
    review_code = models.CharField(
        max_length=3, blank=True, help_text="SSDA903 REVIEW_CODE: how the child participated"
    )
    chaired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["child", "review_date"]
        constraints = [
            models.UniqueConstraint(fields=["child", "review_date"], name="one_review_a_day")
        ]

    def __str__(self) -> str:
        return f"LAC review of {self.child.child_id} on {self.review_date:%d/%m/%Y}"


class DocumentCheck(models.TextChoices):
    SEEN = "seen", "Seen"
    NOT_SEEN = "not_seen", "Not seen"


# The documents the Purposeful Visiting Form asks about (seed 000), in its order.
DOCUMENTS = [
    ("doc_care_plan", "Individual care plan"),
    ("doc_daily_logs", "Daily logs"),
    ("doc_incident_reports", "Incident reports"),
    ("doc_medical_logs", "Medical logs"),
    ("doc_regulatory_reports", "Regulatory reports"),
    ("doc_risk_assessment", "Risk assessment"),
    ("doc_visiting_log", "Visiting log"),
]


def _document_field(label):
    return models.CharField(label, max_length=8, choices=DocumentCheck.choices, blank=True)


class Visit(models.Model):
    """A visit to a child, recorded on the Purposeful Visiting Form (seed 000), field for field."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        FINISHED = "finished", "Finished"
        SUPERSEDED = "superseded", "Amended (earlier version)"

    class Source(models.TextChoices):
        BROWSER = "browser", "Recorded in the browser"
        IMPORT = "import", "Imported history"

    child = models.ForeignKey("placements.Child", on_delete=models.PROTECT, related_name="visits")
    placement = models.ForeignKey(
        "placements.Placement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
    )
    setting = models.ForeignKey(
        "placements.Setting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
    )
    kind = models.CharField(max_length=20, choices=VisitKind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.BROWSER)

    # Overview of visit
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits_made",
    )
    visitor_name = models.CharField("name of visiting professional", max_length=150)
    visitor_role = models.CharField("role of visiting professional", max_length=120)
    visited_at = models.DateTimeField("date and time of visit", null=True, blank=True)
    venue = models.CharField(max_length=300, blank=True)
    in_person = models.BooleanField(
        "made in person", default=True, help_text="No if the visit was virtual, where allowed"
    )
    within_timescales = models.BooleanField("visit within timescales", null=True, blank=True)
    not_within_timescales_reason = models.TextField("reason not within timescales", blank=True)
    where_seen = models.TextField(
        "where the child or young person was seen",
        blank=True,
        help_text="For example, bedroom, lounge, taken out",
    )
    seen_alone = models.BooleanField("seen alone", null=True, blank=True)
    others_present = models.TextField(
        "who else was present", blank=True, help_text="Names and job positions, if applicable"
    )
    bedroom_seen = models.BooleanField("bedroom seen", null=True, blank=True)
    communication = models.TextField(
        blank=True,
        help_text="How staff communicate with the child; their preferred method and whether "
        "it works; any concern",
    )
    # Visit record
    issues_discussed = models.TextField("issues discussed", blank=True)
    views_wishes_feelings = models.TextField(
        "the child or young person's views, wishes and feelings", blank=True
    )
    observations = models.TextField(
        "observations of the child or young person, staff and environment", blank=True
    )
    presentation = models.TextField(
        "how the child or young person presents",
        blank=True,
        help_text="Are they healthy, clean, happy?",
    )
    non_compliance = models.TextField("non-compliance or engagement issues", blank=True)
    additional_information = models.TextField(
        "additional information",
        blank=True,
        help_text="Such as activities since the last visit",
    )
    analysis = models.TextField(
        "analysis of the visit and the impact on the child's lived experience and care planning",
        blank=True,
    )
    working_well = models.TextField("what is working well", blank=True)
    worried_about = models.TextField("what are you worried about", blank=True)
    needs_to_happen = models.TextField("what needs to happen", blank=True)
    # Overview of setting or provision
    setting_overview = models.TextField(
        "overview of the setting or provision",
        blank=True,
        help_text="Rooms, environment, meals; comments by children about staff or environment; "
        "whether records are up to date; whether medication is administered appropriately",
    )
    # Reviewing of documents
    doc_care_plan = _document_field("individual care plan")
    doc_daily_logs = _document_field("daily logs")
    doc_incident_reports = _document_field("incident reports")
    doc_medical_logs = _document_field("medical logs")
    doc_regulatory_reports = _document_field("regulatory reports")
    doc_risk_assessment = _document_field("risk assessment")
    doc_visiting_log = _document_field("visiting log")
    regulatory_reports_detail = models.TextField(
        "which regulatory reports, and the quality of information", blank=True
    )
    risk_factors = models.TextField(
        "risk factors or vulnerabilities for the child, young person or the provision",
        blank=True,
        help_text="If the child's welfare is not adequately safeguarded and promoted by the "
        "placement, record the next steps",
    )
    escalate_to_line_manager = models.BooleanField("escalate to line manager", default=False)
    signature = models.CharField("visiting professional's signature", max_length=150, blank=True)
    signed_on = models.DateField("date of signature", null=True, blank=True)

    finished_at = models.DateTimeField(null=True, blank=True)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="amended_by"
    )
    amendment_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-visited_at", "-pk"]
        indexes = [
            models.Index(fields=["child", "kind", "status", "-visited_at"]),
            models.Index(fields=["placement", "kind", "status"]),
            models.Index(fields=["visitor", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="finished") | Q(visited_at__isnull=False),
                name="finished_visit_has_a_date",
            )
        ]

    def __str__(self) -> str:
        when = f"{self.visited_at:%d/%m/%Y}" if self.visited_at else "undated"
        return f"{self.get_kind_display()} to {self.child.child_id}, {when}"

    @property
    def documents(self) -> list[tuple[str, str]]:
        return [(label, getattr(self, name)) for name, label in DOCUMENTS]


class Duty(models.Model):
    """One dated duty: who owes what, for whom, by when. Kept by the services that change its
    inputs and recomputed nightly; the worktray, the overdue sweep and the exports read it."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "No longer due"

    kind = models.CharField(max_length=40, choices=DutyKind.choices)
    # What the duty is about, stable across recomputes: "placement:12", "child:7", "setting:4".
    subject = models.CharField(max_length=60)
    child = models.ForeignKey(
        "placements.Child", on_delete=models.CASCADE, null=True, blank=True, related_name="duties"
    )
    setting = models.ForeignKey(
        "placements.Setting",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="duties",
    )
    placement = models.ForeignKey(
        "placements.Placement",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="duties",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duties",
    )
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="duties"
    )
    due = models.DateField()
    due_at = models.DateTimeField(null=True, blank=True, help_text="For 24-hour duties")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(null=True, blank=True)
    done_by_visit = models.ForeignKey(
        Visit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    basis = models.CharField(max_length=300, blank=True, help_text="Why it is due then")
    source = models.CharField(max_length=120, blank=True, help_text="The rule it comes from")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "duties"
        ordering = ["due", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject"], condition=Q(status="open"), name="one_open_duty"
            )
        ]
        indexes = [
            models.Index(fields=["status", "due"]),
            models.Index(fields=["owner", "status", "due"]),
            models.Index(fields=["team", "status", "due"]),
            models.Index(fields=["child", "status"]),
            models.Index(fields=["kind", "status", "due"]),
            # The deadlines page: open duties and those done on the date, in due-date
            # then kind order, a page at a time (an OR on status, so not the above).
            models.Index(fields=["due", "kind"], name="visits_duty_due_kind_idx"),
            # Visits on time this quarter (visits.worktray.timeliness): duties done in a
            # date range, per team.
            models.Index(fields=["team", "done_on"], name="visits_duty_team_done_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} due {self.due:%d/%m/%Y} ({self.subject})"

    @property
    def link(self) -> str:
        """The page where the duty is done, from its subject ("risk_assessment:12"), or ""."""
        return duty_link(self.subject)


#: What a list of duties shows (the worktray's tables, its CSV, the deadlines page): the
#: rows load these columns and no others (every column of six tables, the owner's password
#: hash included, was most of each row's cost).
DUTY_ROW_FIELDS = (
    *("kind", "subject", "due", "due_at", "status", "done_on", "basis"),
    *("child", "child__child_id", "child__first_name", "child__last_name"),
    *("setting", "setting__name", "setting__urn", "placement", "placement__urn"),
    *("owner", "owner__first_name", "owner__last_name", "owner__username"),
    *("team", "team__name"),
)


#: Subject pattern -> URL name taking ``pk`` (the pattern's group): the page where a duty of
#: that subject is done. The first pattern that matches the whole subject wins.
DUTY_LINKS = (
    (re.compile(r"risk_assessment:(\d+)"), "scoping:risk_assessment"),
    (re.compile(r"escalation_stage:(\d+)"), "escalations:escalation_stage"),
    # The assistant director's decision, and the LADO service's convening after approval.
    (re.compile(r"scoping_request:(\d+)(?::convene)?"), "scoping:request"),
    # Route 1 (escalations.downgrade): the LADO service convenes a meeting about the setting.
    (re.compile(r"setting:(\d+):scoping"), "scoping:meeting_convene"),
    (re.compile(r"scoping_action:(\d+)"), "scoping:action"),
    # The review date of a meeting: its page offers to convene the review meeting.
    (re.compile(r"meeting:(\d+):review"), "scoping:meeting"),
)


def duty_link(subject: str) -> str:
    for pattern, name in DUTY_LINKS:
        if found := pattern.fullmatch(subject):
            return reverse(name, kwargs={"pk": int(found.group(1))})
    return ""


class AlertLevel(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"
    OVERDUE_5 = "overdue_5", "Overdue by 5 working days"
    ESCALATED = "escalated", "Escalated from a visit"


class Alert(models.Model):
    """One alert per (duty, level): the key that makes the sweep safe to run twice."""

    duty = models.ForeignKey(
        Duty, on_delete=models.CASCADE, null=True, blank=True, related_name="alerts"
    )
    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, null=True, blank=True, related_name="alerts"
    )
    level = models.CharField(max_length=12, choices=AlertLevel.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["duty", "level"], name="one_alert_per_duty_level"),
            models.UniqueConstraint(fields=["visit", "level"], name="one_alert_per_visit_level"),
            models.CheckConstraint(
                condition=Q(duty__isnull=False) | Q(visit__isnull=False), name="alert_has_subject"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.duty or self.visit}"


class Notification(models.Model):
    """An in-app notification, and the email that carries it (sent once, retried on failure)."""

    class Email(models.TextChoices):
        PENDING = "pending", "To send"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        NONE = "none", "No email address"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    alert = models.ForeignKey(
        Alert, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    # Notifications that don't come from a visit duty (later workflows) key themselves here.
    key = models.CharField(max_length=120, blank=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(max_length=10, choices=Email.choices, default=Email.PENDING)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_last_error = models.TextField(blank=True)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "user"], name="one_notification_per_alert_user"
            ),
            models.UniqueConstraint(
                fields=["key", "user"], condition=~Q(key=""), name="one_notification_per_key_user"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["email_status", "email_claimed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.user}"

    @classmethod
    def send(cls, user, *, key: str, subject: str, body: str, url: str) -> None:
        """Tell an active member of staff, in the app and by email where they have an
        address: once per (key, user), so recording the same step again adds none."""
        if user is None or not user.is_active:
            return
        cls.objects.get_or_create(
            user=user,
            key=key[:120],
            defaults={
                "subject": subject[:200],
                "body": body,
                "url": url,
                "email_status": cls.Email.PENDING if user.email else cls.Email.NONE,
            },
        )


# --- Rules as data, and the child's own schedule (the schedule engine's inputs) ---------------
from visits.rules import OVERRIDABLE_KINDS  # noqa: E402  (kept beside the models that use it)


class RuleValue(models.Model):
    """One interval of the schedule engine (a visits.rules.RuleSet field), or another app's
    timescale (``RuleValue.current``), as the authority sets it. Seeded with the defaults of
    timescales.md; an administrator edits the value."""

    name = models.CharField(max_length=80, unique=True, help_text="The RuleSet field it sets")
    value = models.PositiveIntegerField()
    help_text = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True, help_text="The line of guidance")
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name} = {self.value}"

    @classmethod
    def current(cls, name: str, *, default: int, help_text: str, source: str) -> int:
        """The value of another app's timescale, created with its default, help text and
        source the first time it is read (or if an administrator deleted it)."""
        row, _ = cls.objects.get_or_create(
            name=name, defaults={"value": default, "help_text": help_text, "source": source}
        )
        return row.value


class ScheduleOverride(models.Model):
    """A child's own visiting schedule, agreed at a LAC review (timescales.md Conventions):
    it wins over the default, and records who agreed it and when."""

    child = models.ForeignKey(
        "placements.Child", on_delete=models.CASCADE, related_name="schedule_overrides"
    )
    duty_kind = models.CharField(
        max_length=40, choices=[(kind, DutyKind(kind).label) for kind in OVERRIDABLE_KINDS]
    )
    interval_days = models.PositiveIntegerField(null=True, blank=True)
    interval_months = models.PositiveIntegerField(null=True, blank=True)
    agreed_by_name = models.CharField("agreed by", max_length=150)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="agreed by (user)",
    )
    agreed_on = models.DateField(help_text="The date of the LAC review that agreed it")
    review = models.ForeignKey(
        LacReview,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="schedule_overrides",
    )
    reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["child", "duty_kind", "agreed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(interval_days__isnull=False, interval_months__isnull=True)
                    | Q(interval_days__isnull=True, interval_months__isnull=False)
                ),
                name="override_has_exactly_one_interval",
                violation_error_message="Give the interval in days or in months, not both.",
            ),
            models.CheckConstraint(
                condition=(Q(interval_days__isnull=True) | Q(interval_days__gte=1))
                & (Q(interval_months__isnull=True) | Q(interval_months__gte=1)),
                name="override_interval_at_least_one",
                violation_error_message="The interval must be at least 1.",
            ),
        ]
        indexes = [models.Index(fields=["child", "duty_kind", "agreed_on"])]

    def __str__(self) -> str:
        if self.interval_days is not None:
            every = f"every {self.interval_days} days"
        else:
            every = f"every {self.interval_months} months"
        return f"{self.get_duty_kind_display()} {every}, agreed {self.agreed_on:%d/%m/%Y}"
