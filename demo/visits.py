"""Demo visit histories and LAC reviews for the demo caseload (seed_demo).

Every demo child (child ID D000001, …) without visits or reviews yet is given what
the guidance asked for up to today: LAC reviews (timescales.md §4), and for each
placement the visits its duties need, stepped through with the schedule engine
itself (visits.rules.next_due over a growing list of VisitFact): statutory visits
by the allocated social worker (§1), purposeful visits to regulated non-fostering
and unregistered settings (§2, §3), IRO visits (§2, §3), and the commissioning and
service manager visits of an unregistered placement (§3). Each visit is made a few
days before it falls due, now and then a few days late; for the duties open today,
about one in ten has its last visit left unmade, so the worktray has some overdue.
Short breaks (reg. 48) get the schedule agreed with the IRO and parents as the
child's own schedule.

Everything is drawn from random.Random streams of (seed, child number), and the
history ends with the day before the seeding day (nothing is stamped with the wall
clock's time): the same seed against the same database on the same day gives the
same records at whatever hour it runs, and a child who already has
visits or reviews is left alone (a second run adds nothing). Rows are built in
memory a chunk of children at a time, with no query per child, and written with one
history row each ("Demo data"): on PostgreSQL with COPY, as a large caseload has
hundreds of thousands of visits (see USE_COPY), elsewhere with
bulk_create_with_history. The Duty rows are not written here: seed_demo runs
duties.recompute.recompute_all, so what is overdue is the engine's own answer.
"""

from __future__ import annotations

import logging
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import connection, connections, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import Role, User
from duties.calendar import add_months, add_working_days, subtract_working_days
from placements.models import Child, Placement, age_on
from placements.periods import looked_after_since
from reviews.models import LacReview
from visits import rules, schedule
from visits.models import DocumentCheck, ScheduleOverride, Visit, VisitKind

logger = logging.getLogger(__name__)

CHANGE_REASON = "Demo data"
CHILD_ID_PREFIX = "D"
BATCH = 1000  # rows per INSERT
CHUNK = 1000  # children per transaction and per progress line
LONDON = ZoneInfo("Europe/London")

Progress = Callable[[str], None]

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


def _pick(rng: random.Random, table: dict) -> str:
    return rng.choices(list(table), weights=list(table.values()))[0]


# --------------------------------------------------------------------------- words
# Short sentences, combined at random. No names: "the carers", "staff", "the key worker".
# {carers}/{Carers} and {home} are filled in for the kind of placement (see WHERE).

YOUNG, CHILD, TEEN = "young", "child", "teen"
FOSTERING, REGULATED, UNREGISTERED = "fostering", "regulated", "unregistered"
WHERE = {
    FOSTERING: {"carers": "the carers", "Carers": "The carers", "home": "home"},
    REGULATED: {"carers": "staff", "Carers": "Staff", "home": "home"},
    UNREGISTERED: {"carers": "support staff", "Carers": "Support staff", "home": "flat"},
}

