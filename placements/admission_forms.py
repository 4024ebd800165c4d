"""The forms of a child coming into care (registered with their first placement) and of
concerns recorded about an unregistered placement."""

import copy
import re

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Fixed, Fluid, Layout, Size, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.fields import DateInputField

from . import codes, services
from .forms import PlacementStartForm, _code_choices, check_start_time
from .models import Child, age_on

_CHILD_ID = re.compile(r"^[A-Za-z0-9]{1,10}$")
# A unique pupil number: a check letter, 11 digits, a digit or (a temporary UPN) a letter.
_UPN = re.compile(r"^[A-Z]\d{11}[0-9A-Z]$")
# The 903's reasons a child has no UPN (UN1 to UN5).
UPN_UNKNOWN = {f"UN{n}" for n in range(1, 6)}


def _placement_field(name: str) -> forms.Field:
    """A field of the placement form, the same here (labels, choices, help)."""
    return copy.deepcopy(PlacementStartForm.base_fields[name])


class ChildRegisterForm(forms.Form):
    """A child coming into care: the SSDA903 header (CHILD, names, DOB, SEX, ETHNIC, UPN)
    and the first episode (DECOM and its time, RNE, LS, CIN, PLACE, PLACE_PROVIDER, the
    setting), through the placement guard."""

    child_id = forms.CharField(
        label="Child ID",
        max_length=10,
        help_text="The child's SSDA903 CHILD identifier: letters and digits, up to 10.",
        error_messages={"required": "Enter the child ID."},
    )
    first_name = forms.CharField(
        label="First name",
        max_length=100,
        error_messages={"required": "Enter the child's first name."},
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=100,
        error_messages={"required": "Enter the child's last name."},
    )
    date_of_birth = DateInputField(label="Date of birth", help_text="For example, 17 5 2012")
    sex = forms.ChoiceField(label="Sex", choices=list(codes.SEX.items()), widget=forms.RadioSelect)
    ethnicity = forms.ChoiceField(
        label="Ethnicity", choices=[("", "Choose the child's ethnicity"), *codes.ETHNIC.items()]
    )
    upn = forms.CharField(
        label="Unique pupil number (UPN, optional)",
        max_length=13,
        required=False,
        help_text="13 characters, for example A123456789012; or UN1 to UN5 if the child has none.",
    )
    setting = _placement_field("setting")
    decom = _placement_field("decom")
    start_time = _placement_field("start_time")
    rne = forms.ChoiceField(
        label="Reason for new episode (RNE)",
        choices=_code_choices(codes.RNE),
        initial=services.STARTED_TO_BE_LOOKED_AFTER,
    )
    ls = _placement_field("ls")
    cin = _placement_field("cin")
    place = _placement_field("place")
    place_provider = _placement_field("place_provider")
    home_post = _placement_field("home_post")
    permanent = _placement_field("permanent")
    connected_person_temporary = _placement_field("connected_person_temporary")
    placed_with_parent_pre_assessment = _placement_field("placed_with_parent_pre_assessment")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decom"].label = "Date the child came into care"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                Field.text("child_id", field_width=Fixed.TEN),
                Field.text("first_name", field_width=Fluid.ONE_HALF),
                Field.text("last_name", field_width=Fluid.ONE_HALF),
                Field("date_of_birth"),
                Field.radios("sex", legend_size=Size.SMALL, inline=True),
                Field.select("ethnicity"),
                Field.text("upn", field_width=Fixed.TEN),
                legend="The child",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.select("setting"),
                Field("decom"),
                Field.text("start_time", field_width=Fixed.FIVE),
                Field.select("rne"),
                Field.select("ls"),
                Field.select("cin"),
                Field.select("place"),
                Field.select("place_provider"),
                Field.text("home_post", field_width=Fluid.ONE_QUARTER),
                legend="Legal status and first placement",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.checkboxes("permanent"),
                Field.checkboxes("connected_person_temporary"),
                Field.checkboxes("placed_with_parent_pre_assessment"),
                legend="What the visit schedule needs to know",
                legend_size=Size.SMALL,
            ),
            Submit("submit", "Register the child"),
        )

    def clean_child_id(self):
        value = self.cleaned_data["child_id"].strip()
        if not _CHILD_ID.match(value):
            raise ValidationError("Enter the child ID using letters and digits only, up to 10.")
        if Child.objects.filter(child_id__iexact=value).exists():
            raise ValidationError("A child with this child ID is already recorded.")
        return value

    def _name(self, field: str, what: str) -> str:
        value = " ".join(self.cleaned_data[field].split())
        if not value:
            raise ValidationError(f"Enter the child's {what}.")
        return value

    def clean_first_name(self):
        return self._name("first_name", "first name")

    def clean_last_name(self):
        return self._name("last_name", "last name")

    def clean_date_of_birth(self):
        value = self.cleaned_data["date_of_birth"]
        if value > timezone.localdate():
            raise ValidationError("The date of birth must be today or in the past.")
        return value

    def clean_upn(self):
        value = self.cleaned_data["upn"].strip().upper()
        if value and value not in UPN_UNKNOWN and not _UPN.match(value):
            raise ValidationError(
                "Enter a UPN of 13 characters, for example A123456789012, or UN1 to UN5."
            )
        return value

    def clean_rne(self):
        value = self.cleaned_data["rne"]
        if value != services.STARTED_TO_BE_LOOKED_AFTER:
            raise ValidationError("A child coming into care starts to be looked after: RNE S.")
        return value

    def clean(self):
        data = super().clean()
        born, start = data.get("date_of_birth"), data.get("decom")
        if born and start:
            if born > start:
                self.add_error("decom", "The child cannot come into care before they were born.")
            elif age_on(born, start) >= 18:
                self.add_error(
                    "date_of_birth",
                    f"The child would be 18 or over on {start:%d/%m/%Y}: only a child under "
                    "18 comes into care.",
                )
        check_start_time(self)
        return data

    def child_fields(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in ("child_id", "first_name", "last_name", "date_of_birth", "sex")
        } | {"ethnicity": data["ethnicity"], "upn": data["upn"]}


class PlacementConcernForm(forms.Form):
    note = forms.CharField(
        label="What are the concerns?",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        error_messages={"required": "Say what the concerns are."},
        help_text="What worries you about this placement, and who told you.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.textarea("note"), Submit("submit", "Record the concerns"))

    def clean_note(self):
        value = self.cleaned_data["note"].strip()
        if not value:
            raise ValidationError("Say what the concerns are.")
        return value
