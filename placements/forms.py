import re
from datetime import time

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Fixed, Fluid, Layout, Size, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import CASEWORKER_ROLES, Role, User
from core.fields import DateInputField

from . import codes, services
from .models import Child, Inspection, Provider, Rating, Setting


def _code_choices(mapping: dict[str, str], blank: str | None = None):
    choices = [(code, f"{code}: {label}") for code, label in mapping.items()]
    return ([("", blank)] if blank is not None else []) + choices


def _all_place_codes() -> dict[str, str]:
    merged: dict[str, str] = {}
    for year in sorted(codes.PLACE, reverse=True):
        for code, label in codes.PLACE[year].items():
            merged.setdefault(code, label)
    return merged


_TIME = re.compile(r"^\s*(\d{1,2})\s*[:.]\s*(\d{2})\s*$")


class StartTimeField(forms.CharField):
    """A time of day typed on the 24-hour clock (14:30, 9.05), Europe/London; optional."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Start time (optional)")
        kwargs.setdefault(
            "help_text",
            "The time the child arrived, on the 24-hour clock, for example 14:30. If it is "
            "not known, leave it blank: the placement is then treated as starting at the "
            "end of the day.",
        )
        super().__init__(required=False, max_length=20, **kwargs)

    def clean(self, value):
        text = super().clean(value).strip()  # a string of at most max_length
        if not text:
            return None
        match = _TIME.match(text)
        if match:
            hours, minutes = int(match[1]), int(match[2])
            if hours < 24 and minutes < 60:
                return time(hours, minutes)
        raise ValidationError("Enter the time using the 24-hour clock, for example 14:30")


def check_start_time(form: forms.Form, date_field: str = "decom") -> None:
    """A start time in the future, or one the clocks skipped, is refused beside it."""
    data = form.cleaned_data
    start, at = data.get(date_field), data.get("start_time")
    if start and at is not None:
        error = services.start_instant_error(start, at, timezone.now())
        if error:
            form.add_error("start_time", error)


class SettingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, setting: Setting) -> str:
        urn = f" (URN {setting.urn})" if setting.urn else ""
        return (
            f"{setting.name}{urn}, {setting.get_provision_type_display()}, "
            f"{setting.get_current_rating_display()}"
        )


class PlacementStartForm(forms.Form):
    setting = SettingChoiceField(
        queryset=Setting.objects.select_related("provider").order_by("name"),
        required=False,
        empty_label="No setting (placed with parents, in hospital and the like)",
        help_text="The provision where the child will live.",
    )
    decom = DateInputField(label="Start date", help_text="For example, 27 3 2026")
    start_time = StartTimeField()
    rne = forms.ChoiceField(label="Reason for new episode (RNE)", choices=_code_choices(codes.RNE))
    ls = forms.ChoiceField(label="Legal status (LS)", choices=_code_choices(codes.LS))
    cin = forms.ChoiceField(label="Category of need (CIN)", choices=_code_choices(codes.CIN))
    place = forms.ChoiceField(
        label="Placement type (PLACE)",
        choices=_code_choices(_all_place_codes()),
        help_text="Checked against the code list of the collection year the placement starts in.",
    )
    place_provider = forms.ChoiceField(
        label="Placement provider (PLACE_PROVIDER)",
        choices=_code_choices(codes.PLACE_PROVIDER, "Not applicable"),
        required=False,
    )
    reason_place_change = forms.ChoiceField(
        label="Reason the previous placement changed",
        choices=_code_choices(codes.REASON_PLACE_CHANGE, "Not applicable: first placement"),
        required=False,
    )
    home_post = forms.CharField(label="Home postcode", max_length=8, required=False)
    permanent = forms.BooleanField(
        label="Agreed as permanent, intended to last until the child is 18", required=False
    )
    connected_person_temporary = forms.BooleanField(
        label="Connected person with temporary approval to foster (regulation 24)", required=False
    )
    placed_with_parent_pre_assessment = forms.BooleanField(
        label="Placed with a parent before the parent's assessment is complete (regulation 19)",
        required=False,
    )
    override_reason = forms.CharField(
        label="Reason for overriding the placement guard",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
        help_text="An assistant director or director can override the placement guard; a "
        "service manager can authorise a setting not yet inspected. Say why this placement "
        "is in the child's best interests despite the concern.",
    )
    director_authorisation = forms.BooleanField(
        label="I authorise this placement in an unregistered setting as Director",
        required=False,
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        fields = [
            Field.select("setting"),
            Field("decom"),
            Field.text("start_time", field_width=Fixed.FIVE),
            Field.select("rne"),
            Field.select("ls"),
            Field.select("cin"),
            Field.select("place"),
            Field.select("place_provider"),
            Field.select("reason_place_change"),
            Field.text("home_post", field_width=Fluid.ONE_QUARTER),
            Fieldset(
                Field.checkboxes("permanent"),
                Field.checkboxes("connected_person_temporary"),
                Field.checkboxes("placed_with_parent_pre_assessment"),
                legend="What the visit schedule needs to know",
                legend_size=Size.SMALL,
            ),
        ]
        if user.role in services.ANY_OVERRIDE_ROLES:
            fields.append(Field.textarea("override_reason"))
        else:
            del self.fields["override_reason"]
        if user.role == Role.DIRECTOR:
            fields.append(Field.checkboxes("director_authorisation"))
        else:
            del self.fields["director_authorisation"]
        fields.append(Submit("submit", "Start placement"))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*fields)

    def clean(self):
        data = super().clean()
        check_start_time(self)
        return data


class PlacementEndForm(forms.Form):
    dec = DateInputField(label="End date")
    rec = forms.ChoiceField(label="Reason episode ceased (REC)", choices=_code_choices(codes.REC))
    reason_place_change = forms.ChoiceField(
        label="Reason for placement change",
        choices=_code_choices(codes.REASON_PLACE_CHANGE, "Not applicable"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("dec"),
            Field.select("rec"),
            Field.select("reason_place_change"),
            Submit("submit", "End placement"),
        )


class AllocationForm(forms.ModelForm):
    social_worker = forms.ModelChoiceField(
        label="Social worker or personal adviser",
        queryset=User.objects.filter(role__in=CASEWORKER_ROLES, is_active=True),
        required=False,
    )
    personal_adviser = forms.ModelChoiceField(
        label="Personal adviser",
        queryset=User.objects.filter(role=Role.PERSONAL_ADVISER, is_active=True),
        required=False,
        help_text="Alongside the social worker, from 16 (leads the pathway plan after 18)",
        error_messages={"invalid_choice": "Choose a personal adviser from the list"},
    )
    iro = forms.ModelChoiceField(
        label="IRO", queryset=User.objects.filter(role=Role.IRO, is_active=True), required=False
    )

    class Meta:
        model = Child
        fields = ["social_worker", "personal_adviser", "iro", "restricted"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.select("social_worker"),
            Field.select("personal_adviser"),
            Field.select("iro"),
            Field.checkboxes("restricted"),
            Submit("submit", "Save allocation"),
        )


class InspectionForm(forms.Form):
    inspection_date = DateInputField(label="Date of inspection")
    event_type = forms.ChoiceField(
        label="Type of inspection",
        choices=[
            ("Full inspection", "Full inspection"),
            ("Interim inspection", "Interim inspection"),
            ("Monitoring visit", "Monitoring visit"),
            ("Assurance visit", "Assurance visit"),
            ("Focused visit", "Focused visit"),
        ],
    )
    overall_judgement = forms.ChoiceField(
        label="Overall experiences and progress of children and young people",
        choices=Rating.choices,
        widget=forms.RadioSelect,
    )
    publication_date = DateInputField(label="Date the report was published", required=False)

    def __init__(self, *args, setting: Setting, **kwargs):
        super().__init__(*args, **kwargs)
        self.setting = setting
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("inspection_date"),
            Field.select("event_type"),
            Field.radios("overall_judgement", legend_size=Size.SMALL),
            Field("publication_date"),
            Submit("submit", "Record judgement"),
        )

    def clean_inspection_date(self):
        value = self.cleaned_data["inspection_date"]
        if value > timezone.localdate():
            raise ValidationError(services.FUTURE_INSPECTION)
        return value

    def clean(self):
        data = super().clean()
        inspected, published = data.get("inspection_date"), data.get("publication_date")
        if inspected and published and published < inspected:
            self.add_error(
                "publication_date", "The report cannot be published before the inspection."
            )
        if (
            inspected
            and Inspection.objects.filter(
                setting=self.setting, inspection_date=inspected, event_type=data.get("event_type")
            ).exists()
        ):
            self.add_error(
                "inspection_date", "This inspection is already recorded for this setting."
            )
        return data


class SettingForm(forms.ModelForm):
    provider = forms.ModelChoiceField(
        queryset=Provider.objects.order_by("name"),
        required=False,
        help_text="Leave blank and give a new provider's name below if it is not listed.",
    )
    new_provider = forms.CharField(label="New provider's name", max_length=200, required=False)

    class Meta:
        model = Setting
        fields = [
            "name",
            "urn",
            "provider",
            "provision_type",
            "regulator",
            "registration_status",
            "registration_date",
            "address_line_1",
            "town",
            "postcode",
            "local_authority",
            "places",
            "referrals_suspended",
            "referrals_suspended_reason",
        ]
        field_classes = {"registration_date": DateInputField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["urn"].help_text = "Ofsted's unique reference number, if it has one."
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("name"),
            Field.text("urn", field_width=Fluid.ONE_QUARTER),
            Field.select("provider"),
            Field.text("new_provider"),
            Field.select("provision_type"),
            Field.select("regulator"),
            Field.select("registration_status"),
            Field("registration_date"),
            Field.text("address_line_1"),
            Field.text("town", field_width=Fluid.ONE_HALF),
            Field.text("postcode", field_width=Fluid.ONE_QUARTER),
            Field.text("local_authority", field_width=Fluid.ONE_HALF),
            Field.text("places", field_width=Fluid.ONE_QUARTER),
            Field.checkboxes("referrals_suspended"),
            Field.text("referrals_suspended_reason"),
            Submit("submit", "Save setting"),
        )

    def clean_urn(self):
        return (self.cleaned_data.get("urn") or "").strip().upper() or None

    def clean(self):
        data = super().clean()
        if not data.get("provider") and not data.get("new_provider", "").strip():
            self.add_error("provider", "Choose the provider, or give a new provider's name.")
        if (
            data.get("referrals_suspended")
            and not data.get("referrals_suspended_reason", "").strip()
        ):
            self.add_error("referrals_suspended_reason", "Say why referrals are suspended.")
        return data
