"""LAC reviews in the admin: each change recomputes the child's duties (the review, and
the IRO visits due before it)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from duties.recompute import refresh_for_children

from .models import BookedReview, LacReview, ReviewRecommendation, ReviewReport


@admin.register(LacReview)
class LacReviewAdmin(SimpleHistoryAdmin):
    list_display = ["child", "review_date", "review_code", "chaired_by"]
    date_hierarchy = "review_date"
    search_fields = ["child__child_id", "child__last_name"]
    autocomplete_fields = ["child", "chaired_by"]
    raw_id_fields = ["recorded_by"]
    list_select_related = ["child", "chaired_by"]

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


class _CycleAdmin(SimpleHistoryAdmin):
    """Bookings and reports in the admin: each change recomputes the child's duties."""

    date_hierarchy = "cycle_start"
    search_fields = ["child__child_id", "child__last_name"]
    autocomplete_fields = ["child"]
    list_select_related = ["child"]

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


@admin.register(BookedReview)
class BookedReviewAdmin(_CycleAdmin):
    list_display = ["child", "cycle_start", "review_date", "booked_by", "booked_at"]
    raw_id_fields = ["booked_by"]


@admin.register(ReviewReport)
class ReviewReportAdmin(_CycleAdmin):
    list_display = ["child", "cycle_start", "review_date", "sent_on", "recorded_by"]
    raw_id_fields = ["recorded_by"]


@admin.register(ReviewRecommendation)
class ReviewRecommendationAdmin(SimpleHistoryAdmin):
    """Read only: a recommendation is added, done and withdrawn through reviews.records,
    which keeps its review_recommendation duty in step; the admin finds one and shows its
    history."""

    list_display = ["review", "owner", "due", "status"]
    list_filter = ["status"]
    search_fields = ["review__child__child_id", "text"]
    date_hierarchy = "due"
    list_select_related = ["review", "review__child", "owner"]
    raw_id_fields = ["review", "owner", "created_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
