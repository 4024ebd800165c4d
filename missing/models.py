"""Missing and away-from-placement episodes (timescales.md §9; SSDA903 table ``Missing``;
004_… appendix B items 11–12) and the return home interview offered after each.

A time of day is optional: a date without one is taken as the whole day (the 903 gives
dates only), so a return home interview after an episode that ended on a date with no
time is due 3 days after that date.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class EpisodeKind(models.TextChoices):
    """SSDA903 ``MISSING``."""

    MISSING = "M", "Missing"
    AWAY = "A", "Away from placement without authorisation"


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    NOT_ASSESSED = "", "Not assessed"


class WhereFound(models.TextChoices):
    NOT_KNOWN = "", "Not known"
    FAMILY = "family", "With family"
    FRIENDS = "friends", "With friends or a partner"
    NEAR_PLACEMENT = "near_placement", "Near the placement"
    PUBLIC_PLACE = "public_place", "A public place"
    POLICE = "police", "Found by or returned to the police"
    HOSPITAL = "hospital", "Hospital"
    RETURNED = "returned", "Returned by themselves"
    OTHER = "other", "Somewhere else"


class ReportedBy(models.TextChoices):
    STAFF = "staff", "Recorded by the child's worker"
    SETTING = "setting", "The setting's report, entered on its behalf"
    IMPORT = "import", "Imported from the SSDA903 return"


class MissingEpisode(models.Model):
    child = models.ForeignKey(
        "placements.Child", on_delete=models.CASCADE, related_name="missing_episodes"
    )
    placement = models.ForeignKey(
        "placements.Placement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="missing_episodes",
        help_text="The placement the child went missing from",
    )
    kind = models.CharField(max_length=1, choices=EpisodeKind.choices, help_text="SSDA903 MISSING")
    start_date = models.DateField(help_text="SSDA903 MIS_START")
    start_time = models.TimeField(null=True, blank=True)
    end_date = models.DateField(
        null=True, blank=True, help_text="SSDA903 MIS_END: blank while open"
    )
    end_time = models.TimeField(null=True, blank=True)
    where_found = models.CharField(max_length=20, choices=WhereFound.choices, blank=True)
    where_found_detail = models.CharField(max_length=200, blank=True)
    police_reference = models.CharField(max_length=40, blank=True)
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    notes = models.TextField(blank=True, max_length=4000)
    reported_by = models.CharField(
        max_length=10, choices=ReportedBy.choices, default=ReportedBy.STAFF
    )
    home_report_received_at = models.DateTimeField(
        null=True, blank=True, help_text="When the setting's report of the episode was received"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["child", "-start_date", "-start_time"]
        indexes = [
            models.Index(fields=["child", "start_date"]),
            models.Index(fields=["placement"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["child", "start_date"], name="one_missing_start_a_day"),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="missing_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.child.child_id} from {self.start_date:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None


class InterviewOutcome(models.TextChoices):
    HELD = "held", "Held"
    DECLINED = "declined", "Offered and declined by the child"
    NOT_OFFERED = "not_offered", "Not offered"


class ReturnInterview(models.Model):
    """The independent return home interview offered after an episode (004_… expects an
    interview not offered to be visible, with a manager's reason)."""

    episode = models.OneToOneField(
        MissingEpisode, on_delete=models.CASCADE, related_name="return_interview"
    )
    outcome = models.CharField(max_length=12, choices=InterviewOutcome.choices)
    held_on = models.DateField(null=True, blank=True, help_text="When it was held, or declined")
    interviewer = models.CharField(max_length=120, blank=True)
    childs_reason = models.TextField(
        blank=True, max_length=2000, help_text="Why the child declined"
    )
    manager_reason = models.TextField(
        blank=True, max_length=2000, help_text="Why it was not offered"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The manager who agreed it would not be offered",
    )
    summary = models.TextField(blank=True, max_length=4000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Return home interview: {self.get_outcome_display()}"
