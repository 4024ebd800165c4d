"""The forms of incidents and allegations (GOV.UK layout: errors beside each field)."""

from crispy_forms_gds.layout import Field, Fixed
from django import forms

from core.fields import DateInputField
from core.forms import form_helper
from placements.forms import StartTimeField
from placements.models import Child, Setting

from .models import Debrief, IncidentKind, LadoOutcome, ReferralMethod, SubjectRole

DATE_HELP = "For example, 27 3 2026"
TIME_HELP_OPTIONAL = (
    "On the 24-hour clock, for example 14:30. If it is not known, leave it blank: it is then "
    "taken as the end of the day."
)
TIME_HELP = "On the 24-hour clock, for example 14:30"
ROLE_REQUIRED = "Choose whether they are a member of staff, carer or volunteer"


class ChildrenField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, child: Child) -> str:
        return f"{child.name} ({child.child_id})"


class ChildField(forms.ModelChoiceField):
    def label_from_instance(self, child: Child) -> str:
        return f"{child.name} ({child.child_id})"


def _time(label: str, *, required: bool = False) -> StartTimeField:
    """A time of day (always optional to the field: a required one is checked in clean())."""
    return StartTimeField(label=label, help_text=TIME_HELP if required else TIME_HELP_OPTIONAL)


def _required_time(form: forms.Form, name: str) -> None:
    if name in form.cleaned_data and form.cleaned_data[name] is None and name not in form.errors:
        form.add_error(name, "Enter the time on the 24-hour clock, for example 14:30")


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of incident was it",
        choices=[("", "Choose the kind of incident"), *IncidentKind.choices],
        error_messages={"required": "Choose the kind of incident"},
    )
    kind_detail = forms.CharField(
        label="If other, what kind of incident", max_length=200, required=False
    )
    occurred_on = DateInputField(label="Date of the incident", help_text=DATE_HELP)
    occurred_time = _time("Time of the incident (optional)")
    children = ChildrenField(
        label="Children involved",
        queryset=Child.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Children placed here whose records you can see. Each must have been placed "
        "here on the day of the incident.",
    )
    restraint_used = forms.BooleanField(label="Restraint was used", required=False)
    police_involved = forms.BooleanField(label="The police were involved", required=False)
    injury = forms.BooleanField(label="Someone was injured", required=False)
    summary = forms.CharField(
        label="What happened",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Describe what happened"},
    )
    report_received_on = DateInputField(
        label="Date the home's report reached us (optional)",
        required=False,
        help_text="Leave blank if the home's written report has not reached us yet.",
    )
    report_received_time = _time("Time the home's report reached us (optional)")

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["children"].queryset = children
        self.helper = form_helper(
            Field.select("kind"),
            Field.text("kind_detail"),
            Field("occurred_on"),
            Field.text("occurred_time", field_width=Fixed.FIVE),
            Field.checkboxes("children"),
            Field.checkbox("restraint_used"),
            Field.checkbox("police_involved"),
            Field.checkbox("injury"),
            Field.textarea("summary"),
            Field("report_received_on"),
            Field.text("report_received_time", field_width=Fixed.FIVE),
            submit="Record the incident",
        )


class ReportReceivedForm(forms.Form):
    received_on = DateInputField(label="Date the home's report reached us", help_text=DATE_HELP)
    received_time = _time("Time it reached us (optional)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field("received_on"),
            Field.text("received_time", field_width=Fixed.FIVE),
            submit="Record the report as received",
        )


class DebriefForm(forms.Form):
    kind = forms.ChoiceField(
        label="Whose debrief was it",
        choices=Debrief.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whose debrief it was"},
    )
    child = ChildField(
        label="Which child (for a child's debrief)",
        queryset=Child.objects.none(),
        required=False,
        empty_label="Choose the child",
    )
    held_on = DateInputField(label="Date it was held", help_text=DATE_HELP)
    held_time = _time("Time it was held (optional)")
    notes = forms.CharField(
        label="Notes (optional)",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, children, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [c for c in Debrief.Kind.choices if c[0] in kinds]
        self.fields["child"].queryset = children
        fields = [Field.radios("kind")]
        if Debrief.Kind.CHILD in kinds:
            fields.append(Field.select("child"))
        else:
            del self.fields["child"]
        fields += [
            Field("held_on"),
            Field.text("held_time", field_width=Fixed.FIVE),
            Field.textarea("notes"),
        ]
        self.helper = form_helper(*fields, submit="Record the debrief")

    def clean(self):
        data = super().clean()
        child_missing = data.get("kind") == Debrief.Kind.CHILD and not data.get("child")
        if child_missing and "child" not in self.errors:
            self.add_error("child", "Choose the child who was debriefed")
        return data


class AllegationForm(forms.Form):
    subject_name = forms.CharField(
        label="Name of the person the allegation is about",
        max_length=200,
        error_messages={"required": "Enter the name of the person the allegation is about"},
    )
    subject_role = forms.ChoiceField(
        label="They are a",
        choices=SubjectRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": ROLE_REQUIRED},
    )
    setting = forms.ModelChoiceField(
        label="Where they work (optional)",
        queryset=Setting.objects.order_by("name"),
        required=False,
        empty_label="Not a setting in the register",
    )
    children = ChildrenField(
        label="Children concerned (optional)",
        queryset=Child.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    allegation = forms.CharField(
        label="What was alleged",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Say what was alleged"},
    )
    known_on = DateInputField(label="Date it became known", help_text=DATE_HELP)
    known_time = _time("Time it became known", required=True)
    made_by = forms.CharField(
        label="Who made it known",
        max_length=200,
        help_text="For example, the child, a parent, a colleague, a teacher",
        error_messages={"required": "Say who made the allegation known"},
    )

    def __init__(self, *args, children=None, **kwargs):
        super().__init__(*args, **kwargs)
        fields = [Field.text("subject_name"), Field.radios("subject_role"), Field.select("setting")]
        if children is None:
            del self.fields["children"]
        else:
            self.fields["children"].queryset = children
            fields.append(Field.checkboxes("children"))
        fields += [
            Field.textarea("allegation"),
            Field("known_on"),
            Field.text("known_time", field_width=Fixed.FIVE),
            Field.text("made_by"),
        ]
        self.helper = form_helper(*fields, submit="Record the allegation")

    def clean(self):
        data = super().clean()
        _required_time(self, "known_time")
        return data


class ReferralForm(forms.Form):
    referred_on = DateInputField(label="Date it was referred to the LADO", help_text=DATE_HELP)
    referred_time = _time("Time it was referred", required=True)
    method = forms.ChoiceField(
        label="How was it referred",
        choices=ReferralMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how it was referred"},
    )
    notes = forms.CharField(
        label="Notes (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field("referred_on"),
            Field.text("referred_time", field_width=Fixed.FIVE),
            Field.radios("method"),
            Field.textarea("notes"),
            submit="Record the referral",
        )

    def clean(self):
        data = super().clean()
        _required_time(self, "referred_time")
        return data


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=LadoOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome"},
    )
    outcome_on = DateInputField(label="Date of the outcome", help_text=DATE_HELP)
    notes = forms.CharField(
        label="Notes (optional)",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("outcome"),
            Field("outcome_on"),
            Field.textarea("notes"),
            submit="Record the outcome",
        )
