"""seed_demo's visit histories, LAC reviews and duties: what a demo worktray shows."""

import re
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role
from demo import visits as visits_demo
from demo.visits import plan as visits_plan
from demo.visits import writing as visits_writing
from duties.calendar import add_months, add_working_days
from duties.models import Duty
from duties.recompute import recompute_all
from placements.models import Placement, ProvisionType, age_on
from placements.periods import looked_after_since
from reviews.models import LacReview
from tests.clock import EVERY_DEMO_DAY
from visits import rules, schedule
from visits.models import DISCHARGED_BY, ScheduleOverride, Visit, VisitKind

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_day")]

CHILDREN = 60
LONDON = ZoneInfo("Europe/London")
FOSTERING = {ProvisionType.IN_HOUSE_FOSTERING, ProvisionType.IFA_FOSTERING}
# Which kinds of visit each kind of placement needs (timescales.md §1-§3).
NEEDED = {
    VisitKind.STATUTORY: {"in_house_fostering", "ifa_fostering", "regulated", "unregistered"},
    VisitKind.PURPOSEFUL: {"regulated", "unregistered"},
    VisitKind.IRO: {"regulated", "unregistered"},
    VisitKind.COMMISSIONING: {"unregistered"},
    VisitKind.SERVICE_MANAGER: {"unregistered"},
}
TEXT_FIELDS = [
    f.name
    for f in Visit._meta.get_fields()
    if isinstance(f, models.TextField | models.CharField) and not f.choices
]


def seed_demo(children=CHILDREN, seed=3) -> str:
    out = StringIO()
    call_command(
        "seed_demo",
        "--children",
        str(children),
        "--seed",
        str(seed),
        "--i-know-this-is-not-production",
        stdout=out,
    )
    return out.getvalue()


@pytest.fixture
def seeded(demo_day):
    return seed_demo()


def local_day(visit):
    return timezone.localtime(visit.visited_at, LONDON).date()


def in_care(child_episodes, today):
    return any(p.dec is None or p.dec > today for p in child_episodes)


def episodes_by_child():
    by_child = defaultdict(list)
    for p in Placement.objects.select_related(
        "setting", "child__social_worker", "child__iro"
    ).order_by("child_id", "decom", "pk"):
        by_child[p.child].append(p)
    return by_child


def visit_snapshot():
    """Every demo visit and review, without ids and the timestamps of the run."""
    skip = {"id", "created_at", "updated_at", "finished_at"}
    names = [
        f.attname for f in Visit._meta.concrete_fields if not f.is_relation and f.name not in skip
    ]
    rows = Visit.objects.values_list(
        "child__child_id",
        "placement__decom",
        "setting__name",
        "visitor__username",
        "created_by__username",
        *names,
    )
    reviews = LacReview.objects.values_list(
        "child__child_id", "review_date", "review_code", "chaired_by__username"
    )
    return sorted(tuple(str(v) for v in row) for row in rows), sorted(reviews)


def open_visit_duties():
    """Open visit duties (the demo's concern workflow adds an escalation's and a meeting's)."""
    return Duty.objects.filter(status=Duty.Status.OPEN, kind__in=DISCHARGED_BY)


# ----------------------------------------------------------------------------- visits


@EVERY_DEMO_DAY
def test_every_child_in_care_has_visits_within_their_placements(seeded):
    today, now = timezone.localdate(), timezone.now()
    by_child = episodes_by_child()
    visits = defaultdict(list)
    for visit in Visit.objects.select_related("placement", "visitor"):
        visits[visit.child_id].append(visit)
    assert Visit.objects.count() > 10 * CHILDREN
    looked_after = [c for c, eps in by_child.items() if in_care(eps, today)]
    assert len(looked_after) >= 0.7 * CHILDREN
    for child in looked_after:
        assert visits[child.pk], child.child_id
    assert all(visits[child.pk] for child in by_child)  # even a two-day stay was visited
    for child in by_child:
        for visit in visits[child.pk]:
            day, placement = local_day(visit), visit.placement
            assert placement.child_id == child.pk and visit.setting_id == placement.setting_id
            assert placement.decom <= day <= today, (child.child_id, day, placement.decom)
            if placement.dec is not None:
                assert day <= max(placement.dec - timedelta(days=1), placement.decom)
            assert visit.visited_at <= now


