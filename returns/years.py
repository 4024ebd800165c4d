"""A return's collection year (1 April to 31 March, named by the year it starts) and the
episodes open in it: what the import, the export and the re-import's prune share."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from placements.models import Placement


def collection_bounds(year: int) -> tuple[date, date]:
    """First and last day of the collection year named by the year it starts."""
    return date(year, 4, 1), date(year + 1, 3, 31)


def episodes_in_year(year: int):
    """Every episode open at any time in the collection year."""
    start, end = collection_bounds(year)
    return Placement.objects.filter(decom__lte=end).filter(Q(dec__isnull=True) | Q(dec__gte=start))
