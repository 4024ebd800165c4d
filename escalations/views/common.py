"""What the pages about a setting's concerns share: the way back to the setting."""

from django.urls import reverse


def _setting_url(setting_id: int) -> str:
    return reverse("placements:setting", kwargs={"pk": setting_id})
