from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from visits import worktray

from . import selectors
from .forms import ChangePasswordForm, SignInForm
from .models import Role


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True


class ChangePasswordView(auth_views.PasswordChangeView):
    form_class = ChangePasswordForm


def home(request):
    """Each person's home page: their worktray (visits.worktray), or for an administrator
    the staff and teams."""
    user = request.user
    context = {"user": user, **worktray.home_page(user)}
    if user.role == Role.ADMINISTRATOR:
        context["teams"] = selectors.teams_with_counts()
        context["staff_by_role"] = selectors.staff_counts_by_role()
    return render(request, "accounts/home.html", context)


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Liveness and readiness for load balancers and docker-compose: the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})
