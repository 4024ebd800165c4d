"""A child's plans and assessments: the list, recording and changing one, its document."""

from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("children/<int:pk>/plans/", views.child_plans, name="child_plans"),
    path("children/<int:child_pk>/plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/document/", views.plan_document, name="plan_document"),
]
