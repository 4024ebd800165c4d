"""The rows of what plan decided: each visit as a Visit row with its form filled in
from words, and each child's LAC reviews and short-break schedule overrides, drawn from
the child's own random stream once its visits are planned (_Generator)."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from placements.models import Child, Placement, age_on
from visits import rules
from visits.models import DocumentCheck, Visit, VisitKind

from .plan import LONDON, REVIEW_CODES, _Child, _full_name, _Made, _Staff
from .words import (
    ADDITIONAL,
    COMMISSIONING_ANALYSIS,
    COMMISSIONING_ISSUES,
    COMMISSIONING_NEEDS,
    FOSTERING,
    IN_BEDROOM,
    IRO_ANALYSIS,
    IRO_ISSUES,
    IRO_NEEDS,
    LATE_REASONS,
    MANAGER_ANALYSIS,
    MANAGER_ISSUES,
    MANAGER_NEEDS,
    OTHERS_PRESENT,
    PRESENTATION,
    REGULATED,
    REGULATORY_DETAIL,
    RISK_FACTORS,
    SETTING_OVERVIEW,
    TEEN,
    UNREGISTERED,
    WORDS,
    YOUNG,
    _band,
    _say,
)


def _pick(rng: random.Random, table: dict) -> str:
    return rng.choices(list(table), weights=list(table.values()))[0]


Row = dict  # a model row by attname (child_id, visited_at, …), before it has an id

DOCUMENT_ATTRS = (
    "doc_care_plan",
    "doc_daily_logs",
    "doc_incident_reports",
    "doc_medical_logs",
    "doc_risk_assessment",
    "doc_visiting_log",
)


class _Generator:
    def __init__(self, *, seed: int, today: date, staff: _Staff, ruleset: rules.RuleSet):
        self.seed = random.Random(f"demo visits {seed}").getrandbits(40)
        self.today = today
        self.staff = staff
        self.ruleset = ruleset
        # The history ends at the start of the seeding day (London), whatever the hour:
        # the same seed on the same day gives the same times, never one in the future.
        self.finished = datetime.combine(today, time(0, 0), tzinfo=LONDON)

    def plan(self, child: Child, episodes: list[Placement]) -> _Child:
        """The child's reviews and the visits decided on (dates and people, no words yet)."""
        plan = _Child(child, episodes, self)
        plan.plan_visits()
        return plan

    def rows(self, plans: list[_Child], reviews: list[Row], overrides: list[Row]) -> Iterator[Row]:
        """The children's visit rows, one child after another; after each child's visits,
        their reviews and schedule overrides are added to the lists given."""
        for plan in plans:
            child, rng = plan.child, plan.rng
            bedroom: dict = defaultdict(bool)
            for made in sorted(plan.made, key=_at):
                yield self.visit(child, made, rng, bedroom)
            for day in plan.reviews:
                age = age_on(child.date_of_birth, day)
                reviews.append(
                    {
                        "child_id": child.pk,
                        "review_date": day,
                        "review_code": "PN0" if age < 4 else _pick(rng, REVIEW_CODES),
                        "chaired_by_id": child.iro_id,
                    }
                )
            overrides += plan.overrides

    def visit(self, child: Child, made: _Made, rng: random.Random, bedroom: dict) -> Row:
        day = made.at.date()
        age = age_on(child.date_of_birth, day)
        band = _band(age)
        episode = made.episode
        setting = episode.setting
        provision = made.provision
        where = (
            FOSTERING
            if provision in ("in_house_fostering", "ifa_fostering")
            else UNREGISTERED
            if provision == "unregistered"
            else REGULATED
        )
        if setting is None:
            venue = "The child's placement"
        elif where == FOSTERING:
            venue = f"Foster carers' home, {episode.pl_post}" if episode.pl_post else setting.name
        else:
            venue = f"{setting.name}, {setting.town}" if setting.town else setting.name
        visitor = made.visitor
        name = _full_name(visitor) or "Demo visitor"
        kind = made.kind
        words = WORDS[where]
        caseworker = kind in (VisitKind.STATUTORY, VisitKind.PURPOSEFUL)
        seen_alone = age >= 4 and rng.random() < 0.88
        if caseworker:
            key = (episode.setting_id, kind)
            seen_bedroom = not bedroom[key] or rng.random() < 0.2
            bedroom[key] = seen_bedroom
        else:
            seen_bedroom = kind == VisitKind.COMMISSIONING
        if seen_bedroom and band != YOUNG and rng.random() < 0.4:
            where_seen = IN_BEDROOM
        else:
            where_seen = _say(rng, words["where_seen"][band], 1)
        visit: Row = {
            "child_id": child.pk,
            "placement_id": episode.pk,
            "setting_id": episode.setting_id,
            "kind": kind,
            "status": Visit.Status.FINISHED.value,
            "source": Visit.Source.BROWSER.value,
            "visitor_id": visitor.pk if visitor else None,
            "visitor_name": name,
            "visitor_role": (visitor.job_title or visitor.role_label) if visitor else "",
            "visited_at": made.at,
            "venue": venue,
            "in_person": True,
            "within_timescales": not made.late,
            "not_within_timescales_reason": _say(rng, LATE_REASONS, 1) if made.late else "",
            "where_seen": where_seen,
            "seen_alone": seen_alone,
            "others_present": "" if seen_alone else _say(rng, OTHERS_PRESENT[where], 1),
            "bedroom_seen": seen_bedroom,
            "signature": name,
            "signed_on": day,
            "finished_at": min(made.at + timedelta(hours=1 + int(rng.random() * 4)), self.finished),
            "created_by_id": visitor.pk if visitor else None,
        }
        if caseworker:
            issues = words["issues"][band]
            if band == TEEN and child_is_uasc(episode):
                discussed = _say(rng, issues[:-1], 1) + " " + issues[-1]
            else:
                discussed = _say(rng, issues[:-1] if band == TEEN else issues)
            visit.update(
                communication=_say(rng, words["communication"][band], 1),
                issues_discussed=discussed,
                views_wishes_feelings=_say(rng, words["views"][band]),
                observations=_say(rng, words["observations"]),
                presentation=_say(rng, PRESENTATION, 1),
                non_compliance="" if band == YOUNG else _say(rng, words["non_compliance"], 1),
                additional_information=_say(rng, ADDITIONAL),
                analysis=_say(rng, words["analysis"], 1),
                working_well=_say(rng, words["working_well"]),
                worried_about=_say(rng, words["worried_about"], 1),
                needs_to_happen=_say(rng, words["needs_to_happen"]),
            )
        elif kind == VisitKind.IRO:
            visit.update(
                issues_discussed=_say(rng, IRO_ISSUES),
                views_wishes_feelings=_say(rng, words["views"][band]),
                analysis=_say(rng, IRO_ANALYSIS, 1),
                working_well=_say(rng, words["working_well"]),
                worried_about=_say(rng, words["worried_about"], 1),
                needs_to_happen=_say(rng, IRO_NEEDS, 1),
            )
        else:
            manager = kind == VisitKind.SERVICE_MANAGER
            visit.update(
                issues_discussed=_say(rng, MANAGER_ISSUES if manager else COMMISSIONING_ISSUES),
                views_wishes_feelings=_say(rng, words["views"][band], 1),
                analysis=_say(rng, MANAGER_ANALYSIS if manager else COMMISSIONING_ANALYSIS, 1),
                working_well=_say(rng, words["working_well"], 1),
                worried_about=_say(rng, words["worried_about"], 1),
                needs_to_happen=_say(rng, MANAGER_NEEDS if manager else COMMISSIONING_NEEDS, 1),
            )
        if kind != VisitKind.IRO and (kind != VisitKind.STATUTORY or where != FOSTERING):
            visit["setting_overview"] = _say(rng, SETTING_OVERVIEW[where])
        if kind in (VisitKind.PURPOSEFUL, VisitKind.COMMISSIONING):
            for attr in DOCUMENT_ATTRS:
                visit[attr] = SEEN if rng.random() < 0.9 else NOT_SEEN
            if where == REGULATED:
                visit["doc_regulatory_reports"] = SEEN
                visit["regulatory_reports_detail"] = _say(rng, REGULATORY_DETAIL, 1)
            visit["risk_factors"] = _say(rng, RISK_FACTORS, 1)
        return visit


SEEN, NOT_SEEN = DocumentCheck.SEEN.value, DocumentCheck.NOT_SEEN.value


def _at(made: _Made) -> datetime:
    return made.at


def child_is_uasc(episode: Placement) -> bool:
    """An unaccompanied asylum-seeking child, as the demo records one (N8, no home)."""
    return episode.cin == "N8" and not episode.home_post