COMMUNICATION = {
    YOUNG: [
        "Too young to talk about the visit; communicates through play, babbling and gestures.",
        "{Carers} read cues well and respond quickly to crying and smiles.",
        "Uses a few words and points to what is wanted; {carers} use simple language.",
        "Responds to familiar songs and routines; settles quickly when comforted.",
    ],
    CHILD: [
        "Chats easily with {carers} and likes to show drawings.",
        "Prefers talking while doing an activity rather than sitting face to face.",
        "Uses a feelings chart with {carers} at bedtime; this works well.",
        "Can be quiet with new adults but warms up after a few minutes.",
        "Speech and language plan is followed at {home} and at school.",
    ],
    TEEN: [
        "Prefers to message the social worker between visits; replies within a day or two.",
        "Talks openly when out of the house, for example on a walk or in the car.",
        "{Carers} use short, direct conversations; this works better than formal meetings.",
        "English is improving quickly; an interpreter was offered and not needed today.",
        "Sometimes withdrawn after contact; {carers} give space and check in later.",
    ],
}
ISSUES = {
    YOUNG: [
        "Routines at {home}, sleep and feeding.",
        "Health visitor appointments and immunisations, which are up to date.",
        "Family time arrangements and how the baby settles afterwards.",
        "Nursery place and the settling-in sessions.",
        "Developmental checks and speech.",
        "Carers' support needs and respite.",
    ],
    CHILD: [
        "School, friendships and homework.",
        "Family time and how it has gone since the last visit.",
        "Clubs and activities after school.",
        "Bedtime routines and screen time.",
        "Life story work and questions about why they are in care.",
        "Health and dental appointments.",
        "Pocket money and savings.",
        "Worries about moving school next year.",
    ],
    TEEN: [
        "Attendance at school or college and plans for exams.",
        "Family time and contact by phone.",
        "Friendships, social media and staying safe online.",
        "Independence skills: cooking, budgeting and travel.",
        "Pathway planning and what happens at 18.",
        "Part-time work and money.",
        "Curfew and coming home on time.",
        "Health, including sleep and emotional wellbeing.",
        # Last: only for an unaccompanied asylum-seeking child.
        "Progress of the asylum claim and the next solicitor appointment.",
    ],
}
VIEWS = {
    YOUNG: [
        "Too young to give views; presented as content and secure with {carers}.",
        "Reached for a familiar adult when unsure and was comforted quickly.",
        "Enjoyed playing with the social worker on the floor; no signs of distress.",
        "Seemed happy and relaxed throughout the visit.",
    ],
    CHILD: [
        "Said they are happy living here.",
        "Would like to see their brother more often.",
        "Said school is OK but maths is hard.",
        "Wants to join the football club with a friend.",
        "Said they miss mum but enjoy the visits.",
        "Asked whether they can stay here for a long time.",
        "Would like a later bedtime at weekends.",
        "Said nothing is worrying them at the moment.",
    ],
    TEEN: [
        "Says they feel settled and get on with {carers}.",
        "Wants more say in when family time happens.",
        "Would like to start driving lessons when old enough.",
        "Feels the house rules are fair, apart from the phone curfew.",
        "Wants to stay in the area for college.",
        "Says they are worried about moving on at 18.",
        "Would like help finding a part-time job.",
        "Says they feel safe here.",
        "Asked for help to stay in touch with a former carer.",
    ],
}
OBSERVATIONS = [
    "Warm interactions between {carers} and the child were seen.",
    "The {home} was clean, tidy and welcoming.",
    "{Carers} knew the child's routines and preferences well.",
    "Relationships in the {home} appeared relaxed and positive.",
    "The child moved freely around the {home} and seemed at ease.",
    "{Carers} spoke about the child with warmth and pride.",
    "Photos and artwork by the child were on display.",
]
PRESENTATION = [
    "Presented as healthy, clean and appropriately dressed.",
    "Appeared well and happy; good eye contact.",
    "A little tired after school but in good spirits.",
    "Well presented; weight and growth are on track.",
    "Cheerful and chatty throughout.",
    "Quieter than usual but engaged once the conversation moved on to hobbies.",
]
NON_COMPLIANCE = [
    "None.",
    "None noted.",
    "None at this visit.",
    "Did not want to talk about family time today; this was respected.",
    "Late back twice since the last visit; agreed a plan with {carers}.",
]
ADDITIONAL = [
    "Went swimming and to the cinema since the last visit.",
    "Started a new after-school club.",
    "Had a birthday celebration with cake and friends.",
    "Enjoyed a day trip to the coast.",
    "Has been helping to cook tea once a week.",
    "Completed a first aid course at college.",
    "Joined a local youth group.",
    "Family time went ahead as planned.",
]
ANALYSIS = [
    "The placement is meeting the child's needs and the care plan is on track.",
    "Good progress since the last visit; the child is more settled.",
    "Needs are being met; education support needs to be strengthened.",
    "The child's lived experience is positive; relationships with {carers} are strong.",
    "Some unsettled behaviour after family time, managed well by {carers}.",
    "Stable placement; the child feels safe and listened to.",
]
WORKING_WELL = [
    "Consistent routines at {home}.",
    "Strong relationship with {carers}.",
    "Good school attendance.",
    "Regular, positive family time.",
    "Health needs are met and appointments kept.",
    "The child is making friends locally.",
    "{Carers} advocate well for the child.",
    "Independence skills are developing.",
]
WORRIED_ABOUT = [
    "No worries at this visit.",
    "No new worries.",
    "Some missed school days this term.",
    "Sleep has been disrupted since the last family time.",
    "Use of social media late at night.",
    "Friendship with older peers in the area.",
    "Low mood reported by {carers} this month.",
    "Delay in the CAMHS referral.",
]
NEEDS_TO_HAPPEN = [
    "Social worker to chase the PEP meeting date.",
    "{Carers} to book the dental check-up.",
    "Update the care plan before the next LAC review.",
    "Referral for extra tuition support.",
    "Arrange a family time review meeting.",
    "Continue life story work at the next visit.",
    "Pathway plan to be updated with the personal adviser.",
    "Follow up the CAMHS referral with the GP.",
    "Ask the provider for the updated risk assessment.",
]
SETTING_OVERVIEW = {
    FOSTERING: [
        "Comfortable family home with a garden; the child has their own room.",
        "The carers keep a daily diary; records are up to date.",
        "Meals are shared as a family; the child helps choose the menu.",
    ],
    REGULATED: [
        "The home was calm and well maintained; communal areas clean.",
        "Staff rota covered the shift well; the key worker was on duty.",
        "Medication records checked and administered correctly.",
        "Meals are cooked on site; young people help plan the menu.",
        "Daily records and incident logs are up to date.",
        "Some redecoration is due in the lounge; the manager has a date for it.",
    ],
    UNREGISTERED: [
        "Self-contained flat; clean and adequately furnished.",
        "Support staff present as agreed in the support plan.",
        "Kitchen stocked; the young person is managing a weekly budget.",
        "Fire safety equipment checked and in date.",
        "Staffing levels matched the agreed support hours.",
    ],
}
REGULATORY_DETAIL = [
    "Latest Ofsted report read; the registered manager is working through its actions.",
    "Regulation 44 report seen; no concerns about this young person.",
    "Regulation 45 review seen and up to date.",
    "Ofsted report and the provider's action plan discussed with the manager.",
]
RISK_FACTORS = [
    "None identified beyond the existing risk assessment.",
    "Risk of going missing is low and reviewed monthly.",
    "Vulnerable to exploitation online; safety plan in place.",
    "No new risks; existing plan remains appropriate.",
]
IN_BEDROOM = "In their bedroom."
WHERE_SEEN = {
    YOUNG: ["In the lounge.", "In the playroom.", "In the garden."],
    CHILD: [
        "In the lounge.",
        "In the garden.",
        "Taken out for a hot chocolate.",
        "In the kitchen.",
    ],
    TEEN: [
        "In the lounge.",
        "Taken out for lunch.",
        "On a walk near the {home}.",
        "In the quiet room.",
    ],
}
OTHERS_PRESENT = {
    FOSTERING: ["Foster carer, for part of the visit.", "Both foster carers, briefly."],
    REGULATED: ["Key worker, for part of the visit.", "Registered manager, briefly."],
    UNREGISTERED: ["Support worker, for part of the visit."],
}
LATE_REASONS = [
    "Visit rearranged because the young person was not at home at the agreed time.",
    "The planned visit was cancelled because of illness; rebooked at the first chance.",
    "Social worker on leave; cover could not be arranged in time.",
    "The child was away on a school trip on the planned date.",
]
IRO_ISSUES = [
    "Progress of the care plan since the last review.",
    "The child's wishes for the next review and who they want there.",
    "Whether the placement still meets the child's needs.",
    "Education, health and family time recommendations from the last review.",
]
IRO_ANALYSIS = [
    "Care plan is progressing; recommendations from the last review are mostly met.",
    "Placement meets needs; the IRO will check the health recommendation at the review.",
    "The child's views are clear and will be put to the review.",
]
IRO_NEEDS = [
    "IRO to meet the social worker before the review.",
    "Review recommendations to be updated at the next LAC review.",
    "Social worker to share the updated care plan with the IRO.",
]
COMMISSIONING_ISSUES = [
    "Support hours, staffing and the provider's plan to register.",
    "Whether the accommodation meets the young person's needs.",
    "Contract terms and the agreed package of support.",
]
COMMISSIONING_ANALYSIS = [
    "The arrangement is meeting basic needs while a registered placement is sought.",
    "Provider is delivering the agreed support; search for a registered setting continues.",
]
COMMISSIONING_NEEDS = [
    "Commissioning to continue the search for a registered placement.",
    "Provider to send weekly staffing rotas to commissioning.",
    "Review the package at the next placement panel.",
]
MANAGER_ISSUES = [
    "Why this placement was needed and the plan to move on.",
    "The young person's experience of the accommodation so far.",
    "Visiting frequency and the safety plan.",
]
MANAGER_ANALYSIS = [
    "Needs are met for now; the plan to move to a registered setting is agreed.",
    "The young person is safe; oversight continues through weekly visits.",
]
MANAGER_NEEDS = [
    "Service manager to review the arrangement fortnightly with the team manager.",
    "Escalate to the Assistant Director if no registered placement is found this month.",
]


