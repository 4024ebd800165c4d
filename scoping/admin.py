from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import RiskAssessment, RiskAssessmentSignOff


class SignOffInline(admin.TabularInline):
    model = RiskAssessmentSignOff
    extra = 0
    can_delete = False
    readonly_fields = ("role", "user", "decision", "comments", "at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "status", "owner", "opened_on", "due")
    list_filter = ("status", "trigger")
    search_fields = ("child__child_id", "setting__name", "setting__urn")
    raw_id_fields = ("child", "setting", "placement", "inspection", "owner")
    inlines = [SignOffInline]


# Scoping meeting requests (scoping/requests.py) --------------------------------------------
from .models import ScopingRequest, ScopingRequestEvent  # noqa: E402


class ScopingRequestEventInline(admin.TabularInline):
    model = ScopingRequestEvent
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "by", "at", "text")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ScopingRequest)
class ScopingRequestAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "route", "status", "requested_by", "requested_at", "decided_by")
    list_filter = ("route", "status")
    search_fields = ("setting__name", "setting__urn", "requested_by__username")
    raw_id_fields = (
        "setting",
        "requested_by",
        "children",
        "escalation",
        "inspection",
        "decided_by",
    )
    inlines = [ScopingRequestEventInline]


# Scoping meetings (scoping/meetings.py). Children appear as "Child N" only.
from .models import (  # noqa: E402
    InviteeEmail,
    MeetingAction,
    MeetingChild,
    MeetingInvitee,
    ScopingMeeting,
)


class MeetingInviteeInline(admin.TabularInline):
    model = MeetingInvitee
    extra = 0
    raw_id_fields = ("user",)


class MeetingChildInline(admin.TabularInline):
    model = MeetingChild
    extra = 0
    raw_id_fields = ("child", "risk_assessment")
    fields = ("number", "initials", "child", "risk_assessment")


@admin.register(ScopingMeeting)
class ScopingMeetingAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "status", "chair", "provision_decision", "review_date")
    list_filter = ("status", "provision_decision")
    search_fields = ("setting__name", "setting__urn")
    raw_id_fields = ("setting", "request", "previous", "chair", "convened_by", "finalised_by")
    inlines = [MeetingInviteeInline, MeetingChildInline]


@admin.register(MeetingAction)
class MeetingActionAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "owner", "deadline", "status")
    list_filter = ("status",)
    raw_id_fields = ("meeting", "meeting_child", "owner")


@admin.register(InviteeEmail)
class InviteeEmailAdmin(admin.ModelAdmin):
    """The emails to invitees who are not staff: what was sent, and any that failed (the
    periodic run retries a failed one up to scoping.invitations.MAX_ATTEMPTS times)."""

    list_display = ("subject", "to", "status", "attempts", "created_at", "sent_at")
    list_filter = ("status",)
    readonly_fields = ("invitee", "key", "to", "reply_to", "subject", "body", "created_at")
    raw_id_fields = ("invitee",)
