"""Each part of the visits module keeps its own URL list."""

from django.urls import include, path

app_name = "visits"

urlpatterns = [
    path("", include("visits.urls_deadlines")),
    path("", include("visits.urls_visits")),
    path("", include("visits.urls_worktray")),
]
