from crispy_forms_gds.layout import Field, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.fields import DateInputField
from core.forms import form_helper
from placements.models import Child, ConcernLevel

from ..models import LetterOfConcern, PlanAction


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


class ConcernLevelForm(forms.Form):
    level = forms.ChoiceField(
        label="Concern level", choices=ConcernLevel.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea,
        error_messages={"required": "Give the reason for the concern level."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("level", legend_size=Size.SMALL),
            Field.textarea("reason"),
            submit="Set concern level",
        )


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field("given_on"), submit="Issue letter")


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
