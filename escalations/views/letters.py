"""Letters of concern and provider action plans: the roles in letters.LETTER_ROLES prepare
letters (draft, edit, record delivery and representations) and keep action plans; only
letters.LETTER_ISSUE_ROLES (the assistant director, the director) issue a letter; the
LADO service reads them."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.exports import pdf_response
from core.pages import form_page, handle_form, posted, require_role
from placements.selectors import setting_for

from .. import letters, selectors
from ..forms import (
    LetterDeliveryForm,
    LetterForm,
    LetterIssueForm,
    PlanActionForm,
    RepresentationsForm,
)
from ..models import LetterOfConcern
from .common import _setting_url

# Letters of concern -----------------------------------------------------------------------


def _letter_url(letter_id: int) -> str:
    return reverse("concerns:letter", kwargs={"pk": letter_id})


def _plan_url(plan_id: int) -> str:
    return reverse("concerns:plan", kwargs={"pk": plan_id})


def letter_create(request, setting_pk: int):
    require_role(request.user, letters.LETTER_ROLES)
    setting = setting_for(request.user, setting_pk)
    initial = {
        "addressed_to": setting.provider.contact_name or setting.provider.name,
        "copy_to": setting.provider.responsible_individual,
    }
    return handle_form(
        request,
        LetterForm(posted(request), initial=initial),
        lambda data: letters.letter_draft(setting=setting, actor=request.user, **data),
        done="Draft letter of concern saved.",
        to=lambda letter: _letter_url(letter.pk),
        page=lambda form: form_page(
            request,
            form,
            heading="Draft a letter of concern",
            caption=setting.name,
            back_url=_setting_url(setting.pk),
        ),
    )


def letter_edit(request, pk: int):
    letter = selectors.letter_for(request.user, pk)
    require_role(request.user, letters.LETTER_ROLES)
    if letter.status != LetterOfConcern.Status.DRAFT:
        messages.error(request, "An issued letter cannot be changed.")
        return redirect("concerns:letter", pk=letter.pk)
    return handle_form(
        request,
        LetterForm(posted(request), instance=letter),
        lambda data: letters.letter_update(letter=letter, actor=request.user, **data),
        done="Draft saved.",
        to=_letter_url(letter.pk),
        page=lambda form: form_page(
            request,
            form,
            heading="Edit the letter of concern",
            caption=letter.setting.name,
            back_url=_letter_url(letter.pk),
        ),
    )


def letter_detail(request, pk: int):
    letter = selectors.letter_for(request.user, pk)
    return render(
        request,
        "escalations/letter_detail.html",
        {
            "letter": letter,
            "can_act": request.user.role in letters.LETTER_ROLES,
            "can_issue": request.user.role in letters.LETTER_ISSUE_ROLES,
            "compliance_text": (
                f"{letters.compliance_working_days()} working days after the day it is given"
            ),
            "representations_text": (
                f"{letters.representations_working_days()} working days after the owners receive it"
            ),
        },
    )


def letter_issue(request, pk: int):
    letter = selectors.letter_for(request.user, pk)
    require_role(request.user, letters.LETTER_ISSUE_ROLES)
    return handle_form(
        request,
        LetterIssueForm(posted(request), initial={"given_on": timezone.localdate()}),
        lambda data: letters.letter_issue(
            letter=letter,
            given_on=data["given_on"],
            evidence=data["evidence"],
            actor=request.user,
        ),
        # The service works out the end of the compliance period on the letter.
        done=lambda _: (
            f"Letter issued. The compliance period ends {letter.compliance_ends:%d %B %Y}."
        ),
        to=_letter_url(letter.pk),
        page=lambda form: form_page(
            request,
            form,
            heading="Issue the letter of concern",
            caption=letter.setting.name,
            back_url=_letter_url(letter.pk),
        ),
    )


def letter_delivery(request, pk: int):
    """How and when the owners received the letter: the representation period's start."""
    letter = selectors.letter_for(request.user, pk)
    require_role(request.user, letters.LETTER_ROLES)
    initial = {"delivery_method": letter.delivery_method, "received_on": letter.received_on}
    return handle_form(
        request,
        LetterDeliveryForm(posted(request), initial=initial),
        lambda data: letters.letter_record_delivery(
            letter=letter,
            method=data["delivery_method"],
            received_on=data["received_on"],
            actor=request.user,
            today=timezone.localdate(),
        ),
        done=lambda _: (
            f"Delivery recorded. Representations are due by {letter.representations_due:%d %B %Y}."
        ),
        to=_letter_url(letter.pk),
        page=lambda form: form_page(
            request,
            form,
            heading="Record how the letter was delivered",
            caption=letter.setting.name,
            back_url=_letter_url(letter.pk),
        ),
    )


