"""Scoping meetings (seed 000): list, page, convene, minutes, actions, PDF and CSV.

A meeting the user may not open (not an invitee, not LADO, not the assistant director) is
a 404, found by the same one query as a meeting that does not exist. One the user may open
but not change (anyone but the LADO service) is a 403. No page names a child: they are
Child 1, Child 2… with initials.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.exports import csv_response, pdf_response
from core.pages import form_page, handle_form, posted
from placements.models import AccessLog, Setting

from .. import actions, meetings, selectors
from ..forms.meetings import (
    ActionDoneForm,
    ActionForm,
    ActionWithdrawForm,
    AttendanceForm,
    ChildReviewForm,
    ConveneForm,
    FinaliseForm,
    InviteeForm,
    MinutesForm,
)
from ..models import MeetingAction, MeetingInvitee, ScopingMeeting, ScopingRequest


def _editable(request, pk: int) -> ScopingMeeting:
    """A meeting the user may open (404 otherwise) and change (403 otherwise)."""
    meeting = selectors.meeting_for(request.user, pk)
    if not meetings.may_edit(request.user):
        raise PermissionDenied
    return meeting


def _meeting_url(meeting) -> str:
    return reverse("scoping:meeting", kwargs={"pk": meeting.pk})


def _finalised(request, meeting):
    messages.info(request, "The minutes are finalised, so the meeting cannot be changed.")
    return redirect(_meeting_url(meeting))


def _page(request, meeting, /, *, heading: str, **extra):
    """The ``page`` of a form about a meeting, for ``handle_form``: the form with the
    meeting as its caption and the way back to it, and ``extra`` context."""
    return lambda form: form_page(
        request,
        form,
        heading=heading,
        caption=str(meeting),
        back_url=_meeting_url(meeting),
        **extra,
    )


def meeting_list(request):
    rows = (
        meetings.meetings_visible_to(request.user)
        .select_related("setting", "chair")
        .annotate(
            open_actions=Count("actions", filter=Q(actions__status=MeetingAction.Status.OPEN))
        )
        .order_by("-date", "-pk")
    )
    return render(
        request,
        "scoping/meeting_list.html",
        {
            "meetings": rows,
            "can_convene": meetings.may_edit(request.user),
            "to_convene": meetings.to_convene() if meetings.may_edit(request.user) else [],
        },
    )


def _minutes_context(meeting: ScopingMeeting) -> dict:
    invitees = list(meeting.invitees.all())
    children = list(meeting.children.all())
    actions = list(meeting.actions.select_related("owner", "meeting_child"))
    by_child: dict = {c.pk: [] for c in children}
    provision_actions = []
    for action in actions:
        if action.meeting_child_id is None:
            provision_actions.append(action)
        else:
            by_child.setdefault(action.meeting_child_id, []).append(action)
    for child in children:
        child.agreed_actions = by_child.get(child.pk, [])
    return {
        "meeting": meeting,
        "invitees": invitees,
        "attended": [i for i in invitees if i.attendance == MeetingInvitee.Attendance.ATTENDED],
        "apologies": [i for i in invitees if i.attendance == MeetingInvitee.Attendance.APOLOGIES],
        "children": children,
        "actions": actions,
        "provision_actions": provision_actions,
        "health_missing": (
            meeting.request is not None
            and meeting.request.health_concerns
            and not any(i.health_professional for i in invitees)
        ),
    }


def meeting_detail(request, pk: int):
    meeting = selectors.meeting_for(request.user, pk)
    context = _minutes_context(meeting)
    can_edit = meetings.may_edit(request.user) and meeting.status == "convened"
    return render(
        request,
        "scoping/meeting_detail.html",
        {
            **context,
            "can_edit": can_edit,
            "may_convene_review": (
                meetings.may_edit(request.user)
                and meeting.status == "finalised"
                and not ScopingMeeting.objects.filter(previous=meeting).exists()
            ),
            "finalise_errors": meetings.finalise_errors(meeting) if can_edit else {},
        },
    )


def meeting_convene(request, pk: int):
    """Convene a meeting about the setting ``pk``: ``?request=`` an approved request, or
    ``?previous=`` the meeting it reviews, or neither (route 1)."""
    if not meetings.may_edit(request.user):
        raise PermissionDenied
    setting = Setting.objects.filter(pk=pk).first()
    if setting is None:
        raise Http404("No such setting")
    source = request.GET if request.method == "GET" else request.POST
    scoping_request = previous = None
    if (request_pk := source.get("request", "")).isdigit():
        scoping_request = ScopingRequest.objects.filter(pk=request_pk, setting=setting).first()
        if scoping_request is None:
            raise Http404("No such request")
    if (previous_pk := source.get("previous", "")).isdigit():
        previous = ScopingMeeting.objects.filter(pk=previous_pk, setting=setting).first()
        if previous is None:
            raise Http404("No such meeting")
    initial = {"chair": meetings.lado_service_manager()}
    if previous is not None:
        initial.update(
            date=previous.review_date,
            time=previous.review_time,
            location=previous.review_location,
            chair=previous.chair,
        )
    return handle_form(
        request,
        ConveneForm(posted(request), initial=initial),
        lambda data: meetings.meeting_convene(
            setting=setting,
            actor=request.user,
            on=data["date"],
            at=data["time"],
            location=data["location"],
            chair=data["chair"],
            request=scoping_request,
            previous=previous,
        ),
        done="Meeting convened. Invite the professionals below.",
        to=_meeting_url,
        page=lambda form: form_page(
            request,
            form,
            heading=(
                "Convene a review scoping meeting" if previous else "Convene a scoping meeting"
            ),
            caption=setting.name,
            back_url=reverse("placements:setting", kwargs={"pk": setting.pk}),
            template="scoping/meeting_convene.html",
            hidden={
                "request": scoping_request.pk if scoping_request else "",
                "previous": previous.pk if previous else "",
            },
        ),
    )


def meeting_details(request, pk: int):
    meeting = _editable(request, pk)
    if meeting.status != "convened":
        return _finalised(request, meeting)
    initial = {f: getattr(meeting, f) for f in meetings.DETAIL_FIELDS}
    return handle_form(
        request,
        ConveneForm(posted(request), initial=initial),
        lambda data: meetings.meeting_details_save(meeting=meeting, actor=request.user, data=data),
        done="Details saved.",
        to=_meeting_url(meeting),
        page=_page(request, meeting, heading="Meeting details"),
        refused=(meetings.MeetingFinalised,),
        on_refused=lambda _: _finalised(request, meeting),
    )


def meeting_minutes(request, pk: int):
    meeting = _editable(request, pk)
    if meeting.status != "convened":
        return _finalised(request, meeting)
    return handle_form(
        request,
        MinutesForm(posted(request), instance=meeting),
        lambda data: meetings.meeting_minutes_save(meeting=meeting, actor=request.user, data=data),
        done="Minutes saved.",
        to=_meeting_url(meeting),
        page=_page(request, meeting, heading="Discussions and decisions"),
        refused=(meetings.MeetingFinalised,),
        on_refused=lambda _: _finalised(request, meeting),
    )


def meeting_child(request, pk: int):
    """The review of one child (``pk`` of the MeetingChild), as Child N."""
    row = selectors.meeting_child_for(request.user, pk)
    if not meetings.may_edit(request.user):
        raise PermissionDenied
    meeting = row.meeting
    if meeting.status != "convened":
        return _finalised(request, meeting)
    return handle_form(
        request,
        ChildReviewForm(posted(request), instance=row),
        lambda data: meetings.child_review_save(meeting_child=row, actor=request.user, data=data),
        done=f"Review of {row} saved.",
        to=_meeting_url(meeting) + f"#child-{row.number}",
        page=_page(request, meeting, heading=meetings.child_label(row)),
        refused=(meetings.MeetingFinalised,),
        on_refused=lambda _: _finalised(request, meeting),
    )


def meeting_invitees(request, pk: int):
    meeting = _editable(request, pk)
    if meeting.status != "convened":
        return _finalised(request, meeting)
    return handle_form(
        request,
        InviteeForm(posted(request)),
        lambda data: meetings.invitee_add(meeting=meeting, actor=request.user, **data),
        done="Invited.",
        to=reverse("scoping:meeting_invitees", kwargs={"pk": meeting.pk}),
        page=_page(
            request,
            meeting,
            heading="Invitees",
            template="scoping/meeting_invitees.html",
            meeting=meeting,
            invitees=list(meeting.invitees.select_related("user")),
        ),
        refused=(meetings.MeetingFinalised,),
        on_refused=lambda _: _finalised(request, meeting),
    )


@require_POST
def invitee_remove(request, pk: int):
    invitee = selectors.invitee_for(request.user, pk)
    if not meetings.may_edit(request.user):
        raise PermissionDenied
    meeting = invitee.meeting
    try:
        meetings.invitee_remove(invitee=invitee, actor=request.user)
    except meetings.MeetingFinalised:
        return _finalised(request, meeting)
    except ValidationError as invalid:
        messages.info(request, " ".join(invalid.messages))
    else:
        messages.success(request, "Invitation withdrawn.")
    return redirect("scoping:meeting_invitees", pk=meeting.pk)


def meeting_attendance(request, pk: int):
    meeting = _editable(request, pk)
    if meeting.status != "convened":
        return _finalised(request, meeting)
    form = AttendanceForm(posted(request), invitees=list(meeting.invitees.all()))
    return handle_form(
        request,
        form,
        lambda data: meetings.attendance_save(
            meeting=meeting, actor=request.user, attendance=form.attendance()
        ),
        done="Attendance saved.",
        to=_meeting_url(meeting),
        page=_page(request, meeting, heading="Attendance"),
        refused=(meetings.MeetingFinalised,),
        on_refused=lambda _: _finalised(request, meeting),
    )


def meeting_action_add(request, pk: int):
    meeting = _editable(request, pk)
    if meeting.status != "convened":
        return _finalised(request, meeting)
    form = ActionForm(posted(request), meeting=meeting, children=list(meeting.children.all()))
    return handle_form(
        request,
        form,
        lambda data: meetings.action_add(
            meeting=meeting,
            actor=request.user,
            action=data["action"],
            owner=data["owner"],
            deadline=data["deadline"],
            meeting_child=form.chosen_child(),
        ),
        done="Action added. It is on its owner's worktray.",
        to=_meeting_url(meeting) + "#actions",
        page=_page(request, meeting, heading="Add an action"),
        refused=(meetings.MeetingFinalised,),
        on_refused=lambda _: _finalised(request, meeting),
    )


def meeting_finalise(request, pk: int):
    meeting = _editable(request, pk)
    if meeting.status != "convened":
        return _finalised(request, meeting)
    return handle_form(
        request,
        FinaliseForm(posted(request)),
        lambda data: meetings.meeting_finalise(meeting=meeting, actor=request.user),
        done="Minutes finalised.",
        to=_meeting_url(meeting),
        page=_page(
            request,
            meeting,
            heading="Finalise the minutes",
            template="scoping/meeting_finalise.html",
            meeting=meeting,
        ),
    )


def meeting_pdf(request, pk: int):
    meeting = selectors.meeting_for(request.user, pk)
    return pdf_response(
        request,
        "scoping/meeting_pdf.html",
        {
            **_minutes_context(meeting),
            "printed_at": timezone.localtime(),
            "printed_by": request.user,
        },
        f"scoping-meeting-{meeting.pk}-minutes.pdf",
    )


def meeting_csv(request, pk: int):
    meeting = selectors.meeting_for(request.user, pk)
    filename = f"scoping-meeting-{meeting.pk}-actions.csv"
    AccessLog.objects.create(
        user=request.user,
        action=AccessLog.Action.EXPORT,
        path=request.get_full_path()[:500],
        detail=f"CSV {filename}",
    )
    rows = meeting.actions.select_related("owner", "meeting_child").order_by(
        "meeting_child__number", "deadline", "pk"
    )
    streamed = csv_response(
        filename,
        ["number", "for", "action", "owner", "deadline", "status", "done on"],
        rows,
        lambda a: [
            a.pk,
            meetings.child_label(a.meeting_child),
            a.action,
            str(a.owner),
            a.deadline.isoformat(),
            a.get_status_display(),
            a.done_on.isoformat() if a.done_on else "",
        ],
    )
    # A meeting's actions are few: send them whole (core.exports writes and escapes them).
    response = HttpResponse(
        b"".join(streamed.streaming_content), content_type=streamed["Content-Type"]
    )
    response["Content-Disposition"] = streamed["Content-Disposition"]
    return response


def action_detail(request, pk: int):
    action = selectors.meeting_action_for(request.user, pk)
    can_complete = action.status == "open" and meetings.may_complete(request.user, action)
    can_change = actions.may_change(request.user, action)
    return render(
        request,
        "scoping/action_detail.html",
        {
            "action": action,
            "meeting": action.meeting,
            "label": meetings.child_label(action.meeting_child),
            "may_open_meeting": meetings.meetings_visible_to(request.user)
            .filter(pk=action.meeting_id)
            .exists(),
            "form": ActionDoneForm() if can_complete else None,
            "can_change": can_change,
        },
    )


def _action_closed(request, action):
    messages.info(
        request, f"This action is {action.get_status_display().lower()}: it cannot be changed."
    )
    return redirect("scoping:action", pk=action.pk)


def _changeable(request, pk: int) -> MeetingAction:
    """An action the user may open (404 otherwise) and change (403 otherwise)."""
    action = selectors.meeting_action_for(request.user, pk)
    if not actions.may_change(request.user):
        raise PermissionDenied
    return action


def action_edit(request, pk: int):
    """The LADO service changes an open action: what, for whom, owner, deadline."""
    action = _changeable(request, pk)
    if action.status != "open":
        return _action_closed(request, action)
    meeting = action.meeting
    back = reverse("scoping:action", kwargs={"pk": action.pk})
    form = ActionForm(
        posted(request),
        meeting=meeting,
        children=list(meeting.children.all()),
        initial=ActionForm.initial_for(action),
    )
    return handle_form(
        request,
        form,
        lambda data: actions.action_edit(
            action=action,
            actor=request.user,
            text=data["action"],
            owner=data["owner"],
            deadline=data["deadline"],
            meeting_child=form.chosen_child(),
        ),
        done="Action saved.",
        to=back,
        page=lambda form: form_page(
            request, form, heading="Change the action", caption=str(meeting), back_url=back
        ),
        refused=(actions.ActionClosed,),
        on_refused=lambda _: _action_closed(request, action),
    )


def action_withdraw(request, pk: int):
    """The LADO service withdraws an open action, giving the reason."""
    action = _changeable(request, pk)
    if action.status != "open":
        return _action_closed(request, action)
    back = reverse("scoping:action", kwargs={"pk": action.pk})
    return handle_form(
        request,
        ActionWithdrawForm(posted(request)),
        lambda data: actions.action_withdraw(
            action=action, actor=request.user, reason=data["reason"]
        ),
        done="Action withdrawn.",
        to=back,
        page=lambda form: form_page(
            request,
            form,
            heading="Withdraw the action",
            caption=meetings.child_label(action.meeting_child),
            back_url=back,
        ),
        refused=(actions.ActionClosed,),
        on_refused=lambda _: _action_closed(request, action),
    )


def action_done(request, pk: int):
    action = selectors.meeting_action_for(request.user, pk)
    if not meetings.may_complete(request.user, action):
        raise PermissionDenied
    if action.status != "open":
        messages.info(request, f"This action is already {action.get_status_display().lower()}.")
        return redirect("scoping:action", pk=action.pk)
    back = reverse("scoping:action", kwargs={"pk": action.pk})
    return handle_form(
        request,
        ActionDoneForm(posted(request)),
        lambda data: meetings.action_done(
            action=action, actor=request.user, outcome=data["outcome"]
        ),
        done="Action marked as done.",
        to=back,
        page=lambda form: form_page(
            request,
            form,
            heading="Mark the action as done",
            caption=meetings.child_label(action.meeting_child),
            back_url=back,
        ),
    )
