from django.conf import settings
from django.db import models
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
