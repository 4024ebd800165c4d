"""What the tests of visits.rules share: concrete facts and the engine's answer."""

from datetime import date
from zoneinfo import ZoneInfo

from visits.rules import PlacementFacts, RuleSet, VisitFact, next_due

LONDON = ZoneInfo("Europe/London")
R = RuleSet.defaults()
START = date(2026, 3, 2)  # a Monday
REVIEW_1 = date(2026, 3, 27)  # first LAC review, a Friday


def placement(kind="in_house_fostering", start=START, **kw):
    return PlacementFacts(start=start, provision_kind=kind, **kw)


def visit(kind, when, **kw):
    return VisitFact(kind, when, **kw)


def due_of(kind, p, visits=(), *, today, rules=R, **kw):
    return next_due(kind, p, list(visits), rules, today=today, **kw)


def due_date(kind, p, visits=(), *, today, **kw):
    d = due_of(kind, p, visits, today=today, **kw)
    assert d is not None
    return d.due
