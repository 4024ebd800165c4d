from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from . import rules


class VisitKind(models.TextChoices):
    """Kinds of visit; the values are the contract of import_visits' `kind` column."""

    STATUTORY = "statutory", "Statutory visit"
    PURPOSEFUL = "purposeful", "Purposeful visit"
    IRO = "iro", "IRO visit"
    COMMISSIONING = "commissioning", "Commissioning visit"
    SERVICE_MANAGER = "service_manager", "Service manager visit"


# Which kind of visit discharges which duty (timescales.md: only the right kind counts).
DISCHARGED_BY = dict(rules.DISCHARGED_BY)


#: The duty kinds a child's own schedule may be agreed for, as the admin lists them.
OVERRIDABLE_LABELS = {
    rules.STATUTORY_VISIT: "Statutory visit",
    rules.PURPOSEFUL_VISIT: "Purposeful visit",
    rules.IRO_VISIT: "IRO visit",
}


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


#: The answers of the Purposeful Visiting Form (seed 000), in its order: what a draft
#: saves, an amendment copies and the web form starts from (the one list of them).
FORM_FIELDS = (
    "visitor_role",
    "visited_at",
    "venue",
    "in_person",
    "within_timescales",
    "not_within_timescales_reason",
    "where_seen",
    "seen_alone",
    "not_seen_alone_reason",
    "others_present",
    "bedroom_seen",
    "communication",
    "issues_discussed",
    "views_wishes_feelings",
    "observations",
    "presentation",
    "non_compliance",
    "additional_information",
    "analysis",
    "working_well",
    "worried_about",
    "needs_to_happen",
    "setting_overview",
    *(name for name, _label in DOCUMENTS),
    "regulatory_reports_detail",
    "risk_factors",
    "escalate_to_line_manager",
    "signature",
    "signed_on",
)
#: Of those, the questions answered yes or no (stored as booleans).
YES_NO_FIELDS = frozenset(
    {"in_person", "within_timescales", "seen_alone", "bedroom_seen", "escalate_to_line_manager"}
)


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
    not_seen_alone_reason = models.TextField(
        "why the child was not seen alone",
        blank=True,
        help_text="Needed on a statutory visit when the child was not seen alone (003 10.10)",
    )
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


class ScheduleOverride(models.Model):
    """A child's own visiting schedule, agreed at a LAC review (timescales.md Conventions):
    it wins over the default, and records who agreed it and when."""

    child = models.ForeignKey(
        "placements.Child", on_delete=models.CASCADE, related_name="schedule_overrides"
    )
    duty_kind = models.CharField(
        max_length=40,
        choices=[(kind, OVERRIDABLE_LABELS[kind]) for kind in rules.OVERRIDABLE_KINDS],
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
        "reviews.LacReview",
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


class PvfReview(models.Model):
    """The IRO's review of a Purposeful Visiting Form completed by the social worker.

    000_… Kent placement guidance, line 137 (the IRO's actions in "Visiting timescales for
    ALL regulated placements"): "Review first Purposeful Visiting Form completed by SW";
    lines 294-297: "The IRO will review the Purposeful Visiting Forms completed by the
    Social Worker/Personal Advisor and consider whether: the appropriate actions have been
    completed to ensure the child/young person is safe and their needs are being met; an
    early LAC Review is required; a formal IRO Escalation is required". One review a
    version of a form; changing it keeps the earlier answers in its history."""

    visit = models.OneToOneField(Visit, on_delete=models.PROTECT, related_name="iro_review")
    satisfactory = models.BooleanField(
        "the visit and the child's plan are satisfactory",
        help_text="The appropriate actions have been completed to ensure the child is safe "
        "and their needs are being met",
    )
    early_review_needed = models.BooleanField("an early LAC review is required")
    escalation_needed = models.BooleanField("a formal IRO escalation is required")
    comments = models.TextField("the IRO's comments")
    action = models.TextField("action needed, by whom and by when", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_on = models.DateField("date of the review")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "IRO review of a Purposeful Visiting Form"
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"IRO review of visit {self.visit_id}, {self.reviewed_on:%d/%m/%Y}"
