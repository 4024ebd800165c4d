"""The forms of a missing or away episode: recording it, the return, the setting's report
received and the return home interview. What needs the database (an overlap, the child's
birth, the placement at the start) is checked by ``missing.services`` and put beside the
field by ``core.pages.handle_form``."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Fieldset, Fixed, Fluid, Size
from django import forms

from core.fields import DateInputField
from core.forms import form_helper
from placements.forms import StartTimeField
from placements.models import Placement

from .models import EpisodeKind, InterviewOutcome, RiskLevel, WhereFound


def _time_field(label: str, help_text: str) -> StartTimeField:
    return StartTimeField(label=label, help_text=help_text)


class TimeOfDayField(StartTimeField):
    """A time on the 24-hour clock that must be given."""

    def __init__(self, **kwargs):
        forms.CharField.__init__(self, required=True, max_length=20, **kwargs)
        self.error_messages["required"] = "Enter the time, for example 14:30"

    def clean(self, value):
        if not (value or "").strip():
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return super().clean(value)


class PlacementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, placement: Placement) -> str:
        where = placement.setting.name if placement.setting_id else placement.get_place_display()
        until = f"{placement.dec:%d/%m/%Y}" if placement.dec else "now"
        return f"{where}, {placement.decom:%d/%m/%Y} to {until}"


RETURN_HINT = (
    "On the 24-hour clock, for example 23:30. If it is not known, leave it blank: the "
    "return is then treated as the end of the day, and the return home interview is due "
    "72 hours after that."
)


class EpisodeForm(forms.Form):
    kind = forms.ChoiceField(
        label="Was the child missing, or away from placement without authorisation?",
        choices=EpisodeKind.choices,
        widget=forms.RadioSelect,
    )
    start_date = DateInputField(
        label="Date they went missing or away", help_text="For example, 27 3 2026"
    )
    start_time = _time_field(
        "Time they went missing or away (optional)",
        "On the 24-hour clock, for example 21:15. If it is not known, leave it blank: the "
        "setting's report is then due by the end of the next day.",
    )
    placement = PlacementChoiceField(
        label="Placement they went missing from",
        queryset=Placement.objects.none(),
        required=False,
        empty_label="The placement they were in on that date",
    )
    police_reference = forms.CharField(
        label="Police reference (optional)", max_length=40, required=False
    )
    risk_level = forms.ChoiceField(
        label="Risk level", choices=RiskLevel.choices, required=False, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label="What is known (optional)", max_length=4000, required=False, widget=forms.Textarea
    )
    end_date = DateInputField(
        label="Date they came back (if they are back)",
        help_text="Leave it blank while the child is still missing or away.",
        required=False,
    )
    end_time = _time_field("Time they came back (optional)", RETURN_HINT)
    where_found = forms.ChoiceField(
        label="Where they were found", choices=WhereFound.choices, required=False
    )
    where_found_detail = forms.CharField(
        label="More about where they were found (optional)", max_length=200, required=False
    )

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["placement"].queryset = (
            Placement.objects.filter(child=child).select_related("setting").order_by("-decom")
        )
        self.helper = form_helper(
            Field.radios("kind", legend_size=Size.SMALL),
            Field("start_date"),
            Field.text("start_time", field_width=Fixed.FIVE),
            Field.select("placement"),
            Field.text("police_reference", field_width=Fixed.TWENTY),
            Field.radios("risk_level", legend_size=Size.SMALL, inline=True),
            Field.textarea("notes"),
            Fieldset(
                Field("end_date"),
                Field.text("end_time", field_width=Fixed.FIVE),
                Field.select("where_found"),
                Field.text("where_found_detail", field_width=Fluid.TWO_THIRDS),
                legend="If the child is already back",
                legend_size=Size.MEDIUM,
                legend_tag="h2",
            ),
            submit="Record the episode",
        )

    def clean(self):
        data = super().clean()
        if data.get("end_date") is None and data.get("end_time") is not None:
            self.add_error("end_date", "Enter the date they came back as well as the time.")
        return data


class ReturnForm(forms.Form):
    end_date = DateInputField(label="Date they came back", help_text="For example, 27 3 2026")
    end_time = _time_field("Time they came back (optional)", RETURN_HINT)
    where_found = forms.ChoiceField(
        label="Where they were found", choices=WhereFound.choices, required=False
    )
    where_found_detail = forms.CharField(
        label="More about where they were found (optional)", max_length=200, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field("end_date"),
            Field.text("end_time", field_width=Fixed.FIVE),
            Field.select("where_found"),
            Field.text("where_found_detail", field_width=Fluid.TWO_THIRDS),
            submit="Record the return",
        )


class HomeReportForm(forms.Form):
    received_on = DateInputField(
        label="Date the setting's report was received", help_text="For example, 27 3 2026"
    )
    received_at = TimeOfDayField(
        label="Time it was received", help_text="On the 24-hour clock, for example 09:45"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field("received_on"),
            Field.text("received_at", field_width=Fixed.FIVE),
            submit="Record the report as received",
        )


class InterviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What happened?", choices=InterviewOutcome.choices, widget=forms.RadioSelect
    )
    held_on = DateInputField(
        label="Date it was held or declined",
        help_text="If it was held or the child declined it. For example, 27 3 2026",
        required=False,
    )
    interviewer = forms.CharField(
        label="Who held it (if held)",
        help_text="The independent interviewer's name and organisation",
        max_length=120,
        required=False,
    )
    summary = forms.CharField(
        label="Summary (if held)",
        help_text="What the child said, and what was fed back to the home to inform the risk "
        "assessment",
        max_length=4000,
        required=False,
        widget=forms.Textarea,
    )
    childs_reason = forms.CharField(
        label="The child's reason (if declined)",
        max_length=2000,
        required=False,
        widget=forms.Textarea,
    )
    manager_reason = forms.CharField(
        label="Why it was not offered (a manager's reason)",
        help_text="You are recorded as the manager who agreed it.",
        max_length=2000,
        required=False,
        widget=forms.Textarea,
    )

    def __init__(self, *args, allow_not_offered: bool, **kwargs):
        super().__init__(*args, **kwargs)
        fields = [
            Field.radios("outcome", legend_size=Size.SMALL),
            Field("held_on"),
            Field.text("interviewer", field_width=Fluid.TWO_THIRDS),
            Field.textarea("summary"),
            Field.textarea("childs_reason"),
        ]
        if allow_not_offered:
            fields.append(Field.textarea("manager_reason"))
        else:
            # Only a team manager or above answers for an interview not offered (the
            # service refuses it from anyone else whatever is posted).
            self.fields["outcome"].choices = [
                choice
                for choice in InterviewOutcome.choices
                if choice[0] != InterviewOutcome.NOT_OFFERED
            ]
            del self.fields["manager_reason"]
        self.helper = form_helper(*fields, submit="Record the interview")
