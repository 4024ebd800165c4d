"""Every dated duty in one table, the alerts and notifications that chase it, and the
timescales an administrator sets.

The tables keep the names they had before the engine had an app of its own
(``visits_duty``, ``visits_alert``, ``visits_notification``, ``visits_rulevalue``):
moving the models moved no row (duties migration 0001).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from . import registry


class Duty(models.Model):
    """One dated duty: who owes what, for whom, by when. Kept by the services that change its
    inputs (and, for the kinds a workflow recomputes, recomputed nightly); the worktray, the
    overdue sweep and the exports read it. ``kind`` is a registered ``registry.DutyType``."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "No longer due"

    kind = models.CharField(max_length=40)
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
    done_by = models.CharField(
        max_length=60,
        blank=True,
        help_text='The record that discharged it, as a subject ("visit:12"), when one did',
    )
    basis = models.CharField(max_length=300, blank=True, help_text="Why it is due then")
    source = models.CharField(max_length=120, blank=True, help_text="The rule it comes from")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "visits_duty"
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
            # Visits on time this quarter (duties.timeliness): duties done in a date
            # range, per team.
            models.Index(fields=["team", "done_on"], name="visits_duty_team_done_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind_label} due {self.due:%d/%m/%Y} ({self.subject})"

    @property
    def kind_label(self) -> str:
        return registry.label(self.kind)

    @property
    def link(self) -> str:
        """The page where the duty is done, from its subject ("risk_assessment:12"), or ""."""
        return registry.link(self.subject)

    @property
    def done_by_link(self) -> str:
        """The page of the record that discharged it (a visit), or ""."""
        return registry.link(self.done_by)


#: What a list of duties shows (the worktray's tables, its CSV, the deadlines page): the
#: rows load these columns and no others (every column of six tables, the owner's password
#: hash included, was most of each row's cost).
DUTY_ROW_FIELDS = (
    *("kind", "subject", "due", "due_at", "status", "done_on", "basis"),
    *("child", "child__child_id", "child__first_name", "child__last_name"),
    # The missing flag beside the child's name (issue 17: placements.Child.missing_since).
    "child__missing_since",
    *("setting", "setting__name", "setting__urn", "placement", "placement__urn"),
    *("owner", "owner__first_name", "owner__last_name", "owner__username"),
    *("team", "team__name"),
)


class AlertLevel(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"
    OVERDUE_5 = "overdue_5", "Overdue by 5 working days"
    ESCALATED = "escalated", "Escalated from a visit"


class Alert(models.Model):
    """One alert per (duty, level, due date), or per (subject, level) for a record that is
    not a duty (a visit escalated to a line manager: "visit:12"): the key that makes the
    sweep, and anything else that alerts, safe to run twice.

    The due date is part of a duty's key: when the duty's due date moves (a rule, a
    booking, a reallocation moved it) a new alert cycle starts, each level once for the new
    date; moving back to a date that has already alerted sends nothing again."""

    duty = models.ForeignKey(
        Duty, on_delete=models.CASCADE, null=True, blank=True, related_name="alerts"
    )
    subject = models.CharField(max_length=60, blank=True)
    level = models.CharField(max_length=12, choices=AlertLevel.choices)
    due = models.DateField(
        null=True,
        blank=True,
        help_text="The duty's due date the alert was for (a new due date alerts again)",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "visits_alert"
        constraints = [
            models.UniqueConstraint(
                fields=["duty", "level", "due"], name="one_alert_per_duty_level_due"
            ),
            models.CheckConstraint(
                condition=Q(duty__isnull=True) | Q(due__isnull=False), name="duty_alert_has_due"
            ),
            models.UniqueConstraint(
                fields=["subject", "level"],
                condition=~Q(subject=""),
                name="one_alert_per_subject_level",
            ),
            models.CheckConstraint(
                condition=Q(duty__isnull=False) | ~Q(subject=""), name="alert_has_subject"
            ),
        ]

    def __str__(self) -> str:
        if self.duty_id is not None and self.due is not None:
            return f"{self.get_level_display()}: {self.duty} (for due date {self.due:%d/%m/%Y})"
        return f"{self.get_level_display()}: {self.duty or self.subject}"


class Notification(models.Model):
    """An in-app notification, and the email that carries it: sent at most once (retried
    when the mail server refused it; never re-sent by itself once it was handed over)."""

    class Email(models.TextChoices):
        PENDING = "pending", "To send"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        # The worker died while the email was with the mail server: it may have arrived.
        INTERRUPTED = "interrupted", "Interrupted: may have been delivered"
        NONE = "none", "No email address"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    alert = models.ForeignKey(
        Alert, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    # Notifications that don't come from the sweep's alerts key themselves here.
    key = models.CharField(max_length=120, blank=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(max_length=12, choices=Email.choices, default=Email.PENDING)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_last_error = models.TextField(blank=True)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "visits_notification"
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
    def email_status_for(cls, user) -> str:
        """Pending (the sweep sends it), or none when the person has no email address."""
        return cls.Email.PENDING if user.email else cls.Email.NONE


class RuleValue(models.Model):
    """One timescale, as the authority sets it: a field of a registered ``Timescales`` (the
    visit schedule, LAC reviews, alerts) or another app's single figure
    (``duties.timescales.value``). Seeded with the guidance's figures; an administrator
    edits the value."""

    name = models.CharField(max_length=80, unique=True, help_text="The rule it sets")
    value = models.PositiveIntegerField()
    help_text = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True, help_text="The line of guidance")
    history = HistoricalRecords(table_name="visits_historicalrulevalue")

    class Meta:
        db_table = "visits_rulevalue"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name} = {self.value}"
