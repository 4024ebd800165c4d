"""A child's missing and away episodes, what follows each, and their patterns."""

from django.urls import path

from . import pattern_urls, views

app_name = "missing"

urlpatterns = [
    path("children/<int:pk>/missing/", views.child_episodes, name="child_episodes"),
    path("children/<int:pk>/missing/new/", views.episode_new, name="episode_new"),
    path("missing/<int:pk>/", views.episode, name="episode"),
    path("missing/<int:pk>/return/", views.episode_return, name="episode_return"),
    path("missing/<int:pk>/home-report/", views.home_report, name="home_report"),
    path("missing/<int:pk>/interview/", views.interview, name="interview"),
    *pattern_urls.urlpatterns,
]