def test_visits_are_of_the_kinds_the_placement_needs_made_by_the_right_people(seeded):
    short_break_children = set(
        ScheduleOverride.objects.filter(duty_kind=rules.STATUTORY_VISIT).values_list(
            "child_id", flat=True
        )
    )
    kinds = Counter()
    for visit in Visit.objects.select_related(
        "placement__setting", "child__social_worker", "child__iro", "visitor"
    ):
        provision = schedule.provision_kind(visit.placement)
        kinds[visit.kind] += 1
        if provision == "short_breaks":
            assert visit.kind == VisitKind.STATUTORY
            assert visit.child_id in short_break_children
        else:
            assert provision in NEEDED[visit.kind], (visit, provision)
        if visit.placement.setting.provision_type in FOSTERING:
            assert visit.kind == VisitKind.STATUTORY  # no purposeful visits to foster homes
        child = visit.child
        if visit.kind in (VisitKind.STATUTORY, VisitKind.PURPOSEFUL):
            assert visit.visitor == child.social_worker
        elif visit.kind == VisitKind.IRO:
            assert visit.visitor == child.iro
        elif visit.kind == VisitKind.COMMISSIONING:
            assert visit.visitor.role == Role.COMMISSIONING_OFFICER
        else:
            assert visit.visitor.role == Role.SERVICE_MANAGER
    assert kinds[VisitKind.STATUTORY] > kinds[VisitKind.PURPOSEFUL] > 0
    assert kinds[VisitKind.IRO] > 0


def test_statutory_visits_fall_due_by_the_engine_mostly_early_sometimes_late(seeded):
    """Each statutory visit after a placement's first is within 10 days either side of
    the date the engine gave from the visits before it, and says whether it was late."""
    ruleset = schedule.current_ruleset()
    reviews = defaultdict(list)
    for child_id, day in LacReview.objects.values_list("child_id", "review_date"):
        reviews[child_id].append(day)
    made = defaultdict(list)
    for visit in Visit.objects.filter(kind=VisitKind.STATUTORY).order_by("visited_at"):
        made[visit.child_id].append(visit)
    checked, late, early_days = 0, 0, []
    for child, episodes in episodes_by_child().items():
        since = looked_after_since(episodes)
        for chain in schedule.placement_chains(episodes):
            first, last = chain[0], chain[-1]
            own = ScheduleOverride.objects.filter(child=child)
            held = [r for r in reviews[child.pk] if r >= since[first.pk]]
            facts = schedule.placement_facts(
                last, own, start=first.decom, first_lac_review=held[0] if held else None
            )
            ids = {p.pk for p in chain}
            chain_visits = [v for v in made[child.pk] if v.placement_id in ids]
            facts_made = []
            for visit in chain_visits:
                if facts_made:
                    due = rules.next_due(
                        rules.STATUTORY_VISIT,
                        facts,
                        facts_made,
                        ruleset,
                        reviews=reviews[child.pk],
                        looked_after_since=since[first.pk],
                        today=timezone.localdate(),
                    )
                    days = (local_day(visit) - due.due).days
                    assert -10 <= days <= 10, (child.child_id, visit, due.basis)
                    assert visit.within_timescales == (days <= 0)
                    assert bool(visit.not_within_timescales_reason) == (days > 0)
                    checked += 1
                    late += days > 0
                    early_days.append(-days)
                facts_made.append(rules.VisitFact("statutory", visit.visited_at))
    assert checked > 500
    assert 0.01 <= late / checked <= 0.10
    assert len(set(early_days)) > 8  # a spread of days early, not one fixed interval


