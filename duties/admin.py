"""The engine in the admin: the timescales (edited), the duties (read only), and every
alert and email the sweep made (an administrator sees each email's status, attempts and
last error, and can send failed ones again).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

from . import services, timescales
from .models import Alert, Duty, Notification, RuleValue


class NotificationInline(admin.TabularInline):
    model = Notification
    extra = 0
    can_delete = False
    fields = ["user", "subject", "email_status", "email_attempts", "email_sent_at", "read_at"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["__str__", "level", "due", "created_at"]
    list_filter = ["level", "created_at"]
    list_select_related = ["duty"]
    search_fields = ["duty__subject", "duty__child__child_id", "subject"]
    raw_id_fields = ["duty"]
    readonly_fields = ["duty", "subject", "level", "due", "created_at"]
    date_hierarchy = "created_at"
    inlines = [NotificationInline]

    def has_add_permission(self, request):
        # Alerts are the sweep's record of what it sent; they are not made by hand.
        return False


@admin.action(description="Send failed or interrupted emails again")
def retry_failed_emails(modeladmin, request, queryset):
    # An interrupted email may have arrived: sending it again is the administrator's
    # decision (the recipient says it did not come), never the sweep's.
    retried = queryset.filter(
        email_status__in=[
            Notification.Email.FAILED,
            Notification.Email.INTERRUPTED,
            Notification.Email.NONE,
        ]
    ).update(email_status=Notification.Email.PENDING, email_attempts=0, email_claimed_at=None)
    modeladmin.message_user(
        request,
        f"{retried} email{'s' if retried != 1 else ''} will be sent on the next run of the "
        "overdue alerts job.",
        messages.SUCCESS,
    )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "subject",
        "user",
        "email_status",
        "email_attempts",
        "short_error",
        "created_at",
        "email_sent_at",
        "read_at",
    ]
    list_filter = ["email_status", "alert__level", "created_at"]
    list_select_related = ["user"]
    search_fields = ["subject", "key", "user__username", "user__email"]
    raw_id_fields = ["user", "alert"]
    readonly_fields = [
        "user",
        "alert",
        "key",
        "subject",
        "body",
        "url",
        "created_at",
        "read_at",
        "email_status",
        "email_attempts",
        "email_last_error",
        "email_claimed_at",
        "email_sent_at",
    ]
    date_hierarchy = "created_at"
    actions = [retry_failed_emails]

    @admin.display(description="Last error")
    def short_error(self, obj):
        return Truncator(obj.email_last_error).chars(80)

    def has_add_permission(self, request):
        return False


class RuleValueForm(forms.ModelForm):
    class Meta:
        model = RuleValue
        fields = ["value"]

    def clean_value(self):
        value = self.cleaned_data["value"]
        try:
            timescales.check(self.instance.name, value)
        except ValidationError as invalid:
            raise ValidationError(
                [message for messages in invalid.message_dict.values() for message in messages]
            ) from invalid
        return value


@admin.register(RuleValue)
class RuleValueAdmin(SimpleHistoryAdmin):
    """Change a default: when it is a schedule's, every open duty is recomputed once the
    change is saved."""

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
        services.rule_value_set(rule_value=obj, value=obj.value, actor=request.user)


@admin.register(Duty)
class DutyAdmin(admin.ModelAdmin):
    """The duties as their workflows keep them: read only (change an input instead)."""

    list_display = ["kind_label", "subject", "child", "setting", "owner", "team", "due", "status"]
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
