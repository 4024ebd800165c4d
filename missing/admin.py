"""Missing episodes and return home interviews in the admin: read only, with their history.
Every change goes through ``missing.services`` (the child's flag and the duties move with
the episode), so the admin changes nothing."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import MissingEpisode, ReturnInterview


class ReadOnly(SimpleHistoryAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MissingEpisode)
class MissingEpisodeAdmin(ReadOnly):
    list_display = (
        "child",
        "kind",
        "start_date",
        "start_time",
        "end_date",
        "end_time",
        "reported_by",
    )
    list_filter = ("kind", "reported_by")
    search_fields = ("child__child_id", "police_reference")
    raw_id_fields = ("child", "placement")


@admin.register(ReturnInterview)
class ReturnInterviewAdmin(ReadOnly):
    list_display = ("episode", "outcome", "held_on", "manager")
    list_filter = ("outcome",)
