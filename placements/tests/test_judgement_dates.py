"""The current rating is the latest judgement on or before today, never the latest row
(issue 24, finding 1): a judgement dated in the future is refused, and one already on
record (from before this check) hides nothing recorded after it."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from placements import services
from placements.models import Inspection, Rating
from placements.tests.factories import InspectionFactory, SettingFactory

TODAY = date(2026, 11, 2)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-11-02 12:00 +0000", tick=False):
        yield


def record(setting, on, judgement=Rating.INADEQUATE):
    return services.inspection_record(
        setting=setting,
        inspection_date=on,
        overall_judgement=judgement,
        recorded_on=TODAY,
        actor=None,
    )


@pytest.mark.parametrize(
    ("on", "refused"), [(date(2026, 11, 1), False), (TODAY, False), (date(2026, 11, 3), True)]
)
def test_a_judgement_dated_after_today_is_refused(on, refused):
    setting = SettingFactory(current_rating=Rating.GOOD, current_rating_date=date(2025, 1, 1))
    if refused:
        with pytest.raises(ValidationError, match="today or in the past"):
            record(setting, on)
        assert not Inspection.objects.exists()
    else:
        assert record(setting, on).became_current


def test_a_judgement_already_on_record_from_the_future_hides_nothing_later():
    setting = SettingFactory(
        current_rating=Rating.OUTSTANDING, current_rating_date=date(2062, 3, 12)
    )
    InspectionFactory(
        setting=setting, inspection_date=date(2062, 3, 12), overall_judgement=Rating.OUTSTANDING
    )
    InspectionFactory(
        setting=setting, inspection_date=date(2025, 5, 1), overall_judgement=Rating.OUTSTANDING
    )

    result = record(setting, date(2026, 10, 30))

    setting.refresh_from_db()
    assert result.became_current and result.downgrade
    assert (setting.current_rating, setting.current_rating_date) == (
        Rating.INADEQUATE,
        date(2026, 10, 30),
    )
    assert result.inspection.previous_judgement == Rating.OUTSTANDING
    # What follows an Inadequate judgement followed: the setting is suspended.
    assert setting.referrals_suspended
