"""What the parts of the demo register share: the kinds of setting and the Ofsted
judgements they draw, the demo children's ID prefix, and drawing from weighted tables."""

from __future__ import annotations

import random
from datetime import date

from placements.models import ProvisionType, Rating

CHILD_ID_PREFIX = "D"

PT = ProvisionType
IN_HOUSE, IFA = PT.IN_HOUSE_FOSTERING.value, PT.IFA_FOSTERING.value
HOME, SECURE = PT.CHILDRENS_HOME.value, PT.SECURE_CHILDRENS_HOME.value
SCHOOL, SUPPORTED = PT.RESIDENTIAL_SPECIAL_SCHOOL.value, PT.SUPPORTED_ACCOMMODATION.value
UNREGISTERED = PT.UNREGISTERED.value
DEMO_TYPES = (IN_HOUSE, IFA, HOME, SECURE, SCHOOL, SUPPORTED, UNREGISTERED)
FOSTERING = frozenset({IN_HOUSE, IFA})
RESIDENTIAL = frozenset({HOME, SECURE, SCHOOL, SUPPORTED})

OUTSTANDING, GOOD = Rating.OUTSTANDING.value, Rating.GOOD.value
RI, INADEQUATE = Rating.REQUIRES_IMPROVEMENT.value, Rating.INADEQUATE.value
NOT_YET = Rating.NOT_YET_INSPECTED.value


def _pick(rng: random.Random, table):
    """One value from [(value, weight), …] or {value: weight}."""
    items = list(table.items()) if isinstance(table, dict) else table
    return rng.choices([v for v, _ in items], weights=[w for _, w in items])[0]


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _birthday(date_of_birth: date, years: int) -> date:
    """The day a child turns `years` (a 29 February birthday falls on 1 March, as age_on)."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + years)
    except ValueError:
        return date(date_of_birth.year + years, 3, 1)


def _words(text: str) -> list[str]:
    return text.split()
