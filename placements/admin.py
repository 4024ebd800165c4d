from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AccessLog,
    Child,
    Inspection,
    Placement,
    PlacementConcern,
    Provider,
    ProvisionEligibility,
    Setting,
)


@admin.register(ProvisionEligibility)
class ProvisionEligibilityAdmin(SimpleHistoryAdmin):
    list_display = ["provision_type", "min_age", "max_age", "source"]


@admin.register(Provider)
class ProviderAdmin(SimpleHistoryAdmin):
    list_display = ["name", "sector", "contact_name", "contact_email"]
    search_fields = ["name"]


class InspectionInline(admin.TabularInline):
    model = Inspection
    extra = 0
    fields = ["inspection_date", "event_type", "overall_judgement", "recorded_on", "source"]
    readonly_fields = fields
    can_delete = False


@admin.register(Setting)
class SettingAdmin(SimpleHistoryAdmin):
    list_display = ["name", "urn", "provision_type", "current_rating", "referrals_suspended"]
    list_filter = ["provision_type", "current_rating", "registration_status", "referrals_suspended"]
    search_fields = ["name", "urn", "provider__name"]
    autocomplete_fields = ["provider"]
    # A web link typed without a scheme is taken as https (Django 6's default; Django 5.2
    # warns that it would otherwise assume http).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # The rating follows the inspections; record a judgement to change it.
    readonly_fields = ["current_rating", "current_rating_date"]
    inlines = [InspectionInline]


@admin.register(Child)
class ChildAdmin(SimpleHistoryAdmin):
    list_display = ["child_id", "last_name", "first_name", "team", "social_worker", "restricted"]
    list_filter = ["team", "restricted"]
    search_fields = ["child_id", "first_name", "last_name"]
    autocomplete_fields = ["social_worker", "personal_adviser", "iro", "team"]


@admin.register(Placement)
class PlacementAdmin(SimpleHistoryAdmin):
    list_display = ["child", "setting", "decom", "dec", "place", "ls"]
    list_filter = ["place", "ls"]
    search_fields = ["child__child_id", "setting__name", "urn"]
    autocomplete_fields = ["child", "setting"]
    raw_id_fields = ["director_authorised_by", "guard_override_by"]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Searchable by an administrator; nobody edits or deletes it."""

    list_display = ["at", "user", "action", "child", "path"]
    list_filter = ["action"]
    search_fields = ["user__username", "child__child_id", "path", "detail"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Inspection)
class InspectionAdmin(SimpleHistoryAdmin):
    list_display = ["setting", "inspection_date", "event_type", "overall_judgement", "is_downgrade"]
    list_filter = ["overall_judgement", "is_downgrade", "source"]
    search_fields = ["setting__name", "setting__urn"]
    # Judgements are recorded through the register page or import_ofsted, which keep
    # each setting's current rating in step; here they are read.
    readonly_fields = [
        "setting",
        "inspection_date",
        "publication_date",
        "event_type",
        "overall_judgement",
        "previous_judgement",
        "is_downgrade",
        "recorded_on",
        "recorded_by",
        "source",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(PlacementConcern)
class PlacementConcernAdmin(SimpleHistoryAdmin):
    """Concerns about an unregistered placement (recorded on the child's page)."""

    list_display = ["placement", "recorded_by", "recorded_at"]
    list_select_related = ["placement__child", "recorded_by"]
    search_fields = ["placement__child__child_id", "note"]
    raw_id_fields = ["placement", "recorded_by"]
