"""Visits in the admin, read only: a finished visit is changed only by amending it in the
service, so that both versions are kept; the admin is for finding a record and reading
its history. A child's own schedule (agreed at a LAC review) is edited here, through the
service that recomputes the child's duties.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from duties.recompute import refresh_for_children

from . import overrides
from .models import PvfReview, ScheduleOverride, Visit


@admin.register(Visit)
class VisitAdmin(SimpleHistoryAdmin):
    list_display = ["child", "kind", "visited_at", "visitor_name", "status", "source"]
    list_filter = ["kind", "status", "source", "in_person", "escalate_to_line_manager"]
    search_fields = ["child__child_id", "visitor_name", "visitor__username"]
    date_hierarchy = "visited_at"
    list_select_related = ["child"]
    raw_id_fields = ["child", "placement", "setting", "visitor", "supersedes", "created_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PvfReview)
class PvfReviewAdmin(SimpleHistoryAdmin):
    """Read only: the child's IRO records and changes a review on the visit's page."""

    list_display = ["visit", "reviewed_by", "reviewed_on", "satisfactory", "escalation_needed"]
    list_filter = ["satisfactory", "early_review_needed", "escalation_needed"]
    search_fields = ["visit__child__child_id", "reviewed_by__username"]
    list_select_related = ["visit__child", "reviewed_by"]
    raw_id_fields = ["visit", "reviewed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ScheduleOverride)
class ScheduleOverrideAdmin(SimpleHistoryAdmin):
    list_display = [
        "child",
        "duty_kind",
        "interval_days",
        "interval_months",
        "agreed_by_name",
        "agreed_on",
    ]
    list_filter = ["duty_kind"]
    search_fields = ["child__child_id", "child__last_name", "agreed_by_name"]
    autocomplete_fields = ["child", "agreed_by"]
    raw_id_fields = ["review"]
    readonly_fields = ["created_by", "created_at"]
    list_select_related = ["child"]

    def save_model(self, request, obj, form, change):
        overrides.schedule_override_save(override=obj, actor=request.user)

    def delete_model(self, request, obj):
        child_id = obj.child_id
        super().delete_model(request, obj)
        refresh_for_children([child_id])

    def delete_queryset(self, request, queryset):
        child_ids = list(queryset.values_list("child_id", flat=True))
        super().delete_queryset(request, queryset)
        refresh_for_children(child_ids)
