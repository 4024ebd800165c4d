"""The in-app notifications page: a person's own notifications, read and marked read."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.pages import paginate

from ..models import Notification


@require_http_methods(["GET", "POST"])
def notifications(request):
    mine = Notification.objects.filter(user=request.user)
    if request.method == "POST":
        unread = mine.filter(read_at__isnull=True)
        if request.POST.get("all"):
            marked = unread.update(read_at=timezone.now())
        else:
            try:
                pk = int(request.POST.get("notification", ""))
            except ValueError:
                pk = 0
            marked = unread.filter(pk=pk).update(read_at=timezone.now())
        if marked:
            messages.success(
                request, f"{marked} notification{'s' if marked != 1 else ''} marked as read."
            )
        return redirect("duties:notifications")
    page, query = paginate(request, mine.order_by("-created_at", "-pk"))
    return render(
        request,
        "duties/notifications.html",
        {
            "page": page,
            "query": query,
            "unread": mine.filter(read_at__isnull=True).count(),
        },
    )
