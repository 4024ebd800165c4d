"""The forms of a child's LAC reviews: the next review's booked date, the report sent."""

from crispy_forms_gds.layout import Field
from django import forms

from core.fields import DateInputField
from core.forms import form_helper


class BookReviewForm(forms.Form):
    review_date = DateInputField(
        label="Date the next LAC review is booked for", help_text="For example, 27 3 2026"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field("review_date"), submit="Book the review")


class ReportSentForm(forms.Form):
    sent_on = DateInputField(
        label="Date the report was sent to the IRO", help_text="For example, 27 3 2026"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field("sent_on"), submit="Record the report as sent")
