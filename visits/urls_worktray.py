from django.urls import path

from . import worktray_views

urlpatterns = [
    path("worktray/", worktray_views.worktray, name="worktray"),
    path("notifications/", worktray_views.notifications, name="notifications"),
]
