"""The scoping meeting request forms: choose the setting, request, decide, resubmit."""

from crispy_forms_gds.layout import Field
from django import forms

from core.forms import form_helper
from placements.models import Child, Setting

from .. import requests as services


class ChildrenField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, child: Child) -> str:
        return f"{child.name} ({child.child_id})"


class SettingChoiceForm(forms.Form):
    setting = forms.ModelChoiceField(
        label="Which setting is the request about",
        queryset=Setting.objects.order_by("name"),
        empty_label="Choose a setting",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.select("setting"), submit="Continue")


CONCERNS_LABEL = "What are the provision of care and safeguarding concerns"
TRIED_LABEL = "What has been tried"
TRIED_HELP = (
    "How the concerns were raised with the provider, and why resolving them directly with "
    "the provider is exhausted"
)
# As the service words them (scoping.requests), not Django's "This field is required."
CONCERNS_REQUIRED = {"required": "Describe the provision of care and safeguarding concerns"}
TRIED_REQUIRED = {
    "required": "Say how the concerns were raised with the provider, and why that is exhausted"
}


class RequestForm(forms.Form):
    concerns = forms.CharField(
        label=CONCERNS_LABEL,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages=CONCERNS_REQUIRED,
        help_text="Scoping meetings are not held for a child's individual care plan, nor for an "
        "allegation against a member of staff.",
    )
    what_was_tried = forms.CharField(
        label=TRIED_LABEL,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=TRIED_HELP,
        error_messages=TRIED_REQUIRED,
    )
    health_concerns = forms.BooleanField(
        label="The concerns are about the health care provided",
        required=False,
        help_text="Health professionals are then invited to the meeting",
    )
    children = ChildrenField(
        label="Children concerned",
        queryset=Child.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only children placed here whose records you can see are listed.",
    )

    def __init__(self, *args, route: str, children=None, **kwargs):
        super().__init__(*args, **kwargs)
        fields = [Field.textarea("concerns"), Field.textarea("what_was_tried")]
        if route != services.Route.PROFESSIONAL:
            self.fields["what_was_tried"].required = False
        if route == services.Route.CONCERNS:
            self.fields["concerns"].label = "What is the pattern of concern"
        fields.append(Field.checkbox("health_concerns"))
        if children is None:
            del self.fields["children"]
        else:
            self.fields["children"].queryset = children
            fields.append(Field.checkboxes("children"))
        submit = "Request a scoping meeting"
        if route != services.Route.PROFESSIONAL:
            submit = "Raise the scoping meeting request"
        self.helper = form_helper(*fields, submit=submit)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            (services.APPROVE, "Approve: the LADO service convenes a scoping meeting"),
            (services.REFUSE, "Refuse, with reasons"),
            (services.MORE_INFORMATION, "Ask for more information"),
        ],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label="Reasons, or the information you need",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text="Required to refuse or to ask for more information. The requester sees it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("decision"), Field.textarea("reasons"), submit="Record decision"
        )

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if (
            decision in (services.REFUSE, services.MORE_INFORMATION)
            and not (data.get("reasons") or "").strip()
        ):
            what = "why it is refused" if decision == services.REFUSE else "what more you need"
            self.add_error("reasons", f"Say {what}")
        return data


class ResubmitForm(forms.Form):
    concerns = forms.CharField(
        label=CONCERNS_LABEL,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages=CONCERNS_REQUIRED,
    )
    what_was_tried = forms.CharField(
        label=TRIED_LABEL,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=TRIED_HELP,
        error_messages=TRIED_REQUIRED,
    )
    health_concerns = forms.BooleanField(
        label="The concerns are about the health care provided", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.textarea("concerns"),
            Field.textarea("what_was_tried"),
            Field.checkbox("health_concerns"),
            submit="Resubmit the request",
        )
