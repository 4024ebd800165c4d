from datetime import date

from crispy_forms_gds.fields import DateInputField as GdsDateInputField
from django.core.exceptions import ValidationError


class DateInputField(GdsDateInputField):
    """GOV.UK's day/month/year date input that refuses an impossible date with a message,
    whatever was typed (crispy-forms-gds lets a 20-digit year raise OverflowError)."""

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            return date(day=int(day), month=int(month), year=int(year))
        except (ValueError, OverflowError, TypeError):
            raise ValidationError("Enter a real date, for example 27 3 2026") from None
