"""Forms of IRO escalations (escalations/iro_views.py)."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from core.forms import form_helper
from visits.models import Visit

from ..models import IroEscalation


class VisitChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, visit: Visit) -> str:
        when = f"{visit.visited_at:%d %B %Y}" if visit.visited_at else "undated"
        return f"{visit.get_kind_display()}, {when}, by {visit.visitor_name}"


class EscalationForm(forms.Form):
    concern = forms.CharField(
        label="What is the concern",
        widget=forms.Textarea,
        help_text="About the child's placement, or the care the child gets",
        error_messages={"required": "Describe the concern."},
    )
    evidence_visits = VisitChoiceField(
        label="Visits that evidence the concern",
        queryset=Visit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The child's finished visits and purposeful visiting forms",
        error_messages={"invalid_choice": "Choose visits from the list."},
    )
    evidence = forms.CharField(
        label="Other evidence",
        widget=forms.Textarea,
        required=False,
        help_text="What else shows it",
    )
    resolution_sought = forms.CharField(
        label="What resolution do you seek",
        widget=forms.Textarea,
        error_messages={"required": "Say what resolution you seek."},
    )
    serious_systemic = forms.BooleanField(
        label="The concern is serious, systemic and significant",
        required=False,
        help_text="Seed 000: such a concern may go to a scoping meeting without going "
        "through every stage",
    )

    def __init__(self, *args, visits, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence_visits"].queryset = visits
        self.helper = form_helper(
            Field.textarea("concern"),
            Field.checkboxes("evidence_visits", legend_size=Size.SMALL),
            Field.textarea("evidence"),
            Field.textarea("resolution_sought"),
            Field.checkboxes("serious_systemic"),
            submit="Raise the escalation",
        )


class ResponseForm(forms.Form):
    response = forms.CharField(
        label="Your reply",
        widget=forms.Textarea,
        error_messages={"required": "Write your reply."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.textarea("response"), submit="Send reply")


class AdvanceForm(forms.Form):
    from_stage = forms.ChoiceField(choices=IroEscalation.Stage.choices, widget=forms.HiddenInput)
    reasons = forms.CharField(
        label="Why are you moving it to the next stage",
        widget=forms.Textarea,
        error_messages={"required": "Give your reasons for moving to the next stage."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field("from_stage"), Field.textarea("reasons"), submit="Move on")


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label="How was the concern resolved",
        widget=forms.Textarea,
        error_messages={"required": "Say how the concern was resolved."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.textarea("resolution"), submit="Resolve the escalation")
