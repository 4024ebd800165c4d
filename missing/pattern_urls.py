"""The patterns of missing and the missing figures (``missing.pattern_views``); included
by ``missing/urls.py``."""

from django.urls import path

from . import pattern_views

urlpatterns = [
    path(
        "children/<int:pk>/missing/patterns/",
        pattern_views.child_patterns,
        name="child_patterns",
    ),
    path(
        "settings/<int:pk>/missing/patterns/",
        pattern_views.setting_patterns,
        name="setting_patterns",
    ),
    path("missing/figures/", pattern_views.missing_figures, name="figures"),
]
