"""Concerns about a provision, its concern level, letters of concern and action plans.

Anyone may record a concern about a setting (about a child only if they may see the
child); the roles in concerns.CONCERN_LEVEL_ROLES set the level and close concerns;
the roles in letters.LETTER_ROLES draft, issue and record letters and keep action plans.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Role
from core.exports import pdf_response
from core.pages import add_service_errors, form_page, posted, require_role
from placements import selectors
from placements.models import Setting

from . import concerns, letters
from .forms import (
    ConcernCloseForm,
    ConcernForm,
    ConcernLevelForm,
    LetterForm,
    LetterIssueForm,
    PlanActionForm,
    RepresentationsForm,
)
from .models import ActionPlan, Concern, ConcernLevelChange, LetterOfConcern, PlanAction

# Letters and plans are read by those who act on them, and by the LADO service.
LETTER_READ_ROLES = letters.LETTER_ROLES | {Role.LADO}


def _setting(request, pk: int) -> Setting:
    return get_object_or_404(
        selectors.settings_visible_to(request.user).select_related("provider"), pk=pk
    )


def _setting_url(setting_id: int) -> str:
    return reverse("placements:setting", kwargs={"pk": setting_id})


# Concerns ---------------------------------------------------------------------------------


def concern_create(request, setting_pk: int):
    setting = _setting(request, setting_pk)
    today = timezone.localdate()
    children = selectors.children_visible_to(request.user).filter(
        pk__in=selectors.setting_children_now(request.user, setting, today).values("child_id")
    )
    form = ConcernForm(
        posted(request),
        children=children.order_by("last_name", "first_name"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            concerns.concern_record(setting=setting, actor=request.user, **form.cleaned_data)
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(request, "Concern recorded. The managers responsible have been told.")
            return redirect("placements:setting", pk=setting.pk)
    return form_page(
        request,
        form,
        heading="Record a concern about this setting",
        caption=setting.name,
        back_url=_setting_url(setting.pk),
    )


def _concern_for(request, pk: int) -> Concern:
    """One query scoped like the child: a hidden concern and a missing one look the same."""
    visible = Concern.objects.filter(
        Q(child__isnull=True) | selectors.child_visibility(request.user, prefix="child__")
    )
    return get_object_or_404(visible.select_related("setting", "child", "recorded_by"), pk=pk)


def concern_detail(request, pk: int):
    concern = _concern_for(request, pk)
    can_close = (
        request.user.role in concerns.CONCERN_LEVEL_ROLES and concern.status == Concern.Status.OPEN
    )
    form = ConcernCloseForm(posted(request)) if can_close else None
    if request.method == "POST":
        if not can_close:
            raise PermissionDenied
        if form.is_valid():
            try:
                concerns.concern_close(
                    concern=concern,
                    reason=form.cleaned_data["closed_reason"],
                    actor=request.user,
                    today=timezone.localdate(),
                )
            except ValidationError as invalid:
                add_service_errors(form, invalid)
            else:
                messages.success(request, "Concern closed.")
                return redirect("concerns:concern", pk=concern.pk)
    return render(request, "escalations/concern_detail.html", {"concern": concern, "form": form})


# Concern level ----------------------------------------------------------------------------


def level_set(request, setting_pk: int):
    require_role(request.user, concerns.CONCERN_LEVEL_ROLES)
    setting = _setting(request, setting_pk)
    form = ConcernLevelForm(posted(request), initial={"level": setting.concern_level})
    if request.method == "POST" and form.is_valid():
        try:
            concerns.concern_level_set(setting=setting, actor=request.user, **form.cleaned_data)
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(request, "Concern level set.")
            return redirect("placements:setting", pk=setting.pk)
    return form_page(
        request,
        form,
        heading="Set the concern level",
        caption=f"{setting.name}: now {setting.get_concern_level_display()}",
        back_url=_setting_url(setting.pk),
    )


def level_history(request, setting_pk: int):
    setting = _setting(request, setting_pk)
    changes = ConcernLevelChange.objects.filter(setting=setting).select_related(
        "set_by", "inspection"
    )
    return render(
        request,
        "escalations/level_history.html",
        {"setting": setting, "changes": changes},
    )


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
