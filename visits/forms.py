"""The Purposeful Visiting Form (seed 000) as a web form, question for question.

Nothing is required here: "Save as draft" keeps whatever was typed. What a finished
form must hold is checked by `services.finish_errors`, and its messages are shown
beside the questions they are about.
"""

import re
from datetime import datetime, time

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Fixed, Fluid, Layout, Size
from django import forms
from django.utils import timezone

from core.fields import DateInputField

from .models import DOCUMENTS, FORM_FIELDS, YES_NO_FIELDS, DocumentCheck, Visit, VisitKind

YES_NO = [("yes", "Yes"), ("no", "No")]
_BOOL = {"yes": True, "no": False}
_TIME = re.compile(r"^\s*(\d{1,2})\s*[:.]\s*(\d{2})\s*$")

# Form fields that show an error of a model field (services.finish_errors).
ERROR_FIELD = {"visited_at": "visit_date"}


def _to_bool(value):
    return _BOOL.get(value)


def _from_bool(value) -> str:
    return "" if value is None else ("yes" if value else "no")


def _yes_no(label: str, help_text: str = "", choices=YES_NO) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=choices,
        coerce=_to_bool,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


def _text(label: str, help_text: str = "", rows: int = 5) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class VisitForm(forms.Form):
    # Overview of visit
    visitor_role = forms.CharField(
        label="Your role", max_length=120, required=False, help_text="For example, Social worker"
    )
    visit_date = DateInputField(
        label="Date of visit", required=False, help_text="For example, 27 3 2026"
    )
    visit_time = forms.CharField(
        label="Time of visit",
        required=False,
        help_text="Use the 24-hour clock, for example 14:30",
    )
    venue = forms.CharField(label="Venue", max_length=300, required=False)
    in_person = _yes_no(
        "How was the visit made?",
        "A visit can be virtual only where the guidance allows it: one of the twice-weekly "
        "visits to a child in an unregistered placement.",
        choices=[("yes", "In person"), ("no", "Virtually")],
    )
    within_timescales = _yes_no("Was the visit within timescales?")
    not_within_timescales_reason = _text("If no, state reason", rows=3)
    where_seen = _text(
        "Where was the child or young person seen?",
        "For example, bedroom, lounge, taken out",
        rows=3,
    )
    seen_alone = _yes_no("Was the child or young person seen alone?")
    not_seen_alone_reason = _text(
        "If no, why was the child or young person not seen alone?",
        "Needed for a statutory visit. Discuss any concerns about this with your manager.",
        rows=3,
    )
    others_present = _text(
        "If there were other people present during the visit, who were they?",
        "Give their names and job positions, if applicable",
        rows=3,
    )
    bedroom_seen = _yes_no("Did you see the child or young person's bedroom?")
    communication = _text(
        "Communication",
        "How are the staff communicating with the child or young person? Are they using "
        "their preferred method of communication? What is it, and is it successful? Do you "
        "have any identified areas of concern?",
    )
    # Visit record
    issues_discussed = _text("What issues were discussed?")
    views_wishes_feelings = _text(
        "What are the child or young person's views, wishes and feelings?"
    )
    observations = _text("Observations of the child or young person, staff and environment")
    presentation = _text(
        "How does the child or young person present?", "Are they healthy, clean, happy?"
    )
    non_compliance = _text(
        "Any non-compliance or engagement issues with the child or young person?"
    )
    additional_information = _text(
        "Any additional information?", "Such as activities they undertook since the last visit"
    )
    analysis = _text(
        "Analysis of the visit and the impact on the child or young person's lived experience "
        "and care planning"
    )
    working_well = _text("What is working well?")
    worried_about = _text("What are you worried about?")
    needs_to_happen = _text("What needs to happen?")
    # Overview of setting or provision
    setting_overview = _text(
        "Overview of the setting or provision from the visit",
        "Comment on rooms, environment, meals and so on; any comments the children or young "
        "people made about the staff or environment; whether records are up to date and "
        "available to review (note when they were last reviewed); whether medication is "
        "administered appropriately, and if it is given covertly, whether there is the correct "
        "authorisation (ask to see the written evidence from the named medical practitioner).",
        rows=8,
    )
    # Reviewing of documents: one Seen / Not seen choice a document (a table on the page).
    regulatory_reports_detail = _text(
        "If you have seen the regulatory reports, which reports, and what was the quality of "
        "information?",
        rows=3,
    )
    risk_factors = _text(
        "Any identified risk factors or vulnerabilities highlighted on this visit for the "
        "child, young person or the provision?",
        "If the visit concludes that the child or young person's welfare is not adequately "
        "safeguarded and promoted by the placement, record the next steps. Refer to the "
        "children's homes regulations guidance where appropriate.",
    )
    escalate_to_line_manager = _yes_no(
        "Does it need to be escalated to your line manager?",
        "Your line manager is told at once when you finish the form.",
    )
    signature = forms.CharField(
        label="Visiting professional's signature",
        max_length=150,
        required=False,
        help_text="Type your full name",
    )
    signed_on = DateInputField(
        label="Date of signature", required=False, help_text="For example, 27 3 2026"
    )

    def __init__(self, *args, visit: Visit, **kwargs):
        self.visit = visit
        kwargs.setdefault("initial", self.initial_from(visit))
        super().__init__(*args, **kwargs)
        for name, label in DOCUMENTS:
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=DocumentCheck.choices,
                required=False,
                widget=forms.RadioSelect,
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = self._layout()

    @staticmethod
    def initial_from(visit: Visit) -> dict:
        initial = {}
        for name in FORM_FIELDS:
            if name == "visited_at":
                continue  # shown as a date and a time, below
            value = getattr(visit, name)
            initial[name] = _from_bool(value) if name in YES_NO_FIELDS else value
        if visit.visited_at is not None:
            local = timezone.localtime(visit.visited_at)
            initial["visit_date"] = local.date()
            initial["visit_time"] = f"{local:%H:%M}"
        return initial

    def _layout(self) -> Layout:
        def textarea(name):
            return Field.textarea(name, rows=self.fields[name].widget.attrs.get("rows", 5))

        def section(legend, *fields):
            return Fieldset(*fields, legend=legend, legend_size=Size.MEDIUM, legend_tag="h2")

        return Layout(
            section(
                "Overview of visit",
                HTML(
                    '<p class="govuk-body"><strong>Visiting professional:</strong> '
                    "{{ form.visit.visitor_name }}</p>"
                ),
                Field.text("visitor_role", field_width=Fluid.TWO_THIRDS),
                Field("visit_date"),
                Field.text("visit_time", field_width=Fixed.FIVE),
                Field.text("venue"),
                Field.radios("in_person", legend_size=Size.SMALL, inline=True),
                Field.radios("within_timescales", legend_size=Size.SMALL, inline=True),
                textarea("not_within_timescales_reason"),
                textarea("where_seen"),
                Field.radios("seen_alone", legend_size=Size.SMALL, inline=True),
                textarea("not_seen_alone_reason"),
                textarea("others_present"),
                Field.radios("bedroom_seen", legend_size=Size.SMALL, inline=True),
                textarea("communication"),
            ),
            section(
                "Visit record",
                textarea("issues_discussed"),
                textarea("views_wishes_feelings"),
                textarea("observations"),
                textarea("presentation"),
                textarea("non_compliance"),
                textarea("additional_information"),
                textarea("analysis"),
                textarea("working_well"),
                textarea("worried_about"),
                textarea("needs_to_happen"),
            ),
            section("Overview of setting or provision", textarea("setting_overview")),
            HTML('{% include "visits/visit_documents_table.html" %}'),
            section(
                "Additional information",
                textarea("regulatory_reports_detail"),
                textarea("risk_factors"),
                Field.radios("escalate_to_line_manager", legend_size=Size.SMALL, inline=True),
            ),
            section(
                "Signature",
                Field.text("signature", field_width=Fluid.TWO_THIRDS),
                Field("signed_on"),
            ),
        )

    @property
    def document_fields(self):
        return [self[name] for name, _label in DOCUMENTS]

    def clean_visit_time(self):
        text = self.cleaned_data["visit_time"].strip()
        if not text:
            return None
        match = _TIME.match(text)
        if match:
            hours, minutes = int(match[1]), int(match[2])
            if hours < 24 and minutes < 60:
                return time(hours, minutes)
        raise forms.ValidationError("Enter the time using the 24-hour clock, for example 14:30")

    def clean(self):
        data = super().clean()
        day, at = data.get("visit_date"), data.get("visit_time")
        # A date and a time only save together; the other half stays on the page.
        if day and at is None and "visit_time" not in self.errors:
            self.add_error("visit_time", "Enter the time of the visit")
        if at is not None and not day and "visit_date" not in self.errors:
            self.add_error("visit_date", "Enter the date of the visit")
        return data

    def visit_data(self) -> dict:
        """The answers that are valid, as Visit fields: a draft saves these even when
        another answer on the page is not yet valid."""
        data = getattr(self, "cleaned_data", {})
        values = {}
        direct = [name for name in self.fields if name not in ("visit_date", "visit_time")]
        for name in direct:
            if name in data and name not in self.errors:
                values[name] = data[name]
        day, at = data.get("visit_date"), data.get("visit_time")
        if "visit_date" not in self.errors and "visit_time" not in self.errors:
            if day and at is not None:
                values["visited_at"] = timezone.make_aware(
                    datetime.combine(day, at), timezone.get_current_timezone()
                )
            elif not day and at is None:
                values["visited_at"] = None
        return values

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        for field, messages in errors.items():
            target = ERROR_FIELD.get(field, field)
            for message in messages:
                self.add_error(target if target in self.fields else None, message)


class RecordVisitForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of visit are you recording?", widget=forms.RadioSelect, choices=()
    )

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, VisitKind(kind).label) for kind in kinds]
        self.fields["kind"].error_messages["required"] = "Choose the kind of visit"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.radios("kind", legend_size=Size.MEDIUM))


class AmendForm(forms.Form):
    reason = forms.CharField(
        label="Why does the visit record need amending?",
        help_text="The finished version is kept: your amendment is a new version of the form, "
        "and the reason is recorded with it.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        error_messages={"required": "Say why the visit record needs amending"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.textarea("reason"))


def _required_yes_no(label: str, message: str, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO,
        coerce=_to_bool,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


class PvfReviewForm(forms.Form):
    """The IRO's review of a social worker's Purposeful Visiting Form: what 000_… lines
    294-297 ask the IRO to consider, their comments and any action."""

    satisfactory = _required_yes_no(
        "Are the visit and the child's plan satisfactory?",
        "Say whether the visit and the child's plan are satisfactory",
        "Have the appropriate actions been completed to ensure the child or young person is "
        "safe and their needs are being met?",
    )
    early_review_needed = _required_yes_no(
        "Is an early LAC review required?", "Say whether an early LAC review is required"
    )
    escalation_needed = _required_yes_no(
        "Is a formal IRO escalation required?",
        "Say whether a formal IRO escalation is required",
    )
    comments = forms.CharField(
        label="Your comments on the visit form",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        error_messages={"required": "Enter your comments on the visit form"},
    )
    action = forms.CharField(
        label="Action needed, by whom and by when",
        help_text="Needed when the visit or plan is not satisfactory, or an early review or "
        "an escalation is required.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        required=False,
    )

    def __init__(self, *args, review=None, **kwargs):
        if review is not None and not args:
            kwargs.setdefault(
                "initial",
                {
                    "satisfactory": _from_bool(review.satisfactory),
                    "early_review_needed": _from_bool(review.early_review_needed),
                    "escalation_needed": _from_bool(review.escalation_needed),
                    "comments": review.comments,
                    "action": review.action,
                },
            )
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("satisfactory", legend_size=Size.SMALL, inline=True),
            Field.radios("early_review_needed", legend_size=Size.SMALL, inline=True),
            Field.radios("escalation_needed", legend_size=Size.SMALL, inline=True),
            Field.textarea("comments"),
            Field.textarea("action"),
        )

    def clean_comments(self):
        comments = self.cleaned_data["comments"].strip()
        if not comments:
            raise forms.ValidationError("Enter your comments on the visit form")
        return comments
