"""LAC reviews: the looked-after child's statutory reviews, chaired by the IRO.

The table keeps the name it had when reviews lived with visits (``visits_lacreview``):
moving the model moved no row (reviews migration 0001).
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


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
    history = HistoricalRecords(table_name="visits_historicallacreview")

    class Meta:
        db_table = "visits_lacreview"
        ordering = ["child", "review_date"]
        constraints = [
            models.UniqueConstraint(fields=["child", "review_date"], name="one_review_a_day")
        ]

    def __str__(self) -> str:
        return f"LAC review of {self.child.child_id} on {self.review_date:%d/%m/%Y}"
