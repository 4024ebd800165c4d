"""A setting's incidents in the browser: the list, recording one on the setting's behalf,
the incident with its duties and debriefs, the home's report received, and a debrief.

Every view checks the role first (403), then finds the record among those the user may
read (404: a hidden incident and a missing one look the same). A child's name is shown only
to those who may see the child.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from core.pages import form_page, handle_form, paginate, posted, require_role
from duties.models import Duty
from duties.timescales import current
from placements.selectors import CHILD_LIST_ROLES, child_for, children_visible_to, setting_for

from .. import rules, selectors, services
from ..forms import DebriefForm, IncidentForm, ReportReceivedForm
from ..models import Debrief


def _incident_url(pk: int) -> str:
    return reverse("incidents:incident", kwargs={"pk": pk})


def _setting_url(pk: int) -> str:
    return reverse("incidents:setting_incidents", kwargs={"pk": pk})


def setting_incidents(request, pk: int):
    require_role(request.user, selectors.READ_ROLES)
    setting = setting_for(request.user, pk)
    page, query = paginate(request, selectors.setting_incidents(request.user, setting))
    return render(
        request,
        "incidents/setting_incidents.html",
        {
            "setting": setting,
            "page": page,
            "query": query,
            "can_record": request.user.role in selectors.RECORD_ROLES,
        },
    )


def incident_create(request, pk: int):
    user = request.user
    require_role(user, selectors.RECORD_ROLES)
    setting = setting_for(user, pk)
    today = timezone.localdate()
    children = services.choosable_children(user, setting, today).order_by("last_name", "first_name")
    return handle_form(
        request,
        IncidentForm(posted(request), children=children),
        lambda data: services.incident_record(
            setting=setting,
            kind=data["kind"],
            kind_detail=data["kind_detail"],
            occurred_on=data["occurred_on"],
            occurred_time=data["occurred_time"],
            children=data["children"],
            restraint_used=data["restraint_used"],
            police_involved=data["police_involved"],
            injury=data["injury"],
            summary=data["summary"],
            report_received_on=data["report_received_on"],
            report_received_time=data["report_received_time"],
            actor=user,
        ),
        done="Incident recorded. Its report and debriefs are tracked as duties.",
        to=lambda incident: _incident_url(incident.pk),
        page=lambda form: form_page(
            request,
            form,
            heading="Record an incident",
            caption=setting.name,
            back_url=_setting_url(setting.pk),
        ),
    )


def incident_detail(request, pk: int):
    user = request.user
    require_role(user, selectors.READ_ROLES)
    incident = selectors.incident_for(user, pk)
    found = current(rules.IncidentRules)
    start = rules.instant(incident.occurred_on, incident.occurred_time)
    children = list(selectors.children_prefetch(user).queryset.filter(incidents=incident))
    visible = {child.pk for child in children if child.visible}
    debriefs = []
    for debrief in incident.debriefs.select_related("child", "recorded_by"):
        debrief.child_visible = debrief.child_id is None or debrief.child_id in visible
        debrief.timeliness = (
            rules.debrief_timeliness(start, debrief.held_at, found)
            if debrief.kind == Debrief.Kind.CHILD
            else ""
        )
        debriefs.append(debrief)
    duties = list(
        Duty.objects.filter(subject__startswith=f"incident:{incident.pk}:").order_by("due_at", "pk")
    )
    report_due = next((d.due_at for d in duties if d.kind == rules.INCIDENT_REPORT), None)
    open_kinds = {d.kind for d in duties if d.status == Duty.Status.OPEN}
    staff_done = any(d.kind == Debrief.Kind.STAFF for d in debriefs)
    return render(
        request,
        "incidents/incident_detail.html",
        {
            "incident": incident,
            "children": children,
            "debriefs": debriefs,
            "duties": duties,
            "now": timezone.now(),
            "child_debrief_limit": (rules.child_debrief_limit(start, found) if children else None),
            "limit_hours": found.child_debrief_limit_hours,
            "can_record": user.role in selectors.RECORD_ROLES,
            "children_to_debrief": rules.CHILD_DEBRIEF in open_kinds,
            "debrief_to_record": not staff_done or rules.CHILD_DEBRIEF in open_kinds,
            "report_late": bool(
                incident.report_received_at
                and report_due
                and incident.report_received_at > report_due
            ),
        },
    )


def incident_report(request, pk: int):
    user = request.user
    require_role(user, selectors.RECORD_ROLES)
    incident = selectors.incident_for(user, pk)
    if incident.report_received_at is not None:
        messages.info(request, "The home's report is already recorded as received.")
        return redirect(_incident_url(incident.pk))
    return handle_form(
        request,
        ReportReceivedForm(posted(request)),
        lambda data: services.incident_report_received(
            incident=incident,
            received_on=data["received_on"],
            received_time=data["received_time"],
            actor=user,
        ),
        done="The home's report is recorded as received.",
        to=_incident_url(incident.pk),
        page=lambda form: form_page(
            request,
            form,
            heading="Record the home's report as received",
            caption=f"{incident.kind_label}, {incident.setting.name}",
            back_url=_incident_url(incident.pk),
        ),
    )


def incident_debrief(request, pk: int):
    """A staff debrief (once) or a child's (once each child involved whom the user sees)."""
    user = request.user
    require_role(user, selectors.RECORD_ROLES)
    incident = selectors.incident_for(user, pk)
    done = list(incident.debriefs.values_list("kind", "child_id"))
    kinds = []
    if (Debrief.Kind.STAFF, None) not in done:
        kinds.append(Debrief.Kind.STAFF)
    debriefed = {child_id for kind, child_id in done if kind == Debrief.Kind.CHILD}
    children = (
        children_visible_to(user)
        .filter(incidents=incident)
        .exclude(pk__in=debriefed)
        .order_by("last_name", "first_name")
    )
    if children.exists():
        kinds.append(Debrief.Kind.CHILD)
    if not kinds:
        messages.info(request, "Every debrief you can record for this incident is recorded.")
        return redirect(_incident_url(incident.pk))
    return handle_form(
        request,
        DebriefForm(posted(request), children=children, kinds=kinds),
        lambda data: services.debrief_record(
            incident=incident,
            kind=data["kind"],
            child=data.get("child"),
            held_on=data["held_on"],
            held_time=data["held_time"],
            notes=data["notes"],
            actor=user,
        ),
        done=lambda debrief: f"{debrief.get_kind_display()} recorded.",
        to=_incident_url(incident.pk),
        page=lambda form: form_page(
            request,
            form,
            heading="Record a debrief",
            caption=f"{incident.kind_label}, {incident.setting.name}",
            back_url=_incident_url(incident.pk),
        ),
    )


def child_incidents(request, pk: int):
    """The incidents a child was involved in, and the allegations about them, that the
    user may read."""
    user = request.user
    require_role(user, CHILD_LIST_ROLES)
    child = child_for(user, pk)
    return render(
        request,
        "incidents/child_incidents.html",
        {
            "child": child,
            "incidents": selectors.child_incidents(user, child)[:200],
            "allegations": selectors.allegations_visible_to(user)
            .filter(children=child)
            .select_related("setting")
            .order_by("-known_at")[:200],
        },
    )
