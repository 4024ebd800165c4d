"""The risk assessment of seed 000 as a web form, section for section.

Nothing is required to save a draft; what a signed form must hold is checked by
`services.sign_errors`, and its messages are shown beside the sections they are about.
"""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms

from core.fields import DateInputField

from .. import services
from ..models import RiskAssessment


class RiskAssessmentForm(forms.ModelForm):
    placement_start = DateInputField(
        label="Placement start", required=False, help_text="For example, 27 3 2026"
    )
    placement_end = DateInputField(
        label="Placement end",
        required=False,
        help_text="Leave blank if the placement continues. For example, 27 3 2026",
    )

    class Meta:
        model = RiskAssessment
        fields = services.FORM_FIELDS
        labels = {
            "placed_with": "Placed with",
            "carers_and_agency": "Carers and agency",
            "placement_type": "Placement type",
            "context_of_risk": "Context of the reported risk of concern",
            "risk_analysis": "Risk analysis",
            "protective_factors": "Protective and mitigating factors",
            "voice_of_child": "Voice of the child or young person and professional observations",
            "analysis_and_plan": "Analysis and plan",
        }
        widgets = {name: forms.Textarea(attrs={"rows": 8}) for name in services.SECTION_FIELDS}

    def __init__(self, *args, instance: RiskAssessment, **kwargs):
        initial = kwargs.pop("initial", {}) or {}
        # Placement information the form has not yet kept comes from the placement.
        for name, value in services.placement_prefill(instance).items():
            if getattr(instance, name) in (None, ""):
                initial.setdefault(name, value)
        super().__init__(*args, instance=instance, initial=initial, **kwargs)
        for field in self.fields.values():
            field.required = False
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                Field.text("placed_with"),
                Field.text("carers_and_agency"),
                Field.text("placement_type"),
                Field("placement_start"),
                Field("placement_end"),
                legend="Placement information",
                legend_size=Size.MEDIUM,
                legend_tag="h2",
            ),
            Fieldset(
                *(Field.textarea(name, rows=8) for name in services.SECTION_FIELDS),
                legend="Assessment",
                legend_size=Size.MEDIUM,
                legend_tag="h2",
            ),
        )

    def valid_data(self) -> dict:
        """The answers that passed validation (cleaned_data keeps only those)."""
        return {k: v for k, v in self.cleaned_data.items() if k in services.FORM_FIELDS}

    def add_service_errors(self, errors: dict) -> None:
        for field, messages in errors.items():
            self.add_error(field if field in self.fields else None, messages)


class ReturnForm(forms.Form):
    comments = forms.CharField(
        label="Comments for the lead professional",
        help_text="Say what needs to change before you can sign it",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Say what needs to change"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.textarea("comments", rows=6))
