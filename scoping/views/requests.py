"""Scoping meeting requests in the browser: request (by route), list, view, decide, resubmit.

Every view checks the role first (403), then finds the record among those the user may see
(404: a hidden request and a missing one look the same). A request's page names only the
children its reader may see.
"""

from django.contrib import messages
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.pages import form_page, handle_form, posted, require_role
from escalations.models import IroEscalation
from incidents.selectors import allegation_for
from placements.models import Setting
from placements.selectors import children_visible_to

from .. import meetings, selectors
from .. import requests as services
from ..forms.requests import DecideForm, RequestForm, ResubmitForm, SettingChoiceForm
from ..models import ScopingRequest, ScopingRequestEvent

Status = ScopingRequest.Status
LIST_ROLES = services.REQUEST_ROLES | selectors.READ_ALL_ROLES


def _detail_url(pk: int) -> str:
    return reverse("scoping:request", kwargs={"pk": pk})


# Request ---------------------------------------------------------------------------------


def _int_param(request, name: str) -> int | None:
    value = request.GET.get(name)
    if value is None:
        return None
    if not value.isdigit() or len(value) > 12:
        raise Http404(f"No such {name}")
    return int(value)


def request_create(request):
    """By role: a professional's route 2, the LADO service's route 1 (a pattern of concern)
    and the assistant director's route 3. ``?setting=<pk>``, or ``?escalation=<pk>`` for the
    IRO who raised the escalation; with neither, the setting is chosen first.
    ``?setting=<pk>&allegation=<pk>``: an allegation about the setting's staff (one the user
    may read, 404 otherwise) named in the request's concerns as its evidence."""
    user = request.user
    require_role(user, services.REQUEST_ROLES)
    route = services.ROUTE_FOR_ROLE[user.role]
    escalation_pk = _int_param(request, "escalation")
    setting_pk = _int_param(request, "setting")
    allegation_pk = _int_param(request, "allegation")
    escalation = None
    today = timezone.localdate()
    if escalation_pk is not None:
        escalation = selectors.request_escalation_for(user, escalation_pk)
        if escalation.status != IroEscalation.Status.OPEN:
            made = escalation.scoping_requests.order_by("-pk").first()
            if made is None:
                raise Http404("The escalation is not open")
            messages.info(request, "A scoping meeting was requested from this escalation.")
            return redirect("scoping:request", pk=made.pk)
        setting = escalation.setting or (
            escalation.placement.setting if escalation.placement else None
        )
        if setting is None:
            raise Http404("The escalation is about no setting")
    elif setting_pk is not None:
        setting = get_object_or_404(Setting, pk=setting_pk)
    else:
        choose = SettingChoiceForm(posted(request))
        if request.method == "POST" and choose.is_valid():
            return redirect(
                f"{reverse('scoping:request_create')}?setting={choose.cleaned_data['setting'].pk}"
            )
        return form_page(
            request,
            choose,
            heading="Request a scoping meeting",
            back_url=reverse("scoping:requests"),
        )

    children = None
    initial = {}
    if escalation is not None:
        initial = services.escalation_prefill(escalation)
    else:
        if allegation_pk is not None:
            allegation = allegation_for(user, allegation_pk)
            if allegation.setting_id != setting.pk:
                raise Http404("The allegation is not about this setting")
            initial = services.allegation_prefill(allegation)
            initial["children"] = list(allegation.children.values_list("pk", flat=True))
        children = services.choosable_children(user, setting, today).order_by(
            "last_name", "first_name"
        )
    heading = {
        services.Route.PROFESSIONAL: "Request a scoping meeting",
        services.Route.CONCERNS: "Open a scoping meeting request: pattern of concern",
        services.Route.CORPORATE_PARENTING: "Raise a scoping meeting request",
    }[route]
    return handle_form(
        request,
        RequestForm(posted(request), route=route, children=children, initial=initial),
        lambda data: services.request_submit(
            setting=setting,
            actor=user,
            concerns=data["concerns"],
            what_was_tried=data["what_was_tried"],
            health_concerns=data["health_concerns"],
            children=data.get("children") or (),
            escalation=escalation,
        ),
        done=lambda made: (
            "Request sent to the assistant director to decide."
            if made.status == Status.SUBMITTED
            else "Request raised. The LADO service will convene the scoping meeting."
        ),
        to=lambda made: _detail_url(made.pk),
        page=lambda form: form_page(
            request,
            form,
            heading=heading,
            caption=setting.name,
            back_url=reverse("placements:setting", kwargs={"pk": setting.pk}),
            template="scoping/requests/form.html",
            route=services.Route(route),
            escalation=escalation,
            escalation_child_visible=(
                escalation is not None
                and children_visible_to(user).filter(pk=escalation.child_id).exists()
            ),
        ),
    )


