from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from accounts import views as account_views
from duties.views.home import home
from escalations.urls import concern_patterns

# One sign-in page for everyone: the admin site sends anonymous users to it.
admin.site.login = login_required(admin.site.login)
admin.site.site_header = "Placement assurance administration"
admin.site.site_title = "Placement assurance"

#: The admin pages of the models that moved out of visits (the duty engine's and LAC
#: reviews) answered under /admin/visits/…: an administrator's bookmark still works.
MOVED_ADMIN = r"^admin/visits/(?P<model>duty|alert|notification|rulevalue|lacreview)/(?P<rest>.*)$"


class MovedAdmin(RedirectView):
    permanent = True

    def get_redirect_url(self, *args, model, rest, **kwargs):
        app = "reviews" if model == "lacreview" else "duties"
        query = self.request.META.get("QUERY_STRING", "")
        return f"/admin/{app}/{model}/{rest}" + (f"?{query}" if query else "")


urlpatterns = [
    path("", home, name="home"),
    path("healthz", account_views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    re_path(MOVED_ADMIN, MovedAdmin.as_view(), name="moved_admin"),
    path("admin/", admin.site.urls),
    path("", include("placements.urls")),
    path("", include("duties.urls")),
    path("", include("visits.urls")),
    path("", include("reviews.urls")),
    path("", include("plans.urls")),
    path("", include("escalations.urls")),
    path("", include((concern_patterns, "concerns"))),
    path("", include("scoping.urls")),
    path("", include("missing.urls")),
    path("", include("incidents.urls")),
]
