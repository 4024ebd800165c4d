"""The forms of a child's LAC reviews: booking the next review, the report sent, and the
IRO's record of a review held with its decisions and recommendations (GOV.UK components).
What the answers contradict is checked by the services and shown beside the fields."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms

from accounts.models import Role, User
from core.fields import DateInputField
from core.forms import form_helper
from placements.codes import REVIEW_CODE

DATE_HELP = "For example, 27 3 2026"

#: The DfE guidance's short name of each REVIEW_CODE, shown as the radio's hint.
REVIEW_CODE_HINTS = {
    "PN1": "Attendance",
    "PN2": "Attendance, views represented by an advocate or the IRO",
    "PN3": "Attendance, symbols",
    "PN4": "Attendance without contribution",
    "PN5": "Views represented by an advocate or the IRO through texting, written format, "
    "phone, audio or video, viewpoint",
    "PN6": "Texting the chair, written format, phone, audio or video, viewpoint",
}


def _code_choice(code: str, words: str) -> Choice:
    hint = REVIEW_CODE_HINTS.get(code)
    return Choice(code, f"{code}: {words}", **({"hint": hint} if hint else {}))


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.job_title or obj.role_label})"


class BookReviewForm(forms.Form):
    review_date = DateInputField(
        label="Date the next LAC review is booked for", help_text=DATE_HELP
    )
    place = forms.CharField(
        label="Where the review is held",
        max_length=200,
        help_text="The address or room, or how to join online",
        error_messages={"required": "Enter where the review is held"},
    )
    invitees = forms.CharField(
        label="Who is invited (optional)",
        required=False,
        max_length=5000,
        help_text="One a line: name and role, for example Jo Smith, foster carer",
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review_date"].error_messages["required"] = (
            "Enter the date the review is booked for"
        )
        self.helper = form_helper(
            Field("review_date"),
            Field.text("place"),
            Field.textarea("invitees", rows=5),
            submit="Book the review",
        )


class ReportSentForm(forms.Form):
    sent_on = DateInputField(label="Date the report was sent to the IRO", help_text=DATE_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field("sent_on"), submit="Record the report as sent")


def _iros():
    return User.objects.filter(is_active=True, role=Role.IRO).order_by(
        "first_name", "last_name", "pk"
    )


class ReviewEditForm(forms.Form):
    """The IRO's record of a review held (its date is the review's)."""

    place = forms.CharField(label="Where it was held (optional)", max_length=200, required=False)
    participants = forms.CharField(
        label="Who took part",
        max_length=5000,
        help_text="Names and roles, one a line, including those who sent their views",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Say who took part in the review"},
    )
    review_code = forms.ChoiceField(
        label="How did the child participate?",
        help_text="The SSDA903 participation code (REVIEW_CODE)",
        choices=[_code_choice(code, words) for code, words in REVIEW_CODE.items()],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how the child participated",
            "invalid_choice": "Choose how the child participated",
        },
    )
    participation = forms.CharField(
        label="How the child took part, in your words (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    chaired_by = StaffChoiceField(
        label="Chaired by",
        queryset=User.objects.none(),
        error_messages={
            "required": "Choose who chaired the review",
            "invalid_choice": "Choose who chaired the review",
        },
    )

    submit = "Save the record"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chaired_by"].queryset = _iros()
        self.helper = form_helper(*self.layout(), submit=self.submit)

    def layout(self) -> list:
        return [
            Field.text("place"),
            Field.textarea("participants", rows=5),
            Field.radios("review_code", legend_size=Size.SMALL),
            Field.textarea("participation", rows=4),
            Field.select("chaired_by"),
        ]

    @staticmethod
    def initial_for(review) -> dict:
        return {
            "place": review.place,
            "participants": review.participants,
            "review_code": review.review_code,
            "participation": review.participation,
            "chaired_by": review.chaired_by_id,
        }


class ReviewRecordForm(ReviewEditForm):
    """The IRO records that the child's next review was held."""

    held_on = DateInputField(label="Date the review was held", help_text=DATE_HELP)
    early_reason = forms.CharField(
        label="If it was held before the date it was booked for, why? (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    submit = "Record the review"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].error_messages["required"] = "Enter the date the review was held"

    def layout(self) -> list:
        return [
            Fieldset(
                Field("held_on"),
                Field.textarea("early_reason", rows=3),
                legend="When it was held",
                legend_size=Size.MEDIUM,
                legend_tag="h2",
            ),
            Fieldset(
                *super().layout(),
                legend="Who took part",
                legend_size=Size.MEDIUM,
                legend_tag="h2",
            ),
        ]


class RecommendationForm(forms.Form):
    text = forms.CharField(
        label="Decision or recommendation",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what was decided or recommended"},
    )
    owner = StaffChoiceField(
        label="Owner",
        help_text="Who carries it out: only staff who may open the child's record",
        queryset=User.objects.none(),
        error_messages={
            "required": "Choose who owns the recommendation",
            "invalid_choice": "Choose who owns the recommendation",
        },
    )
    due = DateInputField(label="Due by", help_text=DATE_HELP)

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Any active member of staff is accepted here; the service refuses, beside the
        # field, one who may not open the child's record. The list offers only those who may.
        self.fields["owner"].queryset = User.objects.filter(is_active=True)
        self.fields["owner"].choices = [("", "Choose the owner")] + [
            (user.pk, self.fields["owner"].label_from_instance(user)) for user in owners
        ]
        self.fields["due"].error_messages["required"] = "Enter the date it is due by"
        self.helper = form_helper(
            Field.textarea("text", rows=4),
            Field.select("owner"),
            Field("due"),
            submit="Add",
        )


class RecommendationDoneForm(forms.Form):
    note = forms.CharField(
        label="What was done",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what was done"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.textarea("note", rows=4), submit="Mark as done")


class RecommendationWithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why is the recommendation withdrawn?",
        help_text="It stays on the review's record, marked withdrawn, with this reason",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why the recommendation is withdrawn"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.textarea("reason", rows=4), submit="Withdraw the recommendation"
        )
