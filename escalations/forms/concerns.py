from crispy_forms_gds.layout import Field, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.fields import DateInputField
from core.forms import form_helper
from placements.models import Child, ConcernLevel

from ..models import ConcernLevelChange, LetterOfConcern, PlanAction


def _not_future(value):
    if value and value > timezone.localdate():
        raise ValidationError("The date must be today or in the past.")
    return value


class ChildChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, child: Child) -> str:
        return f"{child.name} ({child.child_id})"


class ConcernForm(forms.Form):
    child = ChildChoiceField(
        queryset=Child.objects.none(),
        required=False,
        empty_label="No one child: a concern about the setting",
        help_text="Only children placed here whose records you can see are listed.",
    )
    raised_by_name = forms.CharField(label="Who raised the concern", max_length=120)
    raised_by_role = forms.CharField(
        label="Their role",
        max_length=120,
        help_text="For example: foster carer, school, health visitor, the child",
    )
    raised_on = DateInputField(label="Date the concern was raised")
    what = forms.CharField(label="What is the concern", widget=forms.Textarea)
    evidence = forms.CharField(
        label="Evidence", widget=forms.Textarea, required=False, help_text="What supports it"
    )

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = children
        self.helper = form_helper(
            Field.select("child"),
            Field.text("raised_by_name"),
            Field.text("raised_by_role"),
            Field("raised_on"),
            Field.textarea("what"),
            Field.textarea("evidence"),
            submit="Record concern",
        )

    def clean_raised_on(self):
        return _not_future(self.cleaned_data["raised_on"])


class ConcernCloseForm(forms.Form):
    closed_reason = forms.CharField(label="Why is the concern closed", widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.textarea("closed_reason"), submit="Close concern")


class ConcernLevelProposalForm(forms.Form):
    """A manager's or commissioning's proposal: the level, why, and on what evidence."""

    level = forms.ChoiceField(
        label="Concern level you propose", choices=ConcernLevel.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(
        label="Reasons",
        widget=forms.Textarea,
        error_messages={"required": "Give the reasons for the level you propose."},
    )
    evidence = forms.CharField(
        label="Evidence",
        widget=forms.Textarea,
        help_text="Visits, reports, notifications and concerns the proposal rests on",
        error_messages={"required": "Give the evidence for the level you propose."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("level", legend_size=Size.SMALL),
            Field.textarea("reasons"),
            Field.textarea("evidence"),
            submit="Propose concern level",
        )


class ConcernLevelForm(forms.Form):
    """The assistant director's or director's decision (seed 001 l.253-255)."""

    level = forms.ChoiceField(
        label="Concern level", choices=ConcernLevel.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea,
        error_messages={"required": "Give the reason for the concern level."},
    )
    evidence = forms.CharField(
        label="Evidence",
        widget=forms.Textarea,
        help_text="The evidence the decision rests on",
        error_messages={"required": "Give the evidence the decision rests on."},
    )
    how_decided = forms.ChoiceField(
        label="How was it decided",
        choices=ConcernLevelChange.HowDecided.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say whether the governance group decided or it was executive action "
            "between meetings."
        },
    )
    meeting_date = DateInputField(
        label="Date of the governance group meeting",
        required=False,
        help_text="If the governance group decided",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("level", legend_size=Size.SMALL),
            Field.textarea("reason"),
            Field.textarea("evidence"),
            Field.radios("how_decided", legend_size=Size.SMALL),
            Field("meeting_date"),
            submit="Record the decision",
        )

    def clean_meeting_date(self):
        return _not_future(self.cleaned_data["meeting_date"])


class LetterForm(forms.ModelForm):
    class Meta:
        model = LetterOfConcern
        fields = [
            "addressed_to",
            "copy_to",
            "matters_of_concern",
            "required_actions",
            "authority_action",
        ]
        labels = {
            "addressed_to": "Owner the letter is given to",
            "copy_to": "Responsible individual (copy)",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("addressed_to"),
            Field.text("copy_to"),
            Field.textarea("matters_of_concern"),
            Field.textarea("required_actions"),
            Field.textarea("authority_action"),
            submit="Save draft",
        )


class LetterIssueForm(forms.Form):
    given_on = DateInputField(label="Date the letter is given")
    evidence = forms.CharField(
        label="Evidence for giving the letter",
        widget=forms.Textarea,
        help_text="The information the decision drew on (Knowsley protocol: a suitable range "
        "of quantitative and qualitative information)",
        error_messages={"required": "Give the evidence the decision to give the letter rests on."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field("given_on"), Field.textarea("evidence"), submit="Issue letter"
        )


class LetterDeliveryForm(forms.Form):
    delivery_method = forms.ChoiceField(
        label="How was the letter delivered",
        choices=LetterOfConcern.DeliveryMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the letter was delivered."},
    )
    received_on = DateInputField(
        label="Date the owners received the letter",
        help_text="The representation period runs from this day",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("delivery_method", legend_size=Size.SMALL),
            Field("received_on"),
            submit="Record delivery",
        )

    def clean_received_on(self):
        return _not_future(self.cleaned_data["received_on"])


class RepresentationsForm(forms.Form):
    representations = forms.CharField(
        label="Representations made by the owners", widget=forms.Textarea
    )
    representations_received_on = DateInputField(label="Date the representations were received")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.textarea("representations"),
            Field("representations_received_on"),
            submit="Record representations",
        )

    def clean_representations_received_on(self):
        return _not_future(self.cleaned_data["representations_received_on"])


class PlanActionForm(forms.ModelForm):
    deadline = DateInputField(label="Deadline")

    class Meta:
        model = PlanAction
        fields = ["action", "lead", "deadline", "milestones", "progress"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.textarea("action"),
            Field.text("lead"),
            Field("deadline"),
            Field.textarea("milestones"),
            Field.textarea("progress"),
            submit="Save action",
        )
