from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class RiskAssessment(models.Model):
    """The risk assessment of seed 000 for one child at a setting causing concern."""

    class Trigger(models.TextChoices):
        INADEQUATE = "inadequate", "Ofsted judgement of Inadequate"
        CONCERN = "concern", "Concern about the provision"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        OPEN = "open", "To complete"
        WITH_TEAM_MANAGER = "with_team_manager", "With the team manager"
        WITH_SERVICE_MANAGER = "with_service_manager", "With the service manager"
        RETURNED = "returned", "Returned with comments"
        SIGNED_OFF = "signed_off", "Signed off"

    child = models.ForeignKey(
        "placements.Child", on_delete=models.PROTECT, related_name="risk_assessments"
    )
    setting = models.ForeignKey(
        "placements.Setting", on_delete=models.PROTECT, related_name="risk_assessments"
    )
    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    inspection = models.ForeignKey(
        "placements.Inspection", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    trigger = models.CharField(max_length=12, choices=Trigger.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="risk_assessments",
        help_text="The lead professional",
    )
    opened_on = models.DateField()
    due = models.DateField()
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.OPEN)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due", "pk"]
        constraints = [
            # A judgement recorded twice opens one risk assessment per child, not two.
            models.UniqueConstraint(
                fields=["child", "inspection"],
                condition=models.Q(inspection__isnull=False),
                name="one_risk_assessment_per_child_per_judgement",
            )
        ]

    def __str__(self) -> str:
        return f"Risk assessment for {self.child.child_id} at {self.setting}"