def _for_placements(bank):
    """{kind of placement: the bank with its words filled in}, once, at import."""

    def fill(value, words):
        if isinstance(value, dict):
            return {key: fill(item, words) for key, item in value.items()}
        return [sentence.format(**words) for sentence in value]

    return {where: fill(bank, words) for where, words in WHERE.items()}


WORDS = _for_placements(
    {
        "communication": COMMUNICATION,
        "issues": ISSUES,
        "views": VIEWS,
        "observations": OBSERVATIONS,
        "non_compliance": NON_COMPLIANCE,
        "analysis": ANALYSIS,
        "working_well": WORKING_WELL,
        "worried_about": WORRIED_ABOUT,
        "needs_to_happen": NEEDS_TO_HAPPEN,
        "where_seen": WHERE_SEEN,
    }
)
VISIT_HOURS = [9, 10, 10, 11, 11, 12, 13, 14, 14, 15, 16, 16, 17, 18]


def _randint(rng: random.Random, low: int, high: int) -> int:
    """rng.randint(low, high), from one rng.random() (a hot path)."""
    return low + int(rng.random() * (high - low + 1))


def _band(age: int) -> str:
    return YOUNG if age < 5 else CHILD if age < 13 else TEEN


def _say(rng: random.Random, sentences: Sequence[str], most: int = 2) -> str:
    """One of the sentences, or (now and then, when ``most`` is 2) two, in list order."""
    n = len(sentences)
    i = int(rng.random() * n)
    if most == 1 or n == 1 or rng.random() < 0.55:
        return sentences[i]
    j = (i + 1 + int(rng.random() * (n - 1))) % n
    i, j = min(i, j), max(i, j)
    return f"{sentences[i]} {sentences[j]}"


