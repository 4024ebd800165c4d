"""Risk assessments (seed 000): list, view, edit, sign, return with comments, PDF.

A risk assessment of a child the user may not see is a 404, which says nothing about
why; one the user may see but whose step is someone else's is a 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import CASEWORKER_ROLES
from core.exports import pdf_response
from core.pages import handle_form, posted
from placements.access import log_restricted_view

from .. import selectors, services
from ..forms.risk_assessments import ReturnForm, RiskAssessmentForm
from ..models import RiskAssessment, RiskAssessmentSignOff


def risk_assessment_list(request):
    user = request.user
    assessments = selectors.risk_assessments_visible_to(user)
    if user.role in CASEWORKER_ROLES:
        # A caseworker's own: those they lead, and those of the children they hold or
        # advise (Child.personal_adviser: "the Social Worker/ Personal Advisor", seed 000).
        assessments = assessments.filter(
            Q(owner=user) | Q(child__social_worker=user) | Q(child__personal_adviser=user)
        )
    assessments = assessments.select_related("child", "setting", "owner").order_by("due", "pk")
    return render(request, "scoping/risk_assessment_list.html", {"assessments": assessments})


def _with_prefill(ra: RiskAssessment) -> RiskAssessment:
    """Show (not save) the placement's own details where the form has none yet."""
    for name, value in services.placement_prefill(ra).items():
        if getattr(ra, name) in (None, ""):
            setattr(ra, name, value)
    return ra


def _sign_offs(ra: RiskAssessment):
    return list(ra.sign_offs.select_related("user"))


def risk_assessment_detail(request, pk: int):
    ra = selectors.risk_assessment_for(request.user, pk)
    log_restricted_view(request, ra.child)
    ra = _with_prefill(ra)
    sign_offs = _sign_offs(ra)
    step = services.current_step(ra)
    return render(
        request,
        "scoping/risk_assessment_detail.html",
        {
            "ra": ra,
            "child": ra.child,
            "sign_offs": sign_offs,
            "signatures": services.current_signatures(ra, sign_offs),
            "step_label": RiskAssessmentSignOff.Role(step).label if step else "",
            "next_signer": services.signer_for(ra, step),
            "can_edit": services.may_edit(request.user, ra),
            "can_review": services.may_return(request.user, ra),
            "last_return": next(
                (row for row in reversed(sign_offs) if row.decision == "returned"), None
            ),
        },
    )


def _edit_page(request, ra, form, status=200):
    sign_offs = _sign_offs(ra)
    last_return = next((row for row in reversed(sign_offs) if row.decision == "returned"), None)
    return render(
        request,
        "scoping/risk_assessment_form.html",
        {"ra": ra, "child": ra.child, "form": form, "last_return": last_return},
        status=status,
    )


def risk_assessment_edit(request, pk: int):
    ra = selectors.risk_assessment_for(request.user, pk)
    log_restricted_view(request, ra.child)
    if ra.status not in services.EDITABLE:
        messages.info(request, "This risk assessment has been signed, so it cannot be changed.")
        return redirect("scoping:risk_assessment", pk=ra.pk)
    if not services.may_edit(request.user, ra):
        raise PermissionDenied
    if request.method != "POST":
        return _edit_page(request, ra, RiskAssessmentForm(instance=ra))

    form = RiskAssessmentForm(request.POST, instance=ra)
    valid = form.is_valid()
    try:
        # Whatever is valid is saved first, so nothing typed is lost to a failed check.
        saved = services.ra_save_draft(ra=ra, actor=request.user, data=form.valid_data())
    except services.WrongStep:
        messages.info(request, "This risk assessment has already been signed.")
        return redirect("scoping:risk_assessment", pk=ra.pk)
    if not valid:
        messages.info(request, "Your draft was saved, apart from the answers marked below.")
        return _edit_page(request, ra, form)
    if request.POST.get("action") != "sign":
        messages.success(request, "Draft saved. You can come back and sign it later.")
        return redirect("scoping:risk_assessment_edit", pk=ra.pk)
    try:
        services.ra_sign(ra=saved, actor=request.user, now=timezone.now())
    except services.WrongStep:
        messages.info(request, "This risk assessment has already been signed.")
        return redirect("scoping:risk_assessment", pk=ra.pk)
    except ValidationError as invalid:
        form.add_service_errors(invalid.message_dict)
        messages.info(request, "Your answers are saved. Complete the sections marked to sign.")
        return _edit_page(request, ra, form)
    messages.success(request, "Signed and sent to the team manager.")
    return redirect("scoping:risk_assessment", pk=ra.pk)


@require_POST
def risk_assessment_sign(request, pk: int):
    ra = selectors.risk_assessment_for(request.user, pk)
    log_restricted_view(request, ra.child)
    if not services.may_act(request.user, ra):
        raise PermissionDenied
    try:
        ra = services.ra_sign(ra=ra, actor=request.user, now=timezone.now())
    except services.WrongStep:
        raise PermissionDenied from None
    except ValidationError:
        messages.info(request, "Complete the sections marked before you sign.")
        return redirect("scoping:risk_assessment_edit", pk=ra.pk)
    if ra.status == RiskAssessment.Status.SIGNED_OFF:
        messages.success(request, "Risk assessment signed off.")
    else:
        messages.success(request, f"Signed. It is now {ra.get_status_display().lower()}.")
    return redirect("scoping:risk_assessment", pk=ra.pk)


def _not_your_step(refused: services.WrongStep):
    raise PermissionDenied from None


def risk_assessment_return(request, pk: int):
    ra = selectors.risk_assessment_for(request.user, pk)
    log_restricted_view(request, ra.child)
    if not services.may_return(request.user, ra):
        raise PermissionDenied
    return handle_form(
        request,
        ReturnForm(posted(request)),
        lambda data: services.ra_return(
            ra=ra, actor=request.user, comments=data["comments"], now=timezone.now()
        ),
        done="Returned to the lead professional with your comments.",
        to=reverse("scoping:risk_assessment", kwargs={"pk": ra.pk}),
        page=lambda form: render(
            request,
            "scoping/risk_assessment_return.html",
            {"ra": ra, "child": ra.child, "form": form},
        ),
        # Signed or returned meanwhile (a second click): not this user's step any more.
        refused=(services.WrongStep,),
        on_refused=_not_your_step,
    )


def risk_assessment_pdf(request, pk: int):
    ra = selectors.risk_assessment_for(request.user, pk)
    log_restricted_view(request, ra.child)
    ra = _with_prefill(ra)
    sign_offs = _sign_offs(ra)
    lead = next((row for row in sign_offs if row.role == "lead_professional"), None)
    return pdf_response(
        request,
        "scoping/risk_assessment_pdf.html",
        {
            "ra": ra,
            "child": ra.child,
            "sign_offs": sign_offs,
            "signatures": services.current_signatures(ra, sign_offs),
            "lead": services.lead_professional(ra),
            "completed_on": lead.at if lead else None,
            "printed_at": timezone.localtime(),
            "printed_by": request.user,
        },
        f"risk-assessment-{ra.child.child_id}-{ra.pk}.pdf",
    )