def test_the_form_is_filled_in_like_a_real_one(seeded):
    today = timezone.localdate()
    visits = list(Visit.objects.select_related("child", "visitor"))
    for visit in visits:
        assert visit.status == Visit.Status.FINISHED
        assert visit.source == Visit.Source.BROWSER
        assert visit.in_person is True
        assert visit.signature == visit.visitor.get_full_name() == visit.visitor_name
        assert visit.signed_on == local_day(visit)
        assert visit.visitor_role
        assert visit.venue and visit.where_seen
        assert visit.issues_discussed and visit.views_wishes_feelings and visit.analysis
        assert visit.working_well and visit.worried_about and visit.needs_to_happen
        if local_day(visit) < today:
            assert 9 <= timezone.localtime(visit.visited_at, LONDON).hour <= 20
        full_name = f"{visit.child.first_name} {visit.child.last_name}"
        for name in TEXT_FIELDS:
            text = getattr(visit, name)
            assert "<" not in text, (name, text)
            if name not in ("visitor_name", "signature"):
                assert full_name not in text
        if not visit.seen_alone:
            assert visit.others_present or age_on(visit.child.date_of_birth, local_day(visit)) < 4
    statutory = [v for v in visits if v.kind == VisitKind.STATUTORY]
    alone = sum(v.seen_alone for v in statutory) / len(statutory)
    bedroom = sum(v.bedroom_seen for v in statutory) / len(statutory)
    assert 0.7 <= alone < 1
    assert 0.35 <= bedroom <= 0.75  # about every second visit
    texts = Counter(v.views_wishes_feelings for v in visits)
    assert len(texts) > 20 and texts.most_common(1)[0][1] < 0.2 * len(visits)
    purposeful = [v for v in visits if v.kind == VisitKind.PURPOSEFUL]
    assert all(v.setting_overview and v.doc_care_plan for v in purposeful)


# ---------------------------------------------------------------------------- reviews


def test_reviews_follow_20_working_days_3_months_then_6_months(seeded):
    today = timezone.localdate()
    reviews = defaultdict(list)
    for review in LacReview.objects.select_related("child").order_by("review_date"):
        reviews[review.child_id].append(review)
        age = age_on(review.child.date_of_birth, review.review_date)
        assert (
            review.review_code == "PN0" if age < 4 else re.fullmatch("PN[1-7]", review.review_code)
        )
        assert review.chaired_by_id == review.child.iro_id
        assert review.review_date <= today
    codes = Counter(r.review_code for held in reviews.values() for r in held)
    assert codes.most_common(1)[0][0] in ("PN1", "PN0") and codes["PN1"] > codes["PN2"]
    late = checked = 0
    for child, episodes in episodes_by_child().items():
        since = looked_after_since(episodes)
        start = since[episodes[0].pk]
        end = episodes[-1].dec  # one continuous period of care in the demo
        held = [r.review_date for r in reviews[child.pk]]
        assert all(start < day and (end is None or day < end) for day in held)
        due = add_working_days(start, 20)
        for n, day in enumerate(held):
            tolerance = timedelta(days=7)
            earliest = add_working_days(start, 10) if n == 0 else due - timedelta(days=25)
            assert earliest <= day <= due + tolerance, (child.child_id, n, day, due)
            late += day > due
            checked += 1
            due = add_months(day, 3 if n == 0 else 6)
        # Nothing missed: the next review is not yet (long) overdue while in care.
        if end is None:
            assert due >= today - timedelta(days=7), (child.child_id, held)
    assert checked > 2 * CHILDREN
    assert late <= 0.1 * checked
    assert Duty.objects.filter(kind="lac_review", status=Duty.Status.OPEN).count() >= 0.7 * (
        CHILDREN
    )


# ----------------------------------------------------------------------------- duties


def overdue_counts(today):
    dues = list(open_visit_duties().values_list("due", flat=True))
    overdue = [d for d in dues if d < today]
    long_overdue = [d for d in overdue if today >= add_working_days(d, 5)]
    this_week = [d for d in dues if today <= d <= today + timedelta(days=7)]
    return dues, overdue, long_overdue, this_week


