"""School terms in the admin (with history): an administrator keeps the term dates the
PEP's termly review falls due by (``plans.terms``). A change recomputes every duty once
it is committed (in the background; the nightly recompute catches up if the broker is
down).

Its own module (imported from ``PlansConfig.ready``), beside the plans' own admin."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.tasks import enqueue_on_commit
from duties.tasks import recompute_all_duties

from .models import SchoolTerm


@admin.register(SchoolTerm)
class SchoolTermAdmin(SimpleHistoryAdmin):
    list_display = ["name", "starts_on", "ends_on"]
    date_hierarchy = "starts_on"
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        enqueue_on_commit(recompute_all_duties)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        enqueue_on_commit(recompute_all_duties)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        enqueue_on_commit(recompute_all_duties)
