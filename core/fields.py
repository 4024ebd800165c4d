from datetime import date

from crispy_forms_gds.fields import DateInputField as GdsDateInputField
from django.core.exceptions import ValidationError
from django.utils import timezone

#: The first day any date in a child's case can be: the oldest care leaver supported to 25
#: was born after it, and no judgement, letter or meeting the app keeps is older.
EARLIEST = date(1990, 1, 1)
#: How far ahead a date may be: a meeting, deadline or review is booked at most this many
#: years ahead (to the end of that year).
YEARS_AHEAD = 5


def _long(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


class DateInputField(GdsDateInputField):
    """GOV.UK's day/month/year date input that refuses an impossible date with a message,
    whatever was typed (crispy-forms-gds lets a 20-digit year raise OverflowError), and a
    date no case could hold: before :data:`EARLIEST` or more than :data:`YEARS_AHEAD`
    years ahead (issue 24, finding 7: years 0001, 1900, 2099 and 9999 were taken, and 9999
    ended in a server error). A form's own rules (not in the future, not before birth)
    still apply on top."""

    def __init__(self, *args, earliest: date = EARLIEST, years_ahead: int = YEARS_AHEAD, **kwargs):
        self.earliest = earliest
        self.years_ahead = years_ahead
        super().__init__(*args, **kwargs)

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            value = date(day=int(day), month=int(month), year=int(year))
        except (ValueError, OverflowError, TypeError):
            raise ValidationError("Enter a real date, for example 27 3 2026") from None
        latest = date(timezone.localdate().year + self.years_ahead, 12, 31)
        if not self.earliest <= value <= latest:
            raise ValidationError(
                f"Enter a date between {_long(self.earliest)} and {_long(latest)}"
            )
        return value
