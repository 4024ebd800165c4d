"""Letters of concern and provider action plans: the roles in letters.LETTER_ROLES draft,
issue and record letters and keep action plans; the LADO service reads them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.exports import pdf_response
from core.pages import add_service_errors, form_page, posted, require_role

from .. import letters
from ..forms import (
    LetterForm,
    LetterIssueForm,
    PlanActionForm,
    RepresentationsForm,
)
from ..models import ActionPlan, LetterOfConcern, PlanAction
from .common import LETTER_READ_ROLES, _setting, _setting_url

# Letters of concern -----------------------------------------------------------------------


def _letter_for(request, pk: int) -> LetterOfConcern:
    require_role(request.user, LETTER_READ_ROLES)
    return get_object_or_404(
        LetterOfConcern.objects.select_related(
            "setting", "setting__provider", "drafted_by", "issued_by"
        ),
        pk=pk,
    )


def letter_create(request, setting_pk: int):
    require_role(request.user, letters.LETTER_ROLES)
    setting = _setting(request, setting_pk)
    initial = {
        "addressed_to": setting.provider.contact_name or setting.provider.name,
        "copy_to": setting.provider.responsible_individual,
    }
    form = LetterForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            letter = letters.letter_draft(setting=setting, actor=request.user, **form.cleaned_data)
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(request, "Draft letter of concern saved.")
            return redirect("concerns:letter", pk=letter.pk)
    return form_page(
        request,
        form,
        heading="Draft a letter of concern",
        caption=setting.name,
        back_url=_setting_url(setting.pk),
    )


def letter_edit(request, pk: int):
    letter = _letter_for(request, pk)
    require_role(request.user, letters.LETTER_ROLES)
    if letter.status != LetterOfConcern.Status.DRAFT:
        messages.error(request, "An issued letter cannot be changed.")
        return redirect("concerns:letter", pk=letter.pk)
    form = LetterForm(posted(request), instance=letter)
    if request.method == "POST" and form.is_valid():
        try:
            letters.letter_update(letter=letter, actor=request.user, **form.cleaned_data)
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(request, "Draft saved.")
            return redirect("concerns:letter", pk=letter.pk)
    return form_page(
        request,
        form,
        heading="Edit the letter of concern",
        caption=letter.setting.name,
        back_url=reverse("concerns:letter", kwargs={"pk": letter.pk}),
    )


def letter_detail(request, pk: int):
    letter = _letter_for(request, pk)
    return render(
        request,
        "escalations/letter_detail.html",
        {"letter": letter, "can_act": request.user.role in letters.LETTER_ROLES},
    )


def letter_issue(request, pk: int):
    letter = _letter_for(request, pk)
    require_role(request.user, letters.LETTER_ROLES)
    form = LetterIssueForm(
        posted(request),
        initial={"given_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            letters.letter_issue(
                letter=letter, given_on=form.cleaned_data["given_on"], actor=request.user
            )
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(
                request,
                f"Letter issued. The compliance period ends {letter.compliance_ends:%d %B %Y}.",
            )
            return redirect("concerns:letter", pk=letter.pk)
    return form_page(
        request,
        form,
        heading="Issue the letter of concern",
        caption=letter.setting.name,
        back_url=reverse("concerns:letter", kwargs={"pk": letter.pk}),
    )


def letter_representations(request, pk: int):
    letter = _letter_for(request, pk)
    require_role(request.user, letters.LETTER_ROLES)
    form = RepresentationsForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            letters.letter_record_representations(
                letter=letter,
                text=form.cleaned_data["representations"],
                received_on=form.cleaned_data["representations_received_on"],
                actor=request.user,
            )
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(request, "Representations recorded.")
            return redirect("concerns:letter", pk=letter.pk)
    return form_page(
        request,
        form,
        heading="Record representations",
        caption=letter.setting.name,
        back_url=reverse("concerns:letter", kwargs={"pk": letter.pk}),
    )


def letter_pdf(request, pk: int):
    letter = _letter_for(request, pk)
    from django.conf import settings

    return pdf_response(
        request,
        "escalations/letter_pdf.html",
        {"letter": letter, "authority": settings.AUTHORITY_NAME, "today": timezone.localdate()},
        f"letter-of-concern-{letter.pk}.pdf",
    )


# Action plans -----------------------------------------------------------------------------


@require_POST
def plan_create(request, setting_pk: int):
    require_role(request.user, letters.LETTER_ROLES)
    setting = _setting(request, setting_pk)
    plan = letters.plan_create(setting=setting, actor=request.user)
    messages.success(request, "Action plan started. Add its actions.")
    return redirect("concerns:plan", pk=plan.pk)


def _plan_for(request, pk: int) -> ActionPlan:
    require_role(request.user, LETTER_READ_ROLES)
    return get_object_or_404(ActionPlan.objects.select_related("setting", "created_by"), pk=pk)


def plan_detail(request, pk: int):
    plan = _plan_for(request, pk)
    return render(
        request,
        "escalations/plan_detail.html",
        {
            "plan": plan,
            "actions": plan.actions.all(),
            "can_act": request.user.role in letters.LETTER_ROLES,
        },
    )


def action_add(request, plan_pk: int):
    plan = _plan_for(request, plan_pk)
    require_role(request.user, letters.LETTER_ROLES)
    form = PlanActionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            letters.action_add(plan=plan, actor=request.user, **form.cleaned_data)
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(request, "Action added.")
            return redirect("concerns:plan", pk=plan.pk)
    return form_page(
        request,
        form,
        heading="Add an action",
        caption=f"Action plan for {plan.setting.name}",
        back_url=reverse("concerns:plan", kwargs={"pk": plan.pk}),
    )


def _action_for(request, pk: int) -> PlanAction:
    require_role(request.user, letters.LETTER_ROLES)
    return get_object_or_404(
        PlanAction.objects.select_related("plan", "plan__setting", "plan__created_by"), pk=pk
    )


def action_edit(request, pk: int):
    action = _action_for(request, pk)
    form = PlanActionForm(posted(request), instance=action)
    if request.method == "POST" and form.is_valid():
        try:
            letters.action_update(plan_action=action, actor=request.user, **form.cleaned_data)
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(request, "Action saved.")
            return redirect("concerns:plan", pk=action.plan_id)
    return form_page(
        request,
        form,
        heading="Edit the action",
        caption=f"Action plan for {action.plan.setting.name}",
        back_url=reverse("concerns:plan", kwargs={"pk": action.plan_id}),
    )


@require_POST
def action_complete(request, pk: int):
    action = _action_for(request, pk)
    try:
        letters.action_complete(plan_action=action, actor=request.user, today=timezone.localdate())
    except ValidationError as invalid:
        messages.error(request, " ".join(invalid.messages))
    else:
        messages.success(request, "Action marked as done.")
    return redirect("concerns:plan", pk=action.plan_id)
