"""IRO escalations in the browser (escalations/iro.py has the rules).

Every page: the role first (403), then the child (404, the same page a missing record
answers), then whose turn it is (403). Those who may read an escalation: caseworkers,
managers, IROs and senior managers, for the children they may see (escalations.selectors).
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.pages import add_service_errors, form_page, handle_form, posted, require_role
from placements.selectors import child_for
from visits.models import Visit

from .. import iro, selectors
from ..forms import AdvanceForm, EscalationForm, ResolveForm, ResponseForm
from ..models import EscalationStage, IroEscalation

PAGE_SIZE = 50


def _detail_url(escalation_id: int) -> str:
    return reverse("escalations:iro_escalation", kwargs={"pk": escalation_id})


def escalation_list(request):
    require_role(request.user, selectors.ESCALATION_READ_ROLES)
    status = request.GET.get("status", IroEscalation.Status.OPEN)
    if status not in IroEscalation.Status.values:
        status = ""
    rows = selectors.escalations_visible_to(request.user)
    if status:
        rows = rows.filter(status=status)
    child_pk = request.GET.get("child", "")
    if child_pk.isdigit():
        rows = rows.filter(child_id=int(child_pk))
    rows = rows.select_related("child", "raised_by", "setting").prefetch_related(
        Prefetch(
            "stages",
            queryset=EscalationStage.objects.select_related("respondent"),
            to_attr="stage_rows",
        )
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for escalation in page:
        escalation.current = next(
            (s for s in escalation.stage_rows if s.stage == escalation.stage), None
        )
    return render(
        request,
        "escalations/iro_escalation_list.html",
        {
            "page": page,
            "status": status,
            "statuses": IroEscalation.Status.choices,
            "query": urlencode(
                {"status": status or "all", **({"child": child_pk} if child_pk.isdigit() else {})}
            ),
            "today": timezone.localdate(),
        },
    )


def escalation_create(request, child_pk: int):
    require_role(request.user, {Role.IRO})
    child = child_for(request.user, child_pk)
    visits = Visit.objects.filter(child=child, status=Visit.Status.FINISHED).order_by(
        "-visited_at", "-pk"
    )
    return handle_form(
        request,
        EscalationForm(posted(request), visits=visits),
        lambda data: iro.escalation_raise(
            child=child, actor=request.user, today=timezone.localdate(), **data
        ),
        done="Escalation raised. The social worker has been asked to reply.",
        to=lambda escalation: _detail_url(escalation.pk),
        page=lambda form: form_page(
            request,
            form,
            heading="Raise an escalation",
            caption=f"{child.name} ({child.child_id})",
            back_url=reverse("placements:child", kwargs={"pk": child.pk}),
        ),
    )


def _detail(request, escalation: IroEscalation, *, response_form=None, status=200):
    today = timezone.localdate()
    stages = list(escalation.stages.select_related("respondent", "responded_by"))
    current = next(
        (
            s
            for s in stages
            if s.stage == escalation.stage
            and s.closed_on is None
            and escalation.status == IroEscalation.Status.OPEN
        ),
        None,
    )
    user = request.user
    can_respond = (
        current is not None and current.respondent_id == user.pk and not current.responded_at
    )
    if can_respond and response_form is None:
        response_form = ResponseForm()
    can_act = user.role == Role.IRO and escalation.status == IroEscalation.Status.OPEN
    context = {
        "escalation": escalation,
        "stages": stages,
        "current": current,
        "evidence_visits": list(escalation.evidence_visits.order_by("-visited_at", "-pk")),
        "response_form": response_form if can_respond else None,
        "can_advance": can_act and iro.next_stage(escalation.stage) is not None,
        "can_resolve": can_act,
        "may_request_scoping": can_act and iro.may_request_scoping(escalation, current, today),
        "today": today,
    }
    return render(request, "escalations/iro_escalation_detail.html", context, status=status)


def escalation_detail(request, pk: int):
    return _detail(request, selectors.escalation_for(request.user, pk))


def escalation_stage(request, pk: int):
    """The page a stage's duty links to; its respondent replies here."""
    # The named respondent may always open the stage they are asked to answer.
    stage = selectors.escalation_stage_for(request.user, pk)
    escalation = stage.escalation
    if request.method != "POST":
        return _detail(request, escalation)
    if stage.respondent_id != request.user.pk:
        raise PermissionDenied
    form = ResponseForm(request.POST)
    if form.is_valid():
        try:
            iro.stage_respond(
                stage=stage,
                response=form.cleaned_data["response"],
                actor=request.user,
                now=timezone.now(),
            )
        except ValidationError as invalid:
            if not hasattr(invalid, "error_dict"):
                messages.error(request, " ".join(invalid.messages))
                return redirect(_detail_url(escalation.pk))
            add_service_errors(form, invalid)
        else:
            messages.success(request, "Reply sent. The IRO has been told.")
            return redirect(_detail_url(escalation.pk))
    return _detail(request, escalation, response_form=form)


def _iro_step(request, pk: int) -> IroEscalation:
    escalation = selectors.escalation_for(request.user, pk)
    if request.user.role != Role.IRO:
        raise PermissionDenied
    return escalation


def escalation_advance(request, pk: int):
    escalation = _iro_step(request, pk)
    following = iro.next_stage(escalation.stage)
    if escalation.status != IroEscalation.Status.OPEN or following is None:
        messages.error(request, "This escalation cannot move to another stage.")
        return redirect(_detail_url(escalation.pk))
    return handle_form(
        request,
        AdvanceForm(posted(request), initial={"from_stage": escalation.stage}),
        lambda data: iro.escalation_advance(
            escalation=escalation,
            reasons=data["reasons"],
            from_stage=data["from_stage"],
            actor=request.user,
            today=timezone.localdate(),
        ),
        done="The escalation has moved to the next stage.",
        to=_detail_url(escalation.pk),
        page=lambda form: form_page(
            request,
            form,
            heading=f"Move to “{iro.Stage(following).label}”",
            caption=f"Escalation for {escalation.child.name} ({escalation.child.child_id})",
            back_url=_detail_url(escalation.pk),
        ),
    )


def escalation_resolve(request, pk: int):
    escalation = _iro_step(request, pk)
    if escalation.status != IroEscalation.Status.OPEN:
        messages.error(request, "This escalation is no longer open.")
        return redirect(_detail_url(escalation.pk))
    return handle_form(
        request,
        ResolveForm(posted(request)),
        lambda data: iro.escalation_resolve(
            escalation=escalation,
            resolution=data["resolution"],
            actor=request.user,
            today=timezone.localdate(),
        ),
        done="Escalation resolved.",
        to=_detail_url(escalation.pk),
        page=lambda form: form_page(
            request,
            form,
            heading="Resolve the escalation",
            caption=f"Escalation for {escalation.child.name} ({escalation.child.child_id})",
            back_url=_detail_url(escalation.pk),
        ),
    )
