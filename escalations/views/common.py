"""What the pages about a setting's concerns share: the setting, and who reads letters."""

from django.shortcuts import get_object_or_404
from django.urls import reverse

from accounts.models import Role
from placements import selectors
from placements.models import Setting

from .. import letters

# Letters and plans are read by those who act on them, and by the LADO service.
LETTER_READ_ROLES = letters.LETTER_ROLES | {Role.LADO}


def _setting(request, pk: int) -> Setting:
    return get_object_or_404(
        selectors.settings_visible_to(request.user).select_related("provider"), pk=pk
    )


def _setting_url(setting_id: int) -> str:
    return reverse("placements:setting", kwargs={"pk": setting_id})
