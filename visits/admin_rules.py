"""Admin registrations; imported by visits/admin.py.

The rules of the schedule (RuleValue), a child's own schedule (ScheduleOverride), LAC
reviews, and the duties themselves (read only). Every change goes through a service
that recomputes the duties it affects.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from . import schedule
from .models import Duty, LacReview, RuleValue, ScheduleOverride


class RuleValueForm(forms.ModelForm):
    class Meta:
        model = RuleValue
        fields = ["value"]

    def clean_value(self):
        value = self.cleaned_data["value"]
        if self.instance.name not in schedule.SCHEDULE_RULE_NAMES:
            # Another app's timescale (escalations, risk assessments): a positive number.
            if value < 1:
                raise ValidationError("The value must be at least 1.")
            return value
        try:
            schedule.ruleset_with(self.instance.name, value)
        except ValidationError as invalid:
            raise ValidationError(
                [message for messages in invalid.message_dict.values() for message in messages]
            ) from invalid
        return value


@admin.register(RuleValue)
class RuleValueAdmin(SimpleHistoryAdmin):
    """Change a default: every open duty is recomputed once the change is saved."""

    form = RuleValueForm
    list_display = ["name", "value", "help_text", "source"]
    list_editable = ["value"]
    fields = ["name", "value", "help_text", "source"]
    readonly_fields = ["name", "help_text", "source"]
    search_fields = ["name", "help_text", "source"]

    def get_changelist_form(self, request, **kwargs):
        kwargs.setdefault("form", RuleValueForm)
        return super().get_changelist_form(request, **kwargs)

    def has_add_permission(self, request):
        return False  # one row per rule, seeded by the migration

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        schedule.rule_value_set(rule_value=obj, value=obj.value, actor=request.user)


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
        schedule.schedule_override_save(override=obj, actor=request.user)

    def delete_model(self, request, obj):
        child_id = obj.child_id
        super().delete_model(request, obj)
        schedule.refresh_for_children([child_id])

    def delete_queryset(self, request, queryset):
        child_ids = list(queryset.values_list("child_id", flat=True))
        super().delete_queryset(request, queryset)
        schedule.refresh_for_children(child_ids)


@admin.register(LacReview)
class LacReviewAdmin(SimpleHistoryAdmin):
    list_display = ["child", "review_date", "review_code", "chaired_by"]
    date_hierarchy = "review_date"
    search_fields = ["child__child_id", "child__last_name"]
    autocomplete_fields = ["child", "chaired_by"]
    list_select_related = ["child", "chaired_by"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        schedule.refresh_for_children([obj.child_id])

    def delete_model(self, request, obj):
        child_id = obj.child_id
        super().delete_model(request, obj)
        schedule.refresh_for_children([child_id])

    def delete_queryset(self, request, queryset):
        child_ids = list(queryset.values_list("child_id", flat=True))
        super().delete_queryset(request, queryset)
        schedule.refresh_for_children(child_ids)


@admin.register(Duty)
class DutyAdmin(admin.ModelAdmin):
    """The duties as the schedule keeps them: read only (change an input instead)."""

    list_display = ["kind", "subject", "child", "setting", "owner", "team", "due", "status"]
    list_filter = ["kind", "status", "team", "due"]
    search_fields = ["subject", "child__child_id", "child__last_name", "setting__urn"]
    date_hierarchy = "due"
    list_select_related = ["child", "setting", "owner", "team"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
