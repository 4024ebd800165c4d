"""Recording visits on the Purposeful Visiting Form (names are visits:…)."""

from django.urls import path

from . import review_schedule, views

app_name = "visits"

urlpatterns = [
    path("children/<int:child_pk>/visits/", views.visit_list, name="child_visits"),
    path("children/<int:child_pk>/visits/new/", views.visit_new, name="visit_new"),
    path("visits/<int:pk>/", views.visit_detail, name="visit"),
    path("visits/<int:pk>/edit/", views.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/amend/", views.visit_amend, name="visit_amend"),
    path("visits/<int:pk>/visit.pdf", views.visit_pdf, name="visit_pdf"),
    path("visits/not-seen-alone/", views.not_seen_alone, name="not_seen_alone"),
    path("visits/<int:pk>/iro-review/", views.pvf_review, name="pvf_review"),
    path("visits/late-recordings/", views.late_recordings, name="late_recordings"),
    # The visiting schedule agreed at a LAC review, from the review's page.
    path(
        "lac-reviews/<int:pk>/schedule/",
        review_schedule.review_schedule,
        name="review_schedule",
    ),
]
