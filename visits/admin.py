"""Admin registrations live beside the parts they serve."""

from . import admin_alerts, admin_rules, admin_visits  # noqa: F401
