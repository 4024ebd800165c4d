"""The plans and assessments due for a looked-after child, as rows of the duty table.

For the duty engine's recompute (registered in ``plans.duty_kinds``): while a child is
looked after (a 903 episode open today), ``plans.rules`` says what is due in the current
period of care (``placements.periods``), owned by the child's social worker in the child's
team. A Plan of the kind is the record that discharges a row (``done_by`` =
``plan:<id>``); a plan dated after today does not count yet. When the child leaves care,
or a placement ends, the open rows are cancelled, keeping their due dates: a missed duty
stays on the record. Subjects:

- ``care_plan``: ``child:<id>:care_period:<first day>``, once a period of care. A care
  plan dated after the previous period of care ended (so one prepared before the first
  placement counts) discharges it, or means no row is opened at all.
- ``placement_plan``: ``child:<id>:placement:<first episode id>``, once a placement (a
  903 episode that is a change of legal status only, RNE L, starting the day the previous
  one ended, continues its placement). A placement plan recorded for any episode of the
  placement, whatever its date ("before the placement" counts), discharges it.
- ``health_assessment``: ``child:<id>:health``, one rolling row: the initial assessment,
  then each review, counted from the last assessment of the period.
- ``pep``: ``child:<id>:pep``, one rolling row: the first PEP, then one a school term
  while the child is of compulsory school age (``plans.terms``).

Short breaks (903 legal status V3/V4) are planned under reg. 48 CPPCR 2010, which
disapplies regs. 5 (the care plan's health and education parts), 7 (health care) and 9
(placement plan): a child whose current episode is a short break has a ``care_plan`` row
only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from duties import timescales
from duties.reconcile import Want
from duties.rules import Due
from placements import codes
from placements.models import Placement
from placements.periods import current_episode, looked_after_since

from . import rules
from .models import Plan, SchoolTerm
from .terms import Term, TermCalendar

KINDS = (rules.CARE_PLAN, rules.PLACEMENT_PLAN, rules.HEALTH_ASSESSMENT, rules.PEP)
SUBJECTS = r"child:\d+:(?:care_period:\d{4}-\d{2}-\d{2}|placement:\d+|health|pep)"
#: Each row's subject, its first group the child's pk (the link to the child's plans).
CARE_PLAN_SUBJECT = r"child:(\d+):care_period:\d{4}-\d{2}-\d{2}"
PLACEMENT_PLAN_SUBJECT = r"child:(\d+):placement:\d+"
HEALTH_SUBJECT = r"child:(\d+):health"
PEP_SUBJECT = r"child:(\d+):pep"
#: The record that discharges a row.
PLAN_SUBJECT = r"plan:(\d+)"


def plan_subject(pk: int) -> str:
    return f"plan:{pk}"


def current_terms() -> TermCalendar:
    """The school terms an administrator has recorded, over the defaults (one query)."""
    return TermCalendar(
        Term(name, starts_on, ends_on)
        for name, starts_on, ends_on in SchoolTerm.objects.values_list(
            "name", "starts_on", "ends_on"
        )
    )


@dataclass(frozen=True)
class _State:
    rules: rules.PlanRules
    terms: TermCalendar
    today: date


@dataclass(frozen=True)
class _Episode:
    pk: int
    decom: date
    dec: date | None
    rne: str
    ls: str
    setting_id: int | None


@dataclass(frozen=True)
class _Child:
    social_worker_id: int | None
    team_id: int | None
    date_of_birth: date


@dataclass(frozen=True)
class Record:
    """A plan as the rules see it: its date, and which placement (placement plans)."""

    pk: int
    completed_on: date
    placement_id: int | None


@dataclass
class _Batch:
    episodes: dict[int, list[_Episode]]
    children: dict[int, _Child]
    plans: dict[tuple[int, str], list[Record]]  # (child, kind) -> in date order


def prepare(today: date) -> _State:
    """The rules in force and the school terms: two queries a recompute."""
    return _State(timescales.current(rules.PlanRules), current_terms(), today)


def load(child_ids: Sequence[int], state: _State) -> _Batch:
    """The children's episodes (with their allocation and birth date) and plans: two
    queries a batch."""
    episodes: dict[int, list[_Episode]] = defaultdict(list)
    children: dict[int, _Child] = {}
    for pk, child_id, decom, dec, rne, ls, setting_id, social_worker_id, team_id, dob in (
        Placement.objects.filter(child_id__in=child_ids)
        .order_by("child_id", "decom", "pk")
        .values_list(
            "pk",
            "child_id",
            "decom",
            "dec",
            "rne",
            "ls",
            "setting",
            "child__social_worker",
            "child__team",
            "child__date_of_birth",
        )
    ):
        episodes[child_id].append(_Episode(pk, decom, dec, rne, ls, setting_id))
        children[child_id] = _Child(social_worker_id, team_id, dob)
    plans: dict[tuple[int, str], list[Record]] = defaultdict(list)
    for pk, child_id, kind, completed_on, placement_id in (
        Plan.objects.filter(child_id__in=child_ids, kind__in=KINDS, completed_on__lte=state.today)
        .order_by("completed_on", "pk")
        .values_list("pk", "child_id", "kind", "completed_on", "placement_id")
    ):
        plans[(child_id, kind)].append(Record(pk, completed_on, placement_id))
    return _Batch(episodes, children, plans)


def placements_of(episodes: Sequence[_Episode]) -> list[list[_Episode]]:
    """A child's episodes (in DECOM order) grouped into placements: an episode that is a
    change of legal status only (RNE L) starting the day the previous one ended continues
    it (timescales.md §1: "a change of placement starts a new one")."""
    chains: list[list[_Episode]] = []
    for episode in episodes:
        previous = chains[-1][-1] if chains else None
        if previous is not None and episode.rne == "L" and previous.dec == episode.decom:
            chains[-1].append(episode)
        else:
            chains.append([episode])
    return chains


def _once(kind: str, subject: str, due: Due, done: Sequence[Record], base: Want) -> Want:
    """A duty met once: open with ``due`` until a record comes; the first record done
    discharges the open row (or means none is opened)."""
    want = Want(
        kind=kind,
        subject=subject,
        due=None if done else due,
        owner_id=base.owner_id,
        team_id=base.team_id,
        placement_id=base.placement_id,
        setting_id=base.setting_id,
        answer=lambda k: due if k == 0 else None,
        inputs=[(r.completed_on, plan_subject(r.pk)) for r in done],
    )
    return want


def wants(child_id: int, batch: _Batch, state: _State, open_subjects: set[str]) -> list[Want]:
    """The child's plan rows while they are looked after (none otherwise: the open rows
    are cancelled)."""
    episodes = batch.episodes.get(child_id, [])
    today = state.today
    current = current_episode(episodes, today)
    if current is None:
        return []
    child = batch.children[child_id]
    since = looked_after_since(episodes)
    period_start = since[current.pk]
    earlier = [e for e in episodes if since[e.pk] < period_start]
    previous_end = max((e.dec for e in earlier if e.dec is not None), default=None)
    base = Want(
        kind="",
        subject="",
        due=None,
        owner_id=child.social_worker_id,
        team_id=child.team_id,
        placement_id=current.pk,
    )
    prefix = f"child:{child_id}"

    def records(kind: str) -> list[Record]:
        return batch.plans.get((child_id, kind), [])

    # Care plan: "prepared prior to a child's first placement, or ... within 10 working
    # days" (003_… line 890): one dated after the previous period of care ended counts.
    care_plans = [
        r for r in records(rules.CARE_PLAN) if previous_end is None or r.completed_on > previous_end
    ]
    found = [
        _once(
            rules.CARE_PLAN,
            f"{prefix}:care_period:{period_start:%Y-%m-%d}",
            rules.care_plan_due(period_start, state.rules),
            care_plans,
            base,
        )
    ]
    if current.ls in codes.SHORT_BREAK_LS:
        return found  # reg. 48(3) CPPCR 2010: regs. 5, 7 and 9 do not apply

    # Placement plan: each placement of this period of care, while it goes on.
    placement_plans = records(rules.PLACEMENT_PLAN)
    for chain in placements_of(episodes):
        first, last = chain[0], chain[-1]
        if since[first.pk] != period_start:
            continue
        subject = f"{prefix}:placement:{first.pk}"
        active = last.dec is None or last.dec > today
        if not active and subject not in open_subjects:
            continue
        pks = {e.pk for e in chain}
        want = _once(
            rules.PLACEMENT_PLAN,
            subject,
            rules.placement_plan_due(first.decom, state.rules),
            [r for r in placement_plans if r.placement_id in pks],
            base,
        )
        want.active, want.placement_id, want.setting_id = active, last.pk, last.setting_id
        found.append(want)

    found.append(
        _rolling(
            rules.HEALTH_ASSESSMENT,
            f"{prefix}:health",
            [r for r in records(rules.HEALTH_ASSESSMENT) if r.completed_on >= period_start],
            lambda dates: rules.health_assessment_due(
                dates,
                state.rules,
                looked_after_since=period_start,
                date_of_birth=child.date_of_birth,
            ),
            base,
        )
    )
    found.append(
        _rolling(
            rules.PEP,
            f"{prefix}:pep",
            [r for r in records(rules.PEP) if r.completed_on >= period_start],
            lambda dates: rules.pep_due(
                dates,
                state.rules,
                looked_after_since=period_start,
                date_of_birth=child.date_of_birth,
                terms=state.terms,
            ),
            base,
        )
    )
    return found


def _rolling(kind, subject, done: Sequence[Record], rule, base: Want) -> Want:
    """A duty that recurs: due by ``rule`` from the records so far; each record moves it
    on (and is the one that discharged the row it moved)."""
    dates = [r.completed_on for r in done]

    def answer(k: int) -> Due | None:
        return rule(dates[:k])

    return Want(
        kind=kind,
        subject=subject,
        due=answer(len(dates)),
        owner_id=base.owner_id,
        team_id=base.team_id,
        placement_id=base.placement_id,
        answer=answer,
        inputs=[(r.completed_on, plan_subject(r.pk)) for r in done],
    )
