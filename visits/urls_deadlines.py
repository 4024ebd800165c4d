"""The deadlines page (URL name visits:deadlines)."""

from django.urls import path

from . import deadline_views

urlpatterns = [
    path("deadlines/", deadline_views.deadlines, name="deadlines"),
]