# ------------------------------------------------------------------------- loading


@dataclass
class Summary:
    children: int = 0
    children_already: int = 0
    visits: int = 0
    reviews: int = 0
    overrides: int = 0
    by_kind: Counter = field(default_factory=Counter)

    def lines(self) -> list[str]:
        kinds = ", ".join(
            f"{VisitKind(kind).label.lower()} {n:,}" for kind, n in sorted(self.by_kind.items())
        )
        lines = [
            f"Visits: {self.visits:,} new for {self.children:,} children "
            f"({self.children_already:,} already had a history)",
            f"LAC reviews: {self.reviews:,} new",
        ]
        if kinds:
            lines.insert(1, f"  by kind: {kinds}")
        if self.overrides:
            lines.append(f"Short-break schedules agreed: {self.overrides:,}")
        return lines


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


def _demo_children_to_do() -> tuple[list[int], int]:
    """(pks of demo children without visits or reviews, in child ID order; how many have)."""
    rows = (
        Child.objects.filter(child_id__startswith=CHILD_ID_PREFIX)
        .annotate(
            has_visits=Exists(Visit.objects.filter(child=OuterRef("pk"))),
            has_reviews=Exists(LacReview.objects.filter(child=OuterRef("pk"))),
        )
        .order_by("child_id")
        .values_list("pk", "child_id", "has_visits", "has_reviews")
    )
    todo, already = [], 0
    for pk, child_id, has_visits, has_reviews in rows:
        if len(child_id) != 7 or not child_id[1:].isdigit():
            continue
        if has_visits or has_reviews:
            already += 1
        else:
            todo.append(pk)
    return todo, already


