"""What the apps above reviews add to a LAC review's page and its PDF (the schedule
change agreed at the review is visits'): they register a section here from their
``AppConfig.ready()``, so that reviews imports none of them (the house's layers)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    #: Included in the review's page, and in its PDF, with the page's context and
    #: ``section`` (what ``context`` returned).
    template: str
    pdf_template: str
    #: ``context(review, user)``: a fixed number of queries, whatever the caseload.
    context: Callable[[object, object], dict]
    order: int = 100


_sections: list[Section] = []


def add(section: Section) -> None:
    if section not in _sections:
        _sections.append(section)
        _sections.sort(key=lambda s: s.order)


def for_review(review, user) -> list[dict]:
    """Each registered section's templates and context for this review and reader."""
    return [
        {
            "template": section.template,
            "pdf_template": section.pdf_template,
            "context": section.context(review, user),
        }
        for section in _sections
    ]
