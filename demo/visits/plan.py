"""Which visits and LAC reviews each demo child had, up to the day before the seeding
day: dates and people, no words yet (_Child, _Made).

LAC reviews follow timescales.md §4. For each placement, the visits its duties need are
stepped through with the schedule engine itself (visits.rules.next_due over a growing
list of VisitFact): statutory visits by the allocated social worker (§1), purposeful
visits to regulated non-fostering and unregistered settings (§2, §3), IRO visits (§2,
§3), and the commissioning and service manager visits of an unregistered placement
(§3). Each visit is made a few days before it falls due, now and then a few days late;
for the duties open today, about one in ten has its last visit left unmade, so the
worktray has some overdue. Short breaks (reg. 48) get the schedule agreed with the IRO
and parents as the child's own schedule. Each child has a random stream of its own, of
(seed, child number).
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from accounts.models import Role, User
from duties.calendar import add_months, add_working_days, subtract_working_days
from placements.models import Child, Placement
from placements.periods import looked_after_since
from visits import rules, schedule

logger = logging.getLogger(__name__)

LONDON = ZoneInfo("Europe/London")

# How a visit falls against its due date (the brief: 0–10 days early, ~5% late by 1–10).
LATE_SHARE = 0.05
MAX_EARLY_DAYS = 10
MAX_LATE_DAYS = 10
# The last visit of a duty open today is left unmade (so the duty is overdue) with this
# chance, by how long ago it fell due: mostly recently, now and then long ago.
MISS_RECENT = 0.5  # due 1–7 days ago
MISS_OLDER = 0.04  # due longer ago
RECENT_DAYS = 7
# Short breaks (reg. 48): the visiting schedule agreed with the IRO and the parents.
SHORT_BREAK_MONTHS = 3
# LAC reviews: how many days before the due date they are held, and how often late.
REVIEW_LATE_SHARE = 0.03
REVIEW_CODES = {"PN1": 58, "PN2": 7, "PN3": 4, "PN4": 8, "PN5": 13, "PN6": 6, "PN7": 4}

VISIT_KINDS = (
    rules.STATUTORY_VISIT,
    rules.PURPOSEFUL_VISIT,
    rules.IRO_VISIT,
    rules.COMMISSIONING_VISIT,
    rules.SERVICE_MANAGER_VISIT,
)
# Kinds whose answer depends only on the first and the latest few visits (statutory:
# the last one; purposeful: whether one was made before the placement, the last one,
# and the visits of the current twice-weekly week): the engine is given those alone,
# which gives the same answer as the whole list, at a fixed cost per step.
WINDOWED = frozenset({rules.STATUTORY_VISIT, rules.PURPOSEFUL_VISIT})
WINDOW = 4
#: Step through the simple schedules with date arithmetic (checked against the engine
#: at the end of each walk) instead of asking the engine at every step.
FAST_STEPS = True
MAX_STEPS = 1000  # per duty of a placement; a schedule that stops moving ends the walk
VISIT_HOURS = [9, 10, 10, 11, 11, 12, 13, 14, 14, 15, 16, 16, 17, 18]


def _randint(rng: random.Random, low: int, high: int) -> int:
    """rng.randint(low, high), from one rng.random() (a hot path)."""
    return low + int(rng.random() * (high - low + 1))


@dataclass(frozen=True)
class _Staff:
    commissioning: list[User]
    service_managers: list[User]


def _staff() -> _Staff:
    users = list(
        User.objects.filter(
            role__in=[Role.COMMISSIONING_OFFICER, Role.SERVICE_MANAGER], is_active=True
        ).order_by("username")
    )
    return _Staff(
        [u for u in users if u.role == Role.COMMISSIONING_OFFICER],
        [u for u in users if u.role == Role.SERVICE_MANAGER],
    )


def _full_name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


@dataclass
class _Made:
    """One visit decided on: when, by whom, and how it fell against its due date."""

    kind: str  # visit kind
    at: datetime
    late: bool
    episode: Placement
    provision: str
    visitor: User | None


class _Planning(Protocol):
    """What planning a child reads of the run (``rows._Generator`` is one)."""

    seed: int
    today: date
    staff: _Staff
    ruleset: rules.RuleSet


class _Child:
    """The reviews and visits of one child, stepped through the schedule engine."""

    def __init__(self, child: Child, episodes: list[Placement], gen: _Planning):
        self.child = child
        self.episodes = episodes
        self.gen = gen
        self.today = gen.today
        self.rng = random.Random(gen.seed * 1_000_003 + int(child.child_id[1:]))
        self.made: list[_Made] = []
        self.reviews: list[date] = []
        self.overrides: list[dict] = []
        self._year_end: tuple[date | None, date] = (None, date.min)

    # -- LAC reviews (timescales.md §4)

    def plan_reviews(self, since: dict[int, date]) -> None:
        periods: dict[date, date | None] = {}
        for episode in self.episodes:
            periods[since[episode.pk]] = episode.dec  # the last episode's DEC wins
        for start, end in periods.items():
            self.reviews += self._reviews_of_period(start, end)

    def _reviews_of_period(self, start: date, end: date | None) -> list[date]:
        rng, r = self.rng, self.gen.ruleset
        held: list[date] = []
        due = add_working_days(start, r.lac_review_first_working_days)
        while True:
            if rng.random() < REVIEW_LATE_SHARE:
                day = due + timedelta(days=rng.randint(1, 7))
            elif not held:
                day = subtract_working_days(due, rng.randint(0, 8))
            else:
                day = due - timedelta(days=rng.randint(0, 21))
            while day.weekday() >= 5:  # reviews are held on weekdays
                day -= timedelta(days=1)
            if held and day <= held[-1]:
                day = held[-1] + timedelta(days=1)
            if day > self.today or (end is not None and day >= end) or day <= start:
                break
            held.append(day)
            months = (
                r.lac_review_second_months if len(held) == 1 else r.lac_review_subsequent_months
            )
            due = add_months(day, months)
        return held

    # -- visits

    def plan_visits(self) -> None:
        since = looked_after_since(self.episodes)
        self.plan_reviews(since)
        own: dict[str, rules.ScheduleOverride] = {}
        for chain in schedule.placement_chains(self.episodes):
            first, last = chain[0], chain[-1]
            if schedule.provision_kind(last) == "short_breaks" and not own:
                own = self._short_break_schedule(first)
            period_start = since[first.pk]
            held = [d for d in self.reviews if d >= period_start]
            facts = schedule.placement_facts(
                last, own, start=first.decom, first_lac_review=held[0] if held else None
            )
            active = last.dec is None or last.dec > self.today
            for kind in VISIT_KINDS:
                self._walk(kind, chain, facts, period_start, active)

    def _short_break_schedule(self, first: Placement) -> dict[str, rules.ScheduleOverride]:
        iro = self.child.iro
        agreed_by = f"{_full_name(iro)} (IRO)" if iro else "IRO and parents"
        self.overrides.append(
            {
                "child_id": self.child.pk,
                "duty_kind": rules.STATUTORY_VISIT,
                "interval_months": SHORT_BREAK_MONTHS,
                "agreed_by_name": agreed_by,
                "agreed_by_id": self.child.iro_id,
                "agreed_on": first.decom,
                "reason": "Agreed series of short breaks (reg. 48): visits agreed with the IRO "
                "and the parents at the planning meeting before the first stay.",
                "created_by_id": self.child.iro_id,
            }
        )
        return {
            rules.STATUTORY_VISIT: rules.ScheduleOverride(
                interval_days=None,
                interval_months=SHORT_BREAK_MONTHS,
                agreed_by=agreed_by,
                agreed_on=first.decom,
            )
        }

    def _visitor(self, kind: str) -> User | None:
        child, staff = self.child, self.gen.staff
        if kind == rules.IRO_VISIT:
            return child.iro
        if kind == rules.COMMISSIONING_VISIT:
            pool = staff.commissioning
            return pool[int(self.rng.random() * len(pool))] if pool else None
        if kind == rules.SERVICE_MANAGER_VISIT:
            boss = child.social_worker.line_manager if child.social_worker else None
            for _ in range(2):
                if boss is None or boss.role == Role.SERVICE_MANAGER:
                    break
                boss = boss.line_manager
            if boss is not None and boss.role == Role.SERVICE_MANAGER:
                return boss
            return staff.service_managers[0] if staff.service_managers else None
        return child.social_worker

    def _plain(self, kind: str, facts: rules.PlacementFacts) -> bool:
        """Whether the duty's next date is simple arithmetic on the last visit (then the
        walk steps without asking the engine each time, and checks with it at the end):
        statutory visits in the 'any placement' and 'permanent' rows of TS §1, purposeful
        visits to a regulated placement (TS §2), without a child's own schedule."""
        if kind in facts.overrides:
            return False
        if kind == rules.STATUTORY_VISIT:
            return facts.provision_kind not in (
                "short_breaks",
                "adoption",
                "custody",
            ) and not (
                facts.connected_person_temporary
                or facts.placed_with_parent_pre_assessment
                or facts.interim_care_order_with_parent
                or facts.care_order_made_while_with_parent
            )
        return kind == rules.PURPOSEFUL_VISIT and facts.provision_kind == "regulated"

    def _next(self, kind, facts, facts_made, period_start, plain: bool) -> rules.Due | None:
        if not (plain and facts_made):
            return self._answer(kind, facts, facts_made, period_start)
        r, last = self.gen.ruleset, facts_made[-1].local_date
        if kind == rules.STATUTORY_VISIT:
            if last < self._first_year_end(facts.start):
                when = last + timedelta(days=r.statutory_interval_first_year_days)
            elif facts.permanent:
                when = add_months(last, r.statutory_interval_permanent_after_first_year_months)
            else:
                when = last + timedelta(days=r.statutory_interval_after_first_year_days)
        elif facts.permanent:
            when = add_months(last, r.purposeful_sw_permanent_interval_months)
        else:
            when = last + timedelta(weeks=r.purposeful_sw_interval_weeks)
        if facts.end is not None and when > facts.end:
            return None
        return rules.Due(kind, when, None, "", "")

    def _first_year_end(self, start: date) -> date:
        if self._year_end[0] != start:
            self._year_end = (
                start,
                add_months(start, self.gen.ruleset.placement_first_year_months),
            )
        return self._year_end[1]

    def _answer(self, kind, facts, facts_made, period_start) -> rules.Due | None:
        visits = facts_made
        if kind in WINDOWED and len(visits) > WINDOW + 1:
            visits = [visits[0], *visits[-WINDOW:]]
        return rules.next_due(
            kind,
            facts,
            visits,
            self.gen.ruleset,
            reviews=self.reviews,
            looked_after_since=period_start,
            today=self.today,
        )

    def _walk(
        self,
        kind: str,
        chain: list[Placement],
        facts: rules.PlacementFacts,
        period_start: date,
        active: bool,
        *,
        plain: bool | None = None,
    ) -> None:
        rng, today = self.rng, self.today
        visit_kind = rules.DISCHARGED_BY[kind]
        start, end = facts.start, facts.end
        miss = rng.random()  # whether the last visit of a duty open today is left unmade
        facts_made: list[rules.VisitFact] = []
        times: list[datetime] = []
        lates: list[bool] = []
        short_breaks = facts.provision_kind == "short_breaks"
        if short_breaks and kind == rules.STATUTORY_VISIT and start < today:
            # Seen on the first day of the first stay (003 10.2); then the agreed schedule.
            times.append(self._at(start, None))
            lates.append(False)
            facts_made.append(rules.VisitFact(visit_kind, start))
        if plain is None:
            plain = FAST_STEPS and self._plain(kind, facts)
        due = self._next(kind, facts, facts_made, period_start, plain)
        if due is None and not facts_made and kind == rules.STATUTORY_VISIT and end is not None:
            # A placement over before its first-week visit fell due: the child was still
            # seen during it (003 10.2, "see the child on the day of placement").
            last_day = min(end, today - timedelta(days=1))
            if last_day >= start:
                day = start + timedelta(days=rng.randint(0, (last_day - start).days))
                times.append(self._at(day, None))
                lates.append(False)
        twice_weekly_end = start
        if kind == rules.PURPOSEFUL_VISIT and facts.provision_kind == "unregistered":
            twice_weekly_end = add_months(start, self.gen.ruleset.unregistered_twice_weekly_months)
        repeats, per_week = 0, self.gen.ruleset.unregistered_visits_per_week
        for _ in range(MAX_STEPS):
            if due is None:
                break
            last = facts_made[-1].local_date if facts_made else None
            day, late = self._when(kind, facts, due, last, twice_weekly_end)
            if day is None or day >= today or (end is not None and day > end):
                break  # the history ends the day before the seeding day
            fact = rules.VisitFact(visit_kind, day)
            following = self._next(kind, facts, [*facts_made, fact], period_start, plain)
            if (
                active
                and due.due < today
                and facts_made
                and (following is None or following.due > today)
                and miss < (MISS_RECENT if (today - due.due).days <= RECENT_DAYS else MISS_OLDER)
            ):
                break  # the last visit due is not made: the duty is overdue today
            previous_at = times[-1] if times and times[-1].date() == day else None
            facts_made.append(fact)
            times.append(self._at(day, previous_at))
            lates.append(late)
            if following is not None and following.due == due.due:
                # Only a twice-weekly week needs a second visit for the same due date;
                # otherwise the schedule no longer moves: nothing more is due.
                repeats += 1
                if kind != rules.PURPOSEFUL_VISIT or repeats >= per_week:
                    break
            else:
                repeats = 0
            due = following
        if plain and facts_made:
            # The engine has the last word: where the arithmetic disagrees with it, the
            # walk is made again step by step with the engine.
            engine = self._answer(kind, facts, facts_made, period_start)
            if (engine and engine.due) != (due and due.due):
                logger.warning("Demo visits: %s of %s walked again", kind, self.child.child_id)
                self._walk(kind, chain, facts, period_start, active, plain=False)
                return
        visitor = self._visitor(kind)
        for at, late in zip(times, lates, strict=True):
            episode = self._episode_on(chain, at.date())
            self.made.append(
                _Made(
                    kind=visit_kind,
                    at=at,
                    late=late,
                    episode=episode,
                    provision=facts.provision_kind,
                    visitor=visitor,
                )
            )

    def _when(
        self,
        kind: str,
        facts: rules.PlacementFacts,
        due: rules.Due,
        last: date | None,
        twice_weekly_end: date,
    ) -> tuple[date | None, bool]:
        """The day the visit for ``due`` is made, and whether that is late."""
        rng, start = self.rng, facts.start
        target = due.due
        if due.due_at is not None:
            return start, False  # within 24 hours: the same day as the visit before it
        if (
            kind == rules.PURPOSEFUL_VISIT
            and facts.provision_kind == "unregistered"
            and target.weekday() == 6
            and start <= target - timedelta(days=6) < twice_weekly_end
        ):
            # Twice weekly (TS §3): early in the week, then later in it.
            monday = target - timedelta(days=6)
            if last is None or last < monday:
                return monday + timedelta(days=rng.randint(0, 3)), False
            if last < target:
                return last + timedelta(days=rng.randint(1, (target - last).days)), False
            return last, False
        floor = start if last is None else last + timedelta(days=1)
        if target < floor:
            return floor, True
        if last is None and kind == rules.STATUTORY_VISIT:
            # Often seen on the day of placement (003 10.2), otherwise within the week.
            span = min((target - start).days, (self.today - start).days)
            if facts.end is not None:
                span = min(span, (facts.end - start).days)  # seen during a short stay too
            offset = 0 if rng.random() < 0.5 else rng.randint(0, max(span, 0))
            return start + timedelta(days=offset), False
        span = (target - (last or start)).days
        if rng.random() < LATE_SHARE:
            day = target + timedelta(days=_randint(rng, 1, max(1, min(MAX_LATE_DAYS, span // 4))))
            return day, True
        day = target - timedelta(days=_randint(rng, 0, min(MAX_EARLY_DAYS, span // 4)))
        if day.weekday() >= 5 and rng.random() < 0.8:  # mostly on a weekday
            friday = day - timedelta(days=day.weekday() - 4)
            monday = day + timedelta(days=7 - day.weekday())
            if friday >= floor and (target - friday).days <= MAX_EARLY_DAYS:
                day = friday
            elif monday <= target:
                day = monday
        return max(day, floor), False

    def _at(self, day: date, previous: datetime | None) -> datetime:
        rng = self.rng
        hour = VISIT_HOURS[int(rng.random() * len(VISIT_HOURS))]
        if previous is not None:
            hour = min(max(hour, previous.hour + 2), 20)
        at = datetime.combine(day, time(hour, 15 * int(rng.random() * 4)), tzinfo=LONDON)
        if previous is not None and at <= previous:
            at = previous + timedelta(minutes=30)
        return at

    @staticmethod
    def _episode_on(chain: list[Placement], day: date) -> Placement:
        found = chain[0]
        for episode in chain:
            if episode.decom <= day:
                found = episode
        return found