def _full_name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


# ---------------------------------------------------------------------- one child


@dataclass
class _Made:
    """One visit decided on: when, by whom, and how it fell against its due date."""

    kind: str  # visit kind
    at: datetime
    late: bool
    episode: Placement
    provision: str
    visitor: User | None


class _Child:
    """The reviews and visits of one child, stepped through the schedule engine."""

    def __init__(self, child: Child, episodes: list[Placement], gen: _Generator):
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


# ----------------------------------------------------------------------- the rows

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


# ---------------------------------------------------------------------- writing

#: Write with PostgreSQL's COPY (ids drawn from the table's sequence) rather than
#: bulk_create_with_history: the same rows and history rows, several times faster for
#: the hundreds of thousands of visits of a large caseload. Other databases (and a
#: test comparing the two) use bulk_create_with_history.
USE_COPY = True


def _column_defaults(model, now: datetime) -> dict[str, object]:
    defaults: dict[str, object] = {}
    for f in model._meta.concrete_fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = now
        elif f.has_default():
            defaults[f.attname] = f.get_default()
        elif f.null:
            defaults[f.attname] = None
        else:
            defaults[f.attname] = ""
    return defaults


def _write(model, rows: Iterable[Row], count: int, *, user: str) -> int:
    """Insert ``count`` rows, each with one history row ("+", "Demo data", by ``row[user]``).

    The rows may be a generator: with COPY they are made while the database is busy
    storing the ones before.
    """
    if not count:
        for _row in rows:  # a generator may have more to do after its last row
            raise ValueError("more rows than counted")
        return 0
    now = timezone.now()
    if USE_COPY and connection.vendor == "postgresql":
        _copy(model, rows, count, user, now)
    else:
        objects = []
        for row in rows:
            obj = model(**row)
            if row.get(user) is not None:
                obj._history_user = User(pk=row[user])
            objects.append(obj)
        assert len(objects) == count
        bulk_create_with_history(
            objects, model, batch_size=BATCH, default_change_reason=CHANGE_REASON, default_date=now
        )
    return count


