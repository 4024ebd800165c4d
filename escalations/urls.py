from django.urls import path

from . import notice_views

app_name = "escalations"

urlpatterns = [
    path("settings/<int:pk>/notices/new/", notice_views.notice_create, name="notice_create"),
]