@EVERY_DEMO_DAY
def test_duties_come_from_the_engine_with_a_realistic_handful_overdue(seeded):
    today = timezone.localdate()
    dues, overdue, _long, _week = overdue_counts(today)
    assert 0.03 <= len(overdue) / len(dues) <= 0.25, (len(overdue), len(dues))
    assert f"Duties open: {len(dues):,} visits, {len(overdue):,} overdue" in seeded
    assert f"Visits: {Visit.objects.count():,} new for {CHILDREN} children" in seeded
    assert f"LAC reviews: {LacReview.objects.count():,} new" in seeded
    assert "duties: " in seeded and "visits: 60 / 60 children" in seeded
    # Every child in care has a statutory visit duty (or their short-break schedule) open,
    # owned by their social worker.
    by_child = episodes_by_child()
    statutory = {
        d.child_id: d
        for d in Duty.objects.filter(kind=rules.STATUTORY_VISIT, status=Duty.Status.OPEN)
    }
    for child, episodes in by_child.items():
        if in_care(episodes, today):
            assert statutory[child.pk].owner_id == child.social_worker_id
    # The rows are the engine's own answer: recomputing changes nothing.
    assert recompute_all().changed == 0


def test_a_fixed_day_shows_overdue_long_overdue_and_due_this_week():
    with time_machine.travel(datetime(2026, 1, 12, 11, tzinfo=UTC), tick=False):
        seed_demo()
        dues, overdue, long_overdue, this_week = overdue_counts(timezone.localdate())
    assert 0.05 <= len(overdue) / len(dues) <= 0.2
    assert 0 < len(long_overdue) < len(overdue)
    assert this_week


# ---------------------------------------------------------------------- running again


def test_running_again_adds_no_visits_and_topping_up_gives_only_new_children_visits(seeded):
    before = visit_snapshot()
    duties = Duty.objects.count()
    out = seed_demo()
    assert visit_snapshot() == before
    assert Duty.objects.count() == duties
    assert "Visits: 0 new" in out and "LAC reviews: 0 new" in out
    out = seed_demo(children=CHILDREN + 5)
    assert "for 5 children (60 already had a history)" in out
    visits, reviews = visit_snapshot()
    first = {f"D{n:06d}" for n in range(1, CHILDREN + 1)}
    assert [v for v in visits if v[0] in first] == before[0]
    assert [r for r in reviews if r[0] in first] == before[1]
    assert {v[0] for v in visits} - first == {f"D{n:06d}" for n in range(61, 66)}


@EVERY_DEMO_DAY
def test_same_seed_same_history_and_the_fast_paths_match_the_plain_ones(seeded, monkeypatch):
    """COPY and the date arithmetic give exactly what bulk_create_with_history and the
    engine at every step give."""
    before = visit_snapshot()
    assert before[0]

    def assert_history():
        for model, user in ((Visit, "visitor_id"), (LacReview, "chaired_by_id")):
            rows = dict(model.objects.values_list("pk", user))
            history = model.history.filter(history_type="+", history_change_reason="Demo data")
            assert dict(history.values_list("id", "history_user_id")) == rows

    assert_history()
    Duty.objects.all().delete()
    Visit.objects.all().delete()
    LacReview.objects.all().delete()
    ScheduleOverride.objects.all().delete()
    Visit.history.all().delete()
    LacReview.history.all().delete()
    monkeypatch.setattr(visits_writing, "USE_COPY", False)
    monkeypatch.setattr(visits_plan, "FAST_STEPS", False)
    seed_demo()
    assert visit_snapshot() == before
    assert_history()
    Duty.objects.all().delete()
    Visit.objects.all().delete()
    LacReview.objects.all().delete()
    ScheduleOverride.objects.all().delete()
    assert visit_snapshot() == ([], [])
    monkeypatch.undo()
    with CaptureQueriesContext(connection) as queries:  # a few queries, none per child
        summary = visits_demo.seed_visits(seed=3, today=timezone.localdate())
    assert summary.children == CHILDREN and summary.visits == len(before[0])
    assert len(queries) <= 20 < CHILDREN, [q["sql"][:80] for q in queries]
    assert visit_snapshot() == before
    Visit.objects.all().delete()
    LacReview.objects.all().delete()
    ScheduleOverride.objects.all().delete()
    visits_demo.seed_visits(seed=4, today=timezone.localdate())
    assert visit_snapshot()[0] != before[0]  # another seed, another history
