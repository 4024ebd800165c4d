"""The form of a plan or assessment: what it is, when and by whom it was completed, a
summary and an optional document (checked by ``plans.documents``)."""

from __future__ import annotations

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms

from core.fields import DateInputField
from core.forms import form_helper
from placements.models import Placement

from . import documents, services
from .models import HealthStage, Plan, PlanKind


class PlacementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, placement: Placement) -> str:
        where = placement.setting.name if placement.setting else placement.get_place_display()
        until = f"{placement.dec.day} {placement.dec:%B %Y}" if placement.dec else "now"
        return f"{where}, {placement.decom.day} {placement.decom:%B %Y} to {until}"


class PlanForm(forms.Form):
    kind = forms.ChoiceField(
        label="What was completed",
        choices=[Choice(value, label) for value, label in PlanKind.choices],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what was completed"},
    )
    placement = PlacementChoiceField(
        label="Placement (for a placement plan)",
        queryset=Placement.objects.none(),
        required=False,
        empty_label="Select the placement",
        help_text="A placement plan is made for each placement",
        error_messages={"invalid_choice": "Select one of this child's placements"},
    )
    stage = forms.ChoiceField(
        label="Health assessment (for a health assessment)",
        choices=[Choice(value, label) for value, label in HealthStage.choices],
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Select initial or review"},
    )
    completed_on = DateInputField(
        label="Date completed",
        help_text="For example, 27 3 2026",
    )
    completed_by_name = forms.CharField(
        label="Completed by",
        max_length=Plan._meta.get_field("completed_by_name").max_length,
        help_text="Your name if you completed it; otherwise who did (a nurse, a designated "
        "teacher)",
        error_messages={"required": "Enter who completed it"},
    )
    summary = forms.CharField(
        label="Summary (optional)",
        help_text="What it decided or found, in a few lines",
        required=False,
        max_length=Plan._meta.get_field("summary").max_length,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    attachment = forms.FileField(
        label="Document (optional)",
        required=False,
        widget=forms.FileInput(attrs={"class": "govuk-file-upload", "accept": documents.ACCEPT}),
        error_messages={
            "empty": "The selected file is empty",
            "invalid": "The selected file could not be read: choose it again",
        },
    )

    def __init__(
        self,
        *args,
        child,
        today,
        plan: Plan | None = None,
        replacing: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.child, self.today = child, today
        self.fields["placement"].queryset = child.placements.select_related("setting").order_by(
            "-decom", "-pk"
        )
        # The limit is a setting: read when the form is made.
        self.fields["attachment"].help_text = (
            f"A PDF or Word document (.pdf, .doc or .docx), {documents.megabytes()} or smaller"
            + (". A new one replaces the current document (which is kept)" if replacing else "")
        )
        if plan is not None:
            self.initial.update(
                kind=plan.kind,
                placement=plan.placement_id,
                stage=plan.stage,
                completed_on=plan.completed_on,
                completed_by_name=plan.completed_by_name,
                summary=plan.summary,
            )
        self.document: documents.Checked | None = None
        self.helper = form_helper(
            Field.radios("kind", legend_size=Size.MEDIUM),
            Field.select("placement"),
            Field.radios("stage", legend_size=Size.SMALL, inline=True),
            Field("completed_on"),
            Field.text("completed_by_name", field_width=Fluid.TWO_THIRDS),
            Field.textarea("summary", rows=5, max_characters=self.fields["summary"].max_length),
            Field("attachment"),
            submit="Save",
        )

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            self.document = documents.check(upload)
        return upload

    def clean(self):
        data = super().clean()
        if "kind" in data:
            found = services.field_errors(
                self.child,
                kind=data["kind"],
                completed_on=data.get("completed_on"),
                placement=data.get("placement"),
                stage=data.get("stage") or "",
                today=self.today,
            )
            for name, message in found.items():
                if name not in self.errors:
                    self.add_error(name, message)
        return data

    def plan_input(self) -> services.PlanInput:

        data = self.cleaned_data
        return services.PlanInput(
            kind=data["kind"],
            completed_on=data["completed_on"],
            completed_by_name=data["completed_by_name"],
            summary=data.get("summary") or "",
            placement=data.get("placement"),
            stage=data.get("stage") or "",
            document=(data["attachment"], self.document) if self.document else None,
        )
