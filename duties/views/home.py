"""Each person's home page: what is due from them (their worktray), or for an
administrator the staff and teams."""

from django.shortcuts import render

from accounts import selectors as account_selectors
from accounts.models import Role

from .. import worktray


def home(request):
    user = request.user
    context = {"user": user, **worktray.home_page(user)}
    if user.role == Role.ADMINISTRATOR:
        context["teams"] = account_selectors.teams_with_counts()
        context["staff_by_role"] = account_selectors.staff_counts_by_role()
    return render(request, "accounts/home.html", context)