# List and detail -------------------------------------------------------------------------


def request_list(request):
    user = request.user
    require_role(user, LIST_ROLES)
    rows = ScopingRequest.objects.all()
    if user.role in services.DECIDE_ROLES:
        heading = "Scoping meeting requests"
    elif user.role == Role.LADO:
        # To convene, and those the LADO service opened.
        rows = rows.filter(Q(status__in=[Status.APPROVED, Status.CONVENED]) | Q(requested_by=user))
        heading = "Scoping meeting requests to convene"
    else:
        rows = rows.filter(requested_by=user)
        heading = "Your scoping meeting requests"
    rows = rows.annotate(
        waiting=Case(
            When(status=Status.SUBMITTED, then=Value(0)),
            When(status=Status.APPROVED, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).select_related("setting", "requested_by")
    rows = rows.order_by("waiting", "-requested_at", "-pk")
    return render(
        request,
        "scoping/requests/list.html",
        {
            "rows": rows,
            "heading": heading,
            "can_request": user.role in services.REQUEST_ROLES,
        },
    )


def request_detail(request, pk: int):
    user = request.user
    require_role(user, LIST_ROLES)
    found = selectors.scoping_request_for(user, pk)
    visible_children = children_visible_to(user).order_by("last_name", "first_name")
    children = list(found.children.filter(pk__in=visible_children.values("pk")))
    events = found.events.select_related("by")
    return render(
        request,
        "scoping/requests/detail.html",
        {
            "req": found,
            "children": children,
            "events": events,
            "can_decide": user.role in services.DECIDE_ROLES and found.status == Status.SUBMITTED,
            "can_resubmit": found.requested_by_id == user.pk
            and found.route == services.Route.PROFESSIONAL
            and found.status in services.RESUBMITTABLE,
            "convene_duty": services.convene_duty_for(found)
            if found.status == Status.APPROVED
            else None,
            "can_convene": found.status == Status.APPROVED and meetings.may_edit(user),
            # The meetings convened from it that this user may open (invitees, LADO, AD).
            "meetings": meetings.meetings_visible_to(user).filter(request=found).order_by("date"),
        },
    )


# Decide and resubmit ---------------------------------------------------------------------


def request_decide(request, pk: int):
    user = request.user
    require_role(user, services.DECIDE_ROLES)
    found = selectors.scoping_request_for(user, pk)
    if found.status != Status.SUBMITTED:
        messages.info(request, "This request is not waiting for a decision.")
        return redirect("scoping:request", pk=found.pk)
    return handle_form(
        request,
        DecideForm(posted(request)),
        lambda data: services.request_decide(
            request=found, decision=data["decision"], reasons=data["reasons"], actor=user
        ),
        done="Decision recorded. The requester has been told.",
        to=_detail_url(found.pk),
        page=lambda form: form_page(
            request,
            form,
            heading="Decide the scoping meeting request",
            caption=found.setting.name,
            back_url=_detail_url(found.pk),
            template="scoping/requests/decide.html",
            req=found,
        ),
    )


def request_resubmit(request, pk: int):
    user = request.user
    require_role(user, services.PROFESSIONAL_ROLES)
    # A professional sees only the requests they made (scoping_requests_visible_to): only
    # the requester resubmits.
    found = selectors.scoping_request_for(user, pk)
    if found.route != services.Route.PROFESSIONAL or found.status not in services.RESUBMITTABLE:
        messages.info(request, "This request is not waiting to be resubmitted.")
        return redirect("scoping:request", pk=found.pk)

    def page(form):
        last = (
            found.events.filter(
                kind__in=[
                    ScopingRequestEvent.Kind.REFUSED,
                    ScopingRequestEvent.Kind.MORE_INFORMATION,
                ]
            )
            .order_by("-at", "-pk")
            .first()
        )
        return form_page(
            request,
            form,
            heading="Amend and resubmit the request",
            caption=found.setting.name,
            back_url=_detail_url(found.pk),
            template="scoping/requests/resubmit.html",
            req=found,
            last_decision=last,
        )

    return handle_form(
        request,
        ResubmitForm(
            posted(request),
            initial={
                "concerns": found.concerns,
                "what_was_tried": found.what_was_tried,
                "health_concerns": found.health_concerns,
            },
        ),
        lambda data: services.request_resubmit(request=found, actor=user, **data),
        done="Request resubmitted to the assistant director.",
        to=_detail_url(found.pk),
        page=page,
    )
