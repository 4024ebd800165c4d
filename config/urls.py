from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

from accounts import views as account_views

# One sign-in page for everyone: the admin site sends anonymous users to it.
admin.site.login = login_required(admin.site.login)
admin.site.site_header = "Placement assurance administration"
admin.site.site_title = "Placement assurance"

urlpatterns = [
    path("", account_views.home, name="home"),
    path("healthz", account_views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("", include("placements.urls")),
    path("", include("visits.urls")),
    path("", include("escalations.urls")),
    path("", include(("escalations.concern_urls", "concerns"))),
    path("", include("scoping.urls")),
]
