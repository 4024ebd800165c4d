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


class ReviewCycle(models.Model):
    """What is recorded about one review cycle of a child: the time from the review before
    (or, for the initial review of a period of care, from the child becoming looked after)
    to the next review. ``cycle_start`` names the cycle: a review held, or the child
    leaving and coming back into care, starts another."""

    child = models.ForeignKey("placements.Child", on_delete=models.CASCADE, related_name="+")
    cycle_start = models.DateField(
        help_text="The previous review's date; for an initial review, the date the child "
        "became looked after"
    )

    class Meta:
        abstract = True


class BookedReview(ReviewCycle):
    """The date the next LAC review is booked for. The social worker's report to the IRO is
    counted back from it (003_… 10.22, line 960) where one is recorded, else from the
    review's due date. Booked again: the same row moves, its history keeps the dates."""

    review_date = models.DateField("booked date")
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["child", "cycle_start"]
        constraints = [
            models.UniqueConstraint(fields=["child", "cycle_start"], name="one_booking_a_cycle")
        ]

    def __str__(self) -> str:
        return f"LAC review of {self.child.child_id} booked for {self.review_date:%d/%m/%Y}"


class ReviewReport(ReviewCycle):
    """The social worker's report for a LAC review, recorded as sent to the IRO (003_…
    10.22, line 960): it closes the cycle's ``review_report`` duty."""

    review_date = models.DateField(help_text="The review it was for (booked, or due)")
    sent_on = models.DateField("sent to the IRO on")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["child", "cycle_start"]
        constraints = [
            models.UniqueConstraint(fields=["child", "cycle_start"], name="one_report_a_cycle")
        ]

    def __str__(self) -> str:
        return f"Review report for {self.child.child_id}, sent {self.sent_on:%d/%m/%Y}"
