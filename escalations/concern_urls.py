"""Concerns, concern level, letters of concern and action plans (namespace ``concerns``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("settings/<int:setting_pk>/concerns/new/", views.concern_create, name="concern_create"),
    path("concerns/<int:pk>/", views.concern_detail, name="concern"),
    path("settings/<int:setting_pk>/concern-level/", views.level_set, name="level_set"),
    path(
        "settings/<int:setting_pk>/concern-level/history/",
        views.level_history,
        name="level_history",
    ),
    path("settings/<int:setting_pk>/letters/new/", views.letter_create, name="letter_create"),
    path("letters-of-concern/<int:pk>/", views.letter_detail, name="letter"),
    path("letters-of-concern/<int:pk>/edit/", views.letter_edit, name="letter_edit"),
    path("letters-of-concern/<int:pk>/issue/", views.letter_issue, name="letter_issue"),
    path(
        "letters-of-concern/<int:pk>/representations/",
        views.letter_representations,
        name="letter_representations",
    ),
    path("letters-of-concern/<int:pk>/pdf/", views.letter_pdf, name="letter_pdf"),
    path("settings/<int:setting_pk>/action-plans/new/", views.plan_create, name="plan_create"),
    path("action-plans/<int:pk>/", views.plan_detail, name="plan"),
    path("action-plans/<int:plan_pk>/actions/new/", views.action_add, name="action_add"),
    path("plan-actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("plan-actions/<int:pk>/complete/", views.action_complete, name="action_complete"),
]
