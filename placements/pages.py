"""What the workflows add to the register's pages: a child's record and a setting's page.

The register imports no workflow, yet its pages show what the workflows know (a child's
visits, a setting's concerns and what is due there). Each workflow registers, from its
``AppConfig.ready()``, the links it adds to a child's record, the sources of the child's
timeline (plans, health, education and reviews) and the sections it adds to a setting's
page; the register's views render whatever is registered, in ``order``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Link:
    """A link (or button) on a record's page: ``url(record)``, shown when
    ``shown_to(user)``."""

    label: str
    url: Callable[[Any], str]
    order: int
    shown_to: Callable[[Any], bool] = lambda user: True
    button: bool = False


@dataclass(frozen=True)
class Section:
    """A section of a setting's page: ``template``, included by the page with the page's
    context (the request, ``setting``, ``today``) and ``context(user, setting)``, whose
    names must be the section's own. ``annotations()`` are added to the query that reads
    the setting (whether the section holds anything, say), so that an empty section costs
    no query of its own."""

    name: str
    template: str
    context: Callable[[Any, Any], dict]
    order: int
    annotations: Callable[[], dict] = field(default=lambda: {})


@dataclass(frozen=True)
class Entry:
    """Something that happened, on the child's timeline: a plan completed, a review held."""

    date: date
    label: str
    detail: str = ""
    url: str = ""


@dataclass(frozen=True)
class Due:
    """Something next due for the child: a duty still open, a review booked."""

    due: date
    label: str
    detail: str = ""
    url: str = ""


@dataclass(frozen=True)
class TimelinePart:
    entries: list[Entry] = field(default_factory=list)
    due: list[Due] = field(default_factory=list)


@dataclass(frozen=True)
class TimelineSource:
    """A workflow's part of the child's timeline: ``read(user, child, today)`` gives its
    entries and what is next due, in a fixed number of queries whatever the child's
    history (the record's query count is pinned)."""

    name: str
    read: Callable[[Any, Any, date], TimelinePart]
    order: int


@dataclass(frozen=True)
class Timeline:
    entries: list[Entry]  # most recent first
    due: list[Due]  # soonest first


_child_links: list[Link] = []
_timeline_sources: list[TimelineSource] = []
_setting_actions: list[Link] = []
_setting_sections: list[Section] = []


def _add(items: list, item) -> None:
    if item not in items:
        items.append(item)
        items.sort(key=lambda entry: entry.order)


def add_child_link(link: Link) -> None:
    _add(_child_links, link)


def add_timeline_source(source: TimelineSource) -> None:
    _add(_timeline_sources, source)


def add_setting_action(link: Link) -> None:
    _add(_setting_actions, link)


def add_setting_section(section: Section) -> None:
    _add(_setting_sections, section)


def _links(links: list[Link], user, record) -> list[dict]:
    return [
        {"label": link.label, "url": link.url(record), "button": link.button}
        for link in links
        if link.shown_to(user)
    ]


def child_links(user, child) -> list[dict]:
    return _links(_child_links, user, child)


def child_timeline(user, child, today: date) -> Timeline:
    """Every source's entries, most recent first (a day's entries in the sources' order),
    and what is next due, soonest first."""
    entries: list[tuple[int, Entry]] = []
    due: list[tuple[int, Due]] = []
    for rank, source in enumerate(_timeline_sources):
        part = source.read(user, child, today)
        entries.extend((rank, entry) for entry in part.entries)
        due.extend((rank, item) for item in part.due)
    entries.sort(key=lambda pair: (-pair[1].date.toordinal(), pair[0]))
    due.sort(key=lambda pair: (pair[1].due, pair[0]))
    return Timeline([entry for _, entry in entries], [item for _, item in due])


def setting_actions(user, setting) -> list[dict]:
    return _links(_setting_actions, user, setting)


def setting_annotations() -> dict:
    annotations: dict = {}
    for section in _setting_sections:
        annotations.update(section.annotations())
    return annotations


def setting_sections(user, setting) -> tuple[list[str], dict]:
    """The templates of the setting page's sections, in order, and what they show: the
    page includes them in its own context (one render, its context processors once)."""
    context: dict = {}
    for section in _setting_sections:
        found = section.context(user, setting)
        if clash := set(found) & set(context):
            raise ValueError(f"Setting page section {section.name!r} reuses {sorted(clash)}")
        context.update(found)
    return [section.template for section in _setting_sections], context
