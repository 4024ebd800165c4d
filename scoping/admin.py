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
