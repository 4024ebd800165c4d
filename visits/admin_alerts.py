"""Admin registrations for alerts and notifications; imported by visits/admin.py.

An administrator sees every email the sweep tried to send: its status, how many attempts
were made and the last error, and can send failed ones again.
"""

from django.contrib import admin, messages
from django.db.models import Q
from django.utils.text import Truncator

from .models import Alert, Notification


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
    list_display = ["__str__", "level", "created_at"]
    list_filter = ["level", "created_at"]
    list_select_related = ["duty", "visit", "visit__child"]
    search_fields = ["duty__subject", "duty__child__child_id", "visit__child__child_id"]
    raw_id_fields = ["duty", "visit"]
    readonly_fields = ["duty", "visit", "level", "created_at"]
    date_hierarchy = "created_at"
    inlines = [NotificationInline]

    def has_add_permission(self, request):
        # Alerts are the sweep's record of what it sent; they are not made by hand.
        return False


@admin.action(description="Retry failed emails")
def retry_failed_emails(modeladmin, request, queryset):
    retried = queryset.filter(
        Q(email_status=Notification.Email.FAILED) | Q(email_status=Notification.Email.NONE)
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
