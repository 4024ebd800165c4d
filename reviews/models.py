"""LAC reviews: the looked-after child's statutory reviews, chaired by the IRO.

The table keeps the name it had when reviews lived with visits (``visits_lacreview``):
moving the model moved no row (reviews migration 0001).
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from placements.codes import REVIEW_CODE


class LacReview(models.Model):
    """A looked-after child review held (reg. 33); SSDA903 reviews.csv."""

    child = models.ForeignKey(
        "placements.Child", on_delete=models.CASCADE, related_name="lac_reviews"
    )
    review_date = models.DateField(help_text="SSDA903 REVIEW")
    review_code = models.CharField(
        max_length=3,
        blank=True,
        choices=list(REVIEW_CODE.items()),
        help_text="SSDA903 REVIEW_CODE: how the child participated",
    )
    chaired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The IRO's record of the review (reviews.records). Empty on a review imported from the
    # 903 until the IRO completes it: the import keeps only the date and REVIEW_CODE.
    booked_for = models.DateField(
        null=True, blank=True, help_text="The date the review was booked for, when it was held"
    )
    early_reason = models.TextField(
        "why it was held before the booked date", blank=True, default=""
    )
    place = models.CharField("where it was held", max_length=200, blank=True, default="")
    participants = models.TextField("who took part", blank=True, default="")
    participation = models.TextField(
        "how the child took part", blank=True, default="", help_text="In the IRO's words"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(table_name="visits_historicallacreview")

    class Meta:
        db_table = "visits_lacreview"
        ordering = ["child", "review_date"]
        constraints = [
            models.UniqueConstraint(fields=["child", "review_date"], name="one_review_a_day")
        ]

    def __str__(self) -> str:
        return f"LAC review of {self.child.child_id} on {self.review_date:%d/%m/%Y}"

    @property
    def is_recorded(self) -> bool:
        """Whether the IRO has recorded the review in the app (an imported one has not)."""
        return self.recorded_at is not None


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
    place = models.CharField("where", max_length=200, blank=True, default="")
    invitees = models.TextField(
        "who is invited", blank=True, default="", help_text="One a line: name and role"
    )
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

    @property
    def invitee_lines(self) -> list[str]:
        return [line.strip() for line in self.invitees.splitlines() if line.strip()]


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


class ReviewRecommendation(models.Model):
    """A decision or recommendation of a LAC review, with its owner and due date; while it
    is open it is the owner's ``review_recommendation`` duty (subject
    ``review_recommendation:<pk>``). The owner marks it done with a note, or the IRO
    withdraws it with the reason; its history keeps each step."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        WITHDRAWN = "withdrawn", "Withdrawn"

    review = models.ForeignKey(LacReview, on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField("decision or recommendation")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_recommendations"
    )
    due = models.DateField("due by")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(null=True, blank=True)
    done_note = models.TextField("what was done", blank=True, default="")
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawn_reason = models.TextField("why it is withdrawn", blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "due", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="withdrawn") | ~models.Q(withdrawn_reason=""),
                name="a_withdrawn_recommendation_has_a_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="done") | ~models.Q(done_note=""),
                name="a_done_recommendation_has_a_note",
            ),
        ]

    def __str__(self) -> str:
        return f"Recommendation {self.pk} of the {self.review}"

    @property
    def subject(self) -> str:
        return f"review_recommendation:{self.pk}"
