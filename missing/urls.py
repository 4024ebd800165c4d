"""Missing episodes in the browser."""

from . import pattern_urls

app_name = "missing"

urlpatterns = [
    *pattern_urls.urlpatterns,
]
