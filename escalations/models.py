from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from placements.models import ConcernLevel


class ConcernLevelChange(models.Model):
    """Every change of a setting's concern level, with who set it, when and why."""

    class Source(models.TextChoices):
        MANUAL = "manual", "Set by a manager"
        INADEQUATE = "inadequate", "Ofsted judgement of Inadequate"
        REQUIRES_IMPROVEMENT = "requires_improvement", "Ofsted judgement of Requires improvement"
        IMPROVED = "improved", "Ofsted judgement of Good or better"

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
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
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
