"""Plans and assessments in the admin: each change recomputes the child's duties. The
document is read-only here: a document comes only through the plan form, which checks its
type and size (plans.documents)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from duties.recompute import refresh_for_children

from .models import Plan


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["child", "kind", "stage", "completed_on", "completed_by_name", "source"]
    list_filter = ["kind", "stage", "source"]
    date_hierarchy = "completed_on"
    search_fields = ["child__child_id", "child__last_name", "completed_by_name"]
    autocomplete_fields = ["child"]
    raw_id_fields = ["placement", "completed_by", "recorded_by"]
    list_select_related = ["child"]
    # The stored file's name would link to MEDIA_URL, which nothing serves.
    exclude = ["attachment"]
    readonly_fields = [
        "attachment_name",
        "attachment_type",
        "attachment_size",
        "recorded_at",
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        refresh_for_children([obj.child_id])

    def delete_model(self, request, obj):
        child_id = obj.child_id
        super().delete_model(request, obj)
        refresh_for_children([child_id])

    def delete_queryset(self, request, queryset):
        child_ids = list(queryset.values_list("child_id", flat=True))
        super().delete_queryset(request, queryset)
        refresh_for_children(child_ids)
