"""School terms, for the PEP's termly review (timescales.md §7: "reviewed every school
term"), and compulsory school age.

Term dates differ between schools and years, so they are data an administrator keeps
(``plans.models.SchoolTerm``, in the admin with history). A school year (1 September to
31 August) with no term recorded has England's usual three terms, simplified to whole
months so that nothing breaks when no term has been entered:

- autumn: 1 September to 31 December;
- spring: 1 January to 31 March;
- summer: 1 April to 31 July.

Once an administrator records any term of a school year, that year's recorded terms are
used, and only they: a year is either the administrator's or the defaults, never a mix.
A term belongs to the school year in which it ends.

Pure functions and a small calendar object: no ORM (``plans.schedule`` reads the rows).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

#: How many school years ahead a search for the next term may look (a child who became
#: looked after as a baby reaches school age within six years).
SEARCH_YEARS = 20


@dataclass(frozen=True)
class Term:
    name: str
    starts_on: date
    ends_on: date
    #: Generated (no term of its school year is recorded), not an administrator's row.
    default: bool = False

    def __contains__(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def describe(self) -> str:
        """'the Spring 2027 term (1 January to 31 March 2027)'."""
        return (
            f"the {self.name} term ({self.starts_on.day} {self.starts_on:%B %Y} to "
            f"{self.ends_on.day} {self.ends_on:%B %Y})"
        )


def school_year_of(day: date) -> int:
    """The school year a day falls in, by the calendar year it starts (1 September)."""
    return day.year if day.month >= 9 else day.year - 1


def default_terms(school_year: int) -> tuple[Term, Term, Term]:
    """England's usual terms, simplified (module docstring), for the school year starting
    1 September ``school_year``."""
    spring = school_year + 1
    return (
        Term(f"Autumn {school_year}", date(school_year, 9, 1), date(school_year, 12, 31), True),
        Term(f"Spring {spring}", date(spring, 1, 1), date(spring, 3, 31), True),
        Term(f"Summer {spring}", date(spring, 4, 1), date(spring, 7, 31), True),
    )


class TermCalendar:
    """The school terms: an administrator's rows, and the defaults for years without any."""

    def __init__(self, recorded: Iterable[Term] = ()) -> None:
        self._recorded: dict[int, list[Term]] = defaultdict(list)
        for term in recorded:
            self._recorded[school_year_of(term.ends_on)].append(term)
        for terms in self._recorded.values():
            terms.sort(key=lambda t: (t.starts_on, t.ends_on))

    def of_year(self, school_year: int) -> list[Term]:
        return self._recorded.get(school_year) or list(default_terms(school_year))

    def from_year(self, school_year: int) -> Iterator[Term]:
        """Every term from that school year on, in date order (at most SEARCH_YEARS)."""
        for year in range(school_year, school_year + SEARCH_YEARS):
            yield from self.of_year(year)

    def first_starting_after(self, day: date) -> Term | None:
        """The first term that starts after ``day``."""
        # A year's recorded terms may start in August (the year before, by the calendar).
        for term in self.from_year(school_year_of(day) - 1):
            if term.starts_on > day:
                return term
        return None

    def first_ending_after(self, day: date) -> Term | None:
        """The first term that ends after ``day``."""
        for term in self.from_year(school_year_of(day) - 1):
            if term.ends_on > day:
                return term
        return None


# --- Compulsory school age ------------------------------------------------------------------
#
# Education Act 1996 s.8(2): a child begins to be of compulsory school age on their 5th
# birthday if it is a "prescribed day", otherwise at the beginning of the next prescribed
# day; the Education (Start of Compulsory School Age) Order 1998 (SI 1998/1607) prescribes
# 31 August, 31 December and 31 March. In practice: from the term after the 5th birthday
# (1 September, 1 January or 1 April under the default terms).
# s.8(3) and the Education (School Leaving Date) Order 1997 (SI 1997/1970): they cease to
# be of compulsory school age on the last Friday in June of the school year in which they
# turn 16.

_PRESCRIBED_DAYS = ((3, 31), (8, 31), (12, 31))  # (month, day), in calendar order


def _birthday(date_of_birth: date, years: int) -> date:
    """The birthday ``years`` on (a 29 February birthday is 1 March in other years)."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + years)
    except ValueError:
        return date(date_of_birth.year + years, 3, 1)


def school_age_starts(date_of_birth: date) -> date:
    """The prescribed day on or after the 5th birthday (s.8(2) Education Act 1996)."""
    fifth = _birthday(date_of_birth, 5)
    for month, day in _PRESCRIBED_DAYS:
        prescribed = date(fifth.year, month, day)
        if prescribed >= fifth:
            return prescribed
    raise AssertionError("31 December is on or after every day of its year")  # pragma: no cover


def _last_friday_of_june(year: int) -> date:
    last = date(year, 6, 30)
    return last - timedelta(days=(last.weekday() - 4) % 7)


def school_leaving_date(date_of_birth: date) -> date:
    """The last Friday in June of the school year in which the child turns 16."""
    sixteenth = _birthday(date_of_birth, 16)
    return _last_friday_of_june(school_year_of(sixteenth) + 1)


def of_school_age(date_of_birth: date, day: date) -> bool:
    """Of compulsory school age on ``day``."""
    return school_age_starts(date_of_birth) <= day <= school_leaving_date(date_of_birth)


__all__ = [
    "Term",
    "TermCalendar",
    "default_terms",
    "of_school_age",
    "school_age_starts",
    "school_leaving_date",
    "school_year_of",
]