def _copy(model, rows: Iterable[Row], count: int, user: str, now: datetime) -> None:
    qn = connection.ops.quote_name
    meta = model._meta
    pk = meta.pk
    fields = [f for f in meta.concrete_fields if f is not pk]
    defaults = _column_defaults(model, now)
    attnames = [f.attname for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, pk.column, count],
        )
        ids = [pk_value for (pk_value,) in cursor.fetchall()]
        columns = ", ".join(qn(c) for c in [pk.column, *(f.column for f in fields)])
        with cursor.cursor.copy(f"COPY {qn(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for pk_value, row in zip(ids, rows, strict=True):
                copy.write_row([pk_value, *(row[n] if n in row else defaults[n] for n in attnames)])
        # One history row each, as bulk_create_with_history writes them: the row as
        # created, "+", the change reason, and who made it.
        history = model.history.model
        model_columns = {f.attname: f.column for f in meta.concrete_fields}
        extra = {"history_date": now, "history_change_reason": CHANGE_REASON, "history_type": "+"}
        targets, sources, params = [], [], []
        for f in history._meta.concrete_fields:
            if f.attname == "history_id":
                continue
            targets.append(qn(f.column))
            if f.attname in extra:
                sources.append("%s")
                params.append(extra[f.attname])
            elif f.attname == "history_user_id":
                sources.append(qn(model_columns[user]))
            else:
                sources.append(qn(model_columns[f.attname]))
        cursor.execute(
            f"INSERT INTO {qn(history._meta.db_table)} ({', '.join(targets)}) "  # noqa: S608
            f"SELECT {', '.join(sources)} FROM {qn(meta.db_table)} "
            f"WHERE {qn(pk.column)} = ANY(%s) ORDER BY {qn(pk.column)}",
            [*params, ids],
        )


# ---------------------------------------------------------------------- seeding


#: Write each chunk on a second thread (with its own connection) while the next chunk
#: is planned, so that the database's work (indexes, foreign key checks, history rows)
#: runs alongside Python's. Only when nothing has a transaction open around the call
#: (a test's does: then each chunk is written in turn, on the caller's connection).
WRITE_IN_BACKGROUND = True


def _write_chunk(visits: list[Row], reviews: list[Row], overrides: list[Row]) -> None:
    """Write a chunk's visits, reviews and schedule overrides in one transaction."""
    with transaction.atomic():
        _write(Visit, visits, len(visits), user="visitor_id")
        _write(LacReview, reviews, len(reviews), user="chaired_by_id")
        _write(ScheduleOverride, overrides, len(overrides), user="created_by_id")


class _Now:
    """A finished Future, for writing in turn on the caller's thread."""

    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


def seed_visits(
    *, seed: int, today: date | None = None, progress: Progress | None = None
) -> Summary:
    """Give every demo child without visits or reviews their history up to ``today``."""
    say = progress or (lambda _line: None)
    today = today or timezone.localdate()
    summary = Summary()
    todo, summary.children_already = _demo_children_to_do()
    if not todo:
        return summary
    generator = _Generator(
        seed=seed, today=today, staff=_staff(), ruleset=schedule.current_ruleset()
    )
    background = (
        WRITE_IN_BACKGROUND
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and len(todo) > CHUNK
    )
    writer = ThreadPoolExecutor(max_workers=1) if background else None
    pending = None  # (future, children done) of the chunk being written

    def finish(job) -> None:
        future, done = job
        future.result()
        say(f"visits: {done:,} / {len(todo):,} children")

    try:
        for start in range(0, len(todo), CHUNK):
            ids = todo[start : start + CHUNK]
            children = {
                c.pk: c
                for c in Child.objects.filter(pk__in=ids).select_related(
                    "social_worker__line_manager__line_manager", "iro"
                )
            }
            episodes: dict[int, list[Placement]] = defaultdict(list)
            for placement in (
                Placement.objects.filter(child_id__in=ids)
                .select_related("setting")
                .order_by("child_id", "decom", "pk")
            ):
                episodes[placement.child_id].append(placement)
            plans = [generator.plan(children[pk], episodes[pk]) for pk in ids if episodes.get(pk)]
            reviews: list[Row] = []
            overrides: list[Row] = []
            visits = list(generator.rows(plans, reviews, overrides))
            summary.visits += len(visits)
            summary.reviews += len(reviews)
            summary.overrides += len(overrides)
            summary.by_kind.update(visit["kind"] for visit in visits)
            summary.children += len(ids)
            if pending is not None:
                finish(pending)
            if writer is not None:
                future = writer.submit(_write_chunk, visits, reviews, overrides)
            else:
                future = _Now(_write_chunk(visits, reviews, overrides))
            pending = (future, start + len(ids))
        finish(pending)
    finally:
        if writer is not None:
            writer.submit(connections.close_all)  # the writer thread's own connection
            writer.shutdown(wait=True)
    return summary