def letter_representations(request, pk: int):
    letter = selectors.letter_for(request.user, pk)
    require_role(request.user, letters.LETTER_ROLES)
    return handle_form(
        request,
        RepresentationsForm(posted(request)),
        lambda data: letters.letter_record_representations(
            letter=letter,
            text=data["representations"],
            received_on=data["representations_received_on"],
            actor=request.user,
        ),
        done="Representations recorded.",
        to=_letter_url(letter.pk),
        page=lambda form: form_page(
            request,
            form,
            heading="Record representations",
            caption=letter.setting.name,
            back_url=_letter_url(letter.pk),
        ),
    )


def letter_pdf(request, pk: int):
    letter = selectors.letter_for(request.user, pk)
    return pdf_response(
        request,
        "escalations/letter_pdf.html",
        {
            "letter": letter,
            "authority": settings.AUTHORITY_NAME,
            "today": timezone.localdate(),
            "compliance_days": letters.compliance_working_days(),
            "representations_days": letters.representations_working_days(),
        },
        f"letter-of-concern-{letter.pk}.pdf",
    )


# Action plans -----------------------------------------------------------------------------


@require_POST
def plan_create(request, setting_pk: int):
    require_role(request.user, letters.LETTER_ROLES)
    setting = setting_for(request.user, setting_pk)
    plan = letters.plan_create(setting=setting, actor=request.user)
    messages.success(request, "Action plan started. Add its actions.")
    return redirect("concerns:plan", pk=plan.pk)


def plan_detail(request, pk: int):
    plan = selectors.plan_for(request.user, pk)
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
    plan = selectors.plan_for(request.user, plan_pk)
    require_role(request.user, letters.LETTER_ROLES)
    return handle_form(
        request,
        PlanActionForm(posted(request)),
        lambda data: letters.action_add(plan=plan, actor=request.user, **data),
        done="Action added.",
        to=_plan_url(plan.pk),
        page=lambda form: form_page(
            request,
            form,
            heading="Add an action",
            caption=f"Action plan for {plan.setting.name}",
            back_url=_plan_url(plan.pk),
        ),
    )


def action_edit(request, pk: int):
    action = selectors.plan_action_for(request.user, pk)
    return handle_form(
        request,
        PlanActionForm(posted(request), instance=action),
        lambda data: letters.action_update(plan_action=action, actor=request.user, **data),
        done="Action saved.",
        to=_plan_url(action.plan_id),
        page=lambda form: form_page(
            request,
            form,
            heading="Edit the action",
            caption=f"Action plan for {action.plan.setting.name}",
            back_url=_plan_url(action.plan_id),
        ),
    )


@require_POST
def action_complete(request, pk: int):
    action = selectors.plan_action_for(request.user, pk)
    try:
        letters.action_complete(plan_action=action, actor=request.user, today=timezone.localdate())
    except ValidationError as invalid:
        messages.error(request, " ".join(invalid.messages))
    else:
        messages.success(request, "Action marked as done.")
    return redirect("concerns:plan", pk=action.plan_id)
