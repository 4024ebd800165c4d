"""Incidents, debriefs and allegations in the admin, with their history. Changes here do
not move duties: record reports, debriefs and referrals through the pages, which close them."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Allegation, Debrief, Incident


class DebriefInline(admin.TabularInline):
    model = Debrief
    extra = 0
    fields = ["kind", "child", "held_at", "recorded_by"]
    readonly_fields = fields
    can_delete = False


@admin.register(Incident)
class IncidentAdmin(SimpleHistoryAdmin):
    list_display = ["pk", "setting", "kind", "occurred_on", "occurred_time", "report_received_at"]
    list_filter = ["kind", "restraint_used", "police_involved", "injury"]
    date_hierarchy = "occurred_on"
    search_fields = ["setting__name", "setting__urn", "children__child_id"]
    autocomplete_fields = ["setting", "children"]
    raw_id_fields = ["recorded_by"]
    list_select_related = ["setting"]
    inlines = [DebriefInline]


@admin.register(Allegation)
class AllegationAdmin(SimpleHistoryAdmin):
    list_display = ["pk", "subject_role", "setting", "known_at", "referred_at", "outcome"]
    list_filter = ["subject_role", "outcome", "referral_method"]
    search_fields = ["subject_name", "setting__name", "setting__urn", "children__child_id"]
    autocomplete_fields = ["setting", "children"]
    raw_id_fields = ["recorded_by", "referral_recorded_by", "outcome_by"]
    list_select_related = ["setting"]
