"""The engine's pages: the worktray, the deadlines, notifications (names are duties:…).
The home page, the worktray's summary, is ``home`` in config.urls."""

from django.urls import path

from .views import deadlines, notifications, worktray

app_name = "duties"

urlpatterns = [
    path("worktray/", worktray.worktray, name="worktray"),
    path("deadlines/", deadlines.deadlines, name="deadlines"),
    path("notifications/", notifications.notifications, name="notifications"),
]
