"""Incidents a setting reports, their debriefs, and allegations against people who work with
children (timescales.md §9; 004_… appendix B items 10, 13 and 18; 001_… line 356).

A time of day is optional on an incident (the home's report may give only the date): without
one the incident is taken as happening at the end of its day, the latest it can have
happened, so no 24-hour duty is shown overdue that may not yet be (the same rule as a
placement's start, README "Start time of a placement"). An allegation's time of becoming known
is required: the LADO referral is due 24 hours after it (001_… line 356).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class IncidentKind(models.TextChoices):
    """The serious events of the Children's Homes (England) Regulations 2015, reg. 40
    (which 004_… appendix B item 18 audits: "Ofsted Notifications (Regulation 40)"), and the
    incidents 004_… appendix B counts (restraint, item 10; bullying, item 15; damage, item
    8; other incident reports, item 13)."""

    DEATH = "death", "Death of a child (reg. 40(1))"
    STAFF_REFERRAL = (
        "staff_referral",
        "Referral of a person working in the home to the DBS (reg. 40(3))",
    )
    SEXUAL_EXPLOITATION = (
        "sexual_exploitation",
        "Child sexual exploitation, or suspected (reg. 40(4)(a))",
    )
    POLICE = "police", "Serious incident needing the police (reg. 40(4)(b))"
    ALLEGATION_OF_ABUSE = (
        "allegation_of_abuse",
        "Allegation of abuse against the home or someone working there (reg. 40(4)(c))",
    )
    CHILD_PROTECTION = "child_protection", "Child protection enquiry (reg. 40(4)(d))"
    OTHER_SERIOUS = "other_serious", "Other serious incident relating to a child (reg. 40(4)(e))"
    RESTRAINT = "restraint", "Physical restraint (004_… appendix B, item 10)"
    SELF_HARM = "self_harm", "Self-harm"
    ASSAULT = "assault", "Assault or violence"
    BULLYING = "bullying", "Bullying (004_… appendix B, item 15)"
    DAMAGE = "damage", "Damage to property (004_… appendix B, item 8)"
    OTHER = "other", "Other (say what)"


class Incident(models.Model):
    """An incident a setting reported, entered on the setting's behalf by commissioning or a
    child's social worker or team manager."""

    setting = models.ForeignKey(
        "placements.Setting", on_delete=models.PROTECT, related_name="incidents"
    )
    kind = models.CharField(max_length=30, choices=IncidentKind.choices)
    kind_detail = models.CharField(
        max_length=200, blank=True, help_text="What kind of incident, when the kind is other"
    )
    occurred_on = models.DateField(help_text="The day it happened")
    occurred_time = models.TimeField(
        null=True, blank=True, help_text="Europe/London; blank when not known"
    )
    children = models.ManyToManyField(
        "placements.Child", blank=True, related_name="incidents", help_text="Children involved"
    )
    restraint_used = models.BooleanField(default=False)
    police_involved = models.BooleanField(default=False)
    injury = models.BooleanField(default=False, help_text="Anyone injured")
    summary = models.TextField(max_length=4000)
    report_received_at = models.DateTimeField(
        null=True, blank=True, help_text="When the home's report of the incident reached us"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[children])

    class Meta:
        ordering = ["-occurred_on", "-occurred_time", "-pk"]
        indexes = [models.Index(fields=["setting", "occurred_on"])]

    def __str__(self) -> str:
        return f"Incident {self.pk}: {self.kind_label} on {self.occurred_on:%d/%m/%Y}"

    @property
    def kind_label(self) -> str:
        if self.kind == IncidentKind.OTHER and self.kind_detail:
            return f"Other: {self.kind_detail}"
        return self.get_kind_display()


class Debrief(models.Model):
    """A debrief after an incident: the staff's (one an incident), or a child's (one for
    each child involved). 004_… appendix B items 10 and 13."""

    class Kind(models.TextChoices):
        STAFF = "staff", "Staff debrief"
        CHILD = "child", "Child's debrief"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="debriefs")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    child = models.ForeignKey(
        "placements.Child",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The child debriefed (a child's debrief)",
    )
    held_at = models.DateTimeField(help_text="When it was held")
    held_time_known = models.BooleanField(default=True)
    notes = models.TextField(blank=True, max_length=4000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["held_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident"],
                condition=models.Q(kind="staff"),
                name="one_staff_debrief_per_incident",
            ),
            models.UniqueConstraint(
                fields=["incident", "child"],
                condition=models.Q(kind="child"),
                name="one_debrief_per_child_per_incident",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="staff", child__isnull=True)
                | models.Q(kind="child", child__isnull=False),
                name="child_debrief_names_the_child",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for incident {self.incident_id}"


class SubjectRole(models.TextChoices):
    STAFF = "staff", "Member of staff"
    CARER = "carer", "Carer"
    VOLUNTEER = "volunteer", "Volunteer"


class ReferralMethod(models.TextChoices):
    PHONE = "phone", "Telephone"
    EMAIL = "email", "Email"
    FORM = "form", "The LADO referral form"
    IN_PERSON = "in_person", "In person or at a meeting"


class LadoOutcome(models.TextChoices):
    """The outcome categories for allegations against people who work with children, as
    the statutory guidance defines them (Keeping children safe in education, Part 4,
    "definitions ... when determining the outcome of allegation investigations", used by
    LADO services under Working Together to Safeguard Children)."""

    SUBSTANTIATED = "substantiated", "Substantiated: there is enough evidence to prove it"
    UNSUBSTANTIATED = (
        "unsubstantiated",
        "Unsubstantiated: not enough evidence to prove or disprove it",
    )
    UNFOUNDED = "unfounded", "Unfounded: there is no evidence or proper basis for it"
    FALSE = "false", "False: there is enough evidence to disprove it"
    MALICIOUS = "malicious", "Malicious: disproved, and a deliberate act to deceive"


class Allegation(models.Model):
    """An allegation against a member of staff, carer or volunteer: referred to the LADO
    within 24 hours of becoming known (001_… line 356), then the LADO's outcome."""

    subject_name = models.CharField("Name of the person it is about", max_length=200)
    subject_role = models.CharField(max_length=10, choices=SubjectRole.choices)
    setting = models.ForeignKey(
        "placements.Setting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allegations",
        help_text="Where they work, if a setting",
    )
    children = models.ManyToManyField("placements.Child", blank=True, related_name="allegations")
    allegation = models.TextField("What was alleged", max_length=4000)
    known_at = models.DateTimeField(help_text="When it became known")
    made_by = models.CharField(
        "Who made it known", max_length=200, help_text="The child, a parent, a colleague…"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    referred_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was referred to the LADO"
    )
    referral_method = models.CharField(max_length=10, choices=ReferralMethod.choices, blank=True)
    referral_notes = models.TextField(blank=True, max_length=2000)
    referral_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=LadoOutcome.choices, blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    outcome_notes = models.TextField(blank=True, max_length=4000)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[children])

    class Meta:
        ordering = ["-known_at", "-pk"]
        indexes = [
            models.Index(fields=["setting", "known_at"]),
            models.Index(fields=["recorded_by", "known_at"]),
        ]

    def __str__(self) -> str:
        return f"Allegation {self.pk} ({self.get_subject_role_display().lower()})"

    @property
    def outcome_word(self) -> str:
        """The outcome's category alone ("Substantiated"), or ""."""
        return self.get_outcome_display().split(":")[0] if self.outcome else ""
