"""Admin registrations for recorded visits; imported by visits/admin.py.

Read-only: a finished visit is changed only by amending it in the service, so that both
versions are kept; the admin is for finding a record and reading its history.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Visit


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
