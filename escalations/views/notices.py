"""Commissioning records an Ofsted notice for a children's home (TS §1)."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.fields import DateInputField
from core.pages import add_service_errors, form_page, posted
from placements import selectors
from placements.models import RegulatoryNotice
from placements.services import notice_record

NOTICE_ROLES = frozenset({Role.COMMISSIONING_OFFICER})


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of notice", choices=RegulatoryNotice.Kind.choices, widget=forms.RadioSelect
    )
    notice_date = DateInputField(label="Date of the notice")
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("kind", legend_size=Size.SMALL),
            Field("notice_date"),
            Field.textarea("notes"),
            Submit("submit", "Record notice"),
        )

    def clean_notice_date(self):
        value = self.cleaned_data["notice_date"]
        if value > timezone.localdate():
            raise ValidationError("The date of the notice must be today or in the past.")
        return value


def notice_create(request, pk: int):
    if request.user.role not in NOTICE_ROLES:
        raise PermissionDenied
    setting = get_object_or_404(selectors.settings_visible_to(request.user), pk=pk)
    back_url = reverse("placements:setting", kwargs={"pk": setting.pk})
    form = NoticeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice, created = notice_record(
                setting=setting,
                kind=data["kind"],
                notice_date=data["notice_date"],
                notes=data["notes"],
                actor=request.user,
            )
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            if created:
                messages.success(
                    request,
                    f"{notice.get_kind_display()} recorded: a statutory visit is due for every "
                    "child placed there.",
                )
            else:
                messages.info(request, "This notice was already recorded.")
            return redirect(back_url)
    return form_page(
        request,
        form,
        heading="Record an Ofsted notice",
        caption=setting.name,
        back_url=back_url,
        template="escalations/notice_form.html",
    )
