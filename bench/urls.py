"""The product's URLs plus the benchmark's baseline views (never in config.urls).

``/bench/trivial/`` is the trivial view the pages are compared with: it goes through
the same server, middleware, session and sign-in as every page, reads one row and
answers a few bytes. ``/bench/trivial-page/`` reads the same row but renders it in the
app's layout (templates/base.html: header, navigation, unread count), so the report can
say how much of a page is the layout every page pays for.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import include, path

from placements.models import Setting


def _one_row():
    return Setting.objects.only("pk", "name").order_by("pk").first()


def trivial(request):
    row = _one_row()
    return HttpResponse(f"ok {row.pk if row else 0}\n", content_type="text/plain")


def trivial_page(request):
    return render(request, "bench/trivial_page.html", {"row": _one_row()})


urlpatterns = [
    path("bench/trivial/", trivial, name="bench_trivial"),
    path("bench/trivial-page/", trivial_page, name="bench_trivial_page"),
    path("", include("config.urls")),
]
