"""Fixed days for tests whose subject follows the calendar (the ``demo_day`` fixture)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

LONDON = ZoneInfo("Europe/London")

#: The days the demo's tests run on. What seed_demo makes follows the calendar (histories
#: end the day before it runs), so its tests never read the wall clock: each runs on a
#: fixed day, the tests of its invariants on every one of these (month ends, both clock
#: changes, a bank holiday; and the day a wall-clock time once made the suite red).
DEMO_DAYS = {
    "2 Dec 2026": datetime(2026, 12, 2, 13, 41, 50, tzinfo=LONDON),
    "month end, late evening": datetime(2026, 1, 31, 23, 45, tzinfo=LONDON),
    "clocks go forward": datetime(2026, 3, 29, 0, 30, tzinfo=UTC),  # 01:30 BST
    "bank holiday and month end": datetime(2026, 8, 31, 10, 0, tzinfo=LONDON),
    "clocks go back": datetime(2026, 10, 25, 1, 30, tzinfo=UTC),  # the repeated hour
    "February's end, after midnight": datetime(2027, 2, 28, 0, 5, tzinfo=LONDON),
}

#: Run a test on every one of DEMO_DAYS (through the ``demo_day`` fixture).
EVERY_DEMO_DAY = pytest.mark.parametrize(
    "demo_day", list(DEMO_DAYS.values()), ids=list(DEMO_DAYS), indirect=True
)
