from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Team, User


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(User)
class StaffAdmin(UserAdmin, SimpleHistoryAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "role",
        "team",
        "line_manager",
        "is_active",
    ]
    list_filter = ["role", "team", "is_active"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["team", "line_manager"]
    fieldsets = UserAdmin.fieldsets + (
        ("Role and team", {"fields": ("role", "job_title", "team", "line_manager", "phone")}),
    )
    add_fieldsets = UserAdmin.add_fieldsets + (
        ("Role and team", {"fields": ("role", "team", "line_manager")}),
    )
