"""The schedule as rows: every dated duty of visits.rules kept in the Duty table.

visits.rules computes due dates from facts; this module maps our data to those facts
(:func:`placement_facts`), reads the rules the authority has set
(:func:`current_ruleset`), and keeps one open Duty row per duty kind and subject:

- ``placement:<id>`` for the duties of a placement (statutory, purposeful, IRO,
  commissioning and service manager visits), where ``<id>`` is the first SSDA903
  episode of the placement. A change of legal status only (RNE ``L``) is a new
  903 episode but not a new placement: it continues the schedule. A change of
  placement (any other RNE) starts a new one (timescales.md §1).
- ``child:<id>`` for the LAC review, a duty of the child across placements.

When an input changes (a placement starts, changes or ends, a visit or review is
recorded, a rule is edited, a child is reallocated) the service that changed it
calls :func:`refresh_for_children`; :func:`recompute_all` (the nightly Celery task
``visits.recompute_all_duties``) walks every child in keyset batches with a fixed
number of queries per batch.

What happens to an open row when the answer changes:

- a qualifying visit (or, for the LAC review, a review) moved the due date: the row
  is **done** (``done_on`` = the visit's date, ``done_by_visit``) and a new open row
  carries the next due date;
- anything else moved it (a rule, an override, a review, a reallocation): the row is
  updated in place;
- the duty no longer arises (it would fall after the placement ends, a one-off duty
  no longer applies) or its placement has ended: the row is **cancelled**. A
  placement that has ended can no longer be visited, so its open duties are all
  cancelled, overdue or not; the row keeps its due date, so a missed duty stays on
  the record.

Which visit discharged a row is found by asking the engine itself: the row matches
the answer for the qualifying visits up to some point, and the next qualifying visit
is the one that changed it.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields, replace
from datetime import date, datetime, timedelta

from celery import shared_task
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import Role, Team
from core.tasks import enqueue_on_commit
from placements import codes
from placements.models import Child, Placement, ProvisionType

from . import rules
from .models import DUTY_ROW_FIELDS, Duty, LacReview, RuleValue, ScheduleOverride, Visit

logger = logging.getLogger(__name__)

#: The duty kinds this module keeps; later issues add other kinds to the same table and
#: keep them themselves.
MANAGED_KINDS: tuple[str, ...] = rules.DUTY_KINDS
PLACEMENT_KINDS: tuple[str, ...] = tuple(k for k in MANAGED_KINDS if k != rules.LAC_REVIEW)

# How many earlier answers to try when looking for the visit that discharged a row.
_DISCHARGE_SEARCH = 60

# Duty.basis / Duty.source lengths: the engine's words are cut to fit, the same way every
# time, so that an unchanged answer is recognised as unchanged.
_BASIS_MAX = Duty._meta.get_field("basis").max_length
_SOURCE_MAX = Duty._meta.get_field("source").max_length


# ============================================================================================
# Rules as data
# ============================================================================================

_RULE_NAMES = frozenset(f.name for f in fields(rules.RuleSet))
SCHEDULE_RULE_NAMES = _RULE_NAMES


NOTICE_SUBJECT_PREFIX = "notice:"


def current_ruleset() -> rules.RuleSet:
    """The rules in force: the RuleValue rows over the shipped defaults (one query).

    A rule without a row (a RuleSet field added since the seed) keeps its default.
    """
    values = {
        name: value
        for name, value in RuleValue.objects.values_list("name", "value")
        if name in _RULE_NAMES
    }
    try:
        return rules.RuleSet(**values)
    except (TypeError, ValueError):
        # rule_value_set refuses such values; rows edited around it must not stop the
        # schedule, so the shipped defaults stand in, loudly.
        logger.exception("RuleValue rows do not make a valid RuleSet; using the defaults")
        return rules.RuleSet.defaults()


def ruleset_with(name: str, value: int) -> rules.RuleSet:
    """The rules in force with one value changed, or ValidationError saying why not."""
    if name not in _RULE_NAMES:
        raise ValidationError({"name": f"{name!r} is not a rule of the schedule."})
    values = {n: v for n, v in RuleValue.objects.values_list("name", "value") if n in _RULE_NAMES}
    values[name] = value
    try:
        return rules.RuleSet(**values)
    except (TypeError, ValueError) as invalid:
        raise ValidationError({"value": str(invalid)}) from invalid


def rule_value_set(*, rule_value: RuleValue, value: int, actor) -> RuleValue:
    """Change one rule; every open duty is recomputed once the change is committed."""
    with transaction.atomic():
        current = RuleValue.objects.select_for_update().get(pk=rule_value.pk)
        # Other apps keep their timescales in the same table (risk_assessment_days,
        # escalation_*_working_days): not the schedule's, so nothing here to recompute.
        schedule_rule = current.name in _RULE_NAMES
        if schedule_rule:
            ruleset_with(current.name, value)
        elif value < 1:
            raise ValidationError({"value": "The value must be at least 1."})
        if current.value == value:
            return current
        current.value = value
        if actor is not None:
            current._history_user = actor
        current._change_reason = "Rule changed by an administrator"
        current.save(update_fields=["value"])
        # With the broker down the change still saves; the nightly recompute catches up.
        if schedule_rule:
            enqueue_on_commit(recompute_all_duties)
    rule_value.value = current.value
    return current


# ============================================================================================
# Our data -> the engine's facts
# ============================================================================================

#: Setting types regulated as somewhere a child lives (timescales.md §2: regulated
#: placements other than in-house foster care and IFAs), when the setting is registered.
REGULATED_PROVISION_TYPES = frozenset(
    {
        ProvisionType.CHILDRENS_HOME,
        ProvisionType.RESIDENTIAL_SPECIAL_SCHOOL,
        ProvisionType.SECURE_CHILDRENS_HOME,
        ProvisionType.SUPPORTED_ACCOMMODATION,
        ProvisionType.PARENT_AND_CHILD,
        ProvisionType.SEMI_INDEPENDENT,
    }
)
ADOPTION_PLACE_CODES = frozenset({"A3", "A4", "A5", "A6"})
#: "Other placements": since the 2023 ban, the 903 code for an unregistered children's
#: home or supported accommodation (the demo data codes unregistered settings so too).
OTHER_PLACE_CODES = frozenset({"Z1", "Z11", "Z12", "Z13", "Z14"})
#: PLACE codes of regulated provision, used when the episode has no setting recorded.
REGULATED_PLACE_CODES = frozenset({"K1", "K2", "K3", "R1", "R3", "S1"})
FOSTER_PLACE_CODES = frozenset({"U1", "U2", "U3", "U4", "U5", "U6"})
#: PLACE_PROVIDER codes of private and voluntary provision: fostering without a setting
#: is with an independent fostering agency when so provided, otherwise in-house.
INDEPENDENT_PROVIDER_CODES = frozenset({"PR4", "PR5"})
#: PLACE code of a young offender institution or prison: another body decides where the
#: child lives (timescales.md §1, "custody, detention").
CUSTODY_PLACE_CODE = "R5"
PLACED_WITH_PARENT_CODE = "P1"


def provision_kind(placement: Placement) -> str:
    """Which of visits.rules.PROVISION_KINDS a 903 episode is, most specific first.

    1. LS V3/V4 (agreed series of short breaks): ``short_breaks`` (reg. 48).
    2. PLACE R5 (young offender institution or prison): ``custody``. LS J1/J2 alone do
       not say another body decides: J1 includes remand to local authority
       accommodation, J2 is local authority accommodation under PACE.
    3. PLACE A3-A6 (placed for adoption): ``adoption``.
    4. PLACE P1 (placed with parent): ``placed_with_parent``.
    5. The setting, where one is recorded: unregistered (type or registration status)
       -> ``unregistered``; in-house / IFA fostering; registered children's home,
       residential special school, secure children's home, supported accommodation,
       parent-and-child, semi-independent -> ``regulated``; anything else ``other``.
    6. Without a setting, the PLACE code: Z1/Z11-Z14 -> ``unregistered`` (the stricter
       schedule, so someone looks); U1-U6 -> fostering (IFA for private or voluntary
       providers, PR4/PR5; in-house otherwise); K1-K3, R1, R3, S1 -> ``regulated``; else ``other``.
    """
    if placement.ls in codes.SHORT_BREAK_LS:
        return "short_breaks"
    if placement.place == CUSTODY_PLACE_CODE:
        return "custody"
    if placement.place in ADOPTION_PLACE_CODES:
        return "adoption"
    if placement.place == PLACED_WITH_PARENT_CODE:
        return "placed_with_parent"
    setting = placement.setting
    if setting is not None:
        if setting.is_unregistered:
            return "unregistered"
        if setting.provision_type == ProvisionType.IN_HOUSE_FOSTERING:
            return "in_house_fostering"
        if setting.provision_type == ProvisionType.IFA_FOSTERING:
            return "ifa_fostering"
        if setting.provision_type in REGULATED_PROVISION_TYPES:
            return "regulated"
        return "other"
    if placement.place in OTHER_PLACE_CODES:
        return "unregistered"
    if placement.place in FOSTER_PLACE_CODES:
        if placement.place_provider in INDEPENDENT_PROVIDER_CODES:
            return "ifa_fostering"
        return "in_house_fostering"
    if placement.place in REGULATED_PLACE_CODES:
        return "regulated"
    return "other"


def _restarts_schedule(placement: Placement) -> bool:
    """A change of legal status that starts a new schedule although the child stays put:
    a full care order made while the child lives with a parent ("within 1 week of the
    order"), and any change to a custody arrangement ("within 1 week of any change")."""
    kind = provision_kind(placement)
    return kind == "custody" or (kind == "placed_with_parent" and placement.ls == "C2")


def override_facts(overrides: Iterable[ScheduleOverride]) -> dict[str, rules.ScheduleOverride]:
    """The child's own schedule per duty kind: the latest agreed (then the latest recorded)."""
    chosen: dict[str, ScheduleOverride] = {}
    for override in sorted(overrides, key=lambda o: (o.agreed_on, o.pk or 0)):
        if override.duty_kind in rules.OVERRIDABLE_KINDS:
            chosen[override.duty_kind] = override
    return {
        kind: rules.ScheduleOverride(
            interval_days=o.interval_days,
            interval_months=o.interval_months,
            agreed_by=o.agreed_by_name.strip() or "not recorded",
            agreed_on=o.agreed_on,
        )
        for kind, o in chosen.items()
    }


def placement_facts(
    placement: Placement,
    overrides: Iterable[ScheduleOverride] | Mapping[str, rules.ScheduleOverride] = (),
    *,
    start: date | None = None,
    first_lac_review: date | None = None,
) -> rules.PlacementFacts:
    """The engine's facts for a placement whose current 903 episode is ``placement``.

    ``start`` is the first day of the placement (the first episode's DECOM when changes
    of legal status only followed it; default this episode's DECOM). The episode's DEC
    is the day the next episode starts, so the placement's last day is the day before.
    Flags the engine would refuse together are settled here: interim care order (P1 +
    LS C1) before reg. 19 before full care order made at home (P1 + LS C2, RNE S or
    L); a connected person is never a parent.
    """
    start = start or placement.decom
    end = None
    if placement.dec is not None:
        end = max(placement.dec - timedelta(days=1), start)
    kind = provision_kind(placement)
    with_parent = kind == "placed_with_parent"
    ico = with_parent and placement.ls == "C1"
    reg19 = with_parent and not ico and placement.placed_with_parent_pre_assessment
    # Full care order made while the child lived at home: the episode starts with the
    # order (RNE S) or is the order (RNE L, change of legal status only).
    care_order_at_home = (
        with_parent and not (ico or reg19) and placement.ls == "C2" and placement.rne in ("S", "L")
    )
    own = dict(overrides) if isinstance(overrides, Mapping) else override_facts(overrides)
    return rules.PlacementFacts(
        start=start,
        end=end,
        provision_kind=kind,
        permanent=placement.permanent,
        connected_person_temporary=placement.connected_person_temporary and not with_parent,
        placed_with_parent_pre_assessment=reg19,
        interim_care_order_with_parent=ico,
        care_order_made_while_with_parent=care_order_at_home,
        first_lac_review=first_lac_review,
        overrides=own,
    )


def placement_chains(episodes: Sequence[Placement]) -> list[list[Placement]]:
    """A child's episodes (in DECOM order) grouped into placements: an episode that is a
    change of legal status only (RNE L), starting the day the previous one ended,
    continues it, unless the change restarts the schedule."""
    chains: list[list[Placement]] = []
    for episode in episodes:
        if (
            chains
            and episode.rne == "L"
            and chains[-1][-1].dec == episode.decom
            and not _restarts_schedule(episode)
        ):
            chains[-1].append(episode)
        else:
            chains.append([episode])
    return chains


def looked_after_since(episodes: Sequence[Placement]) -> dict[int, date]:
    """For each episode, the DECOM of the first episode of its continuous period of care
    (episodes joined end-to-start: one's DEC is the next one's DECOM)."""
    since: dict[int, date] = {}
    previous = None
    for episode in episodes:
        if previous is not None and previous.dec == episode.decom:
            since[episode.pk] = since[previous.pk]
        else:
            since[episode.pk] = episode.decom
        previous = episode
    return since


# ============================================================================================
# Owners
# ============================================================================================


@dataclass(frozen=True)
class _Teams:
    commissioning: int | None
    iro_service: int | None


def _teams() -> _Teams:
    found: dict[str, int] = {}
    for pk, kind in (
        Team.objects.filter(kind__in=[Team.Kind.COMMISSIONING, Team.Kind.IRO_SERVICE])
        .order_by("pk")
        .values_list("pk", "kind")
    ):
        found.setdefault(kind, pk)
    return _Teams(found.get(Team.Kind.COMMISSIONING), found.get(Team.Kind.IRO_SERVICE))


def _service_manager(child: Child):
    """The social worker's service manager: up the line, at most two steps."""
    boss = child.social_worker.line_manager if child.social_worker_id else None
    for _ in range(2):
        if boss is None:
            return None
        if boss.role == Role.SERVICE_MANAGER:
            return boss
        boss = boss.line_manager
    return None


def duty_owner(kind: str, child: Child, teams: _Teams) -> tuple[int | None, int | None]:
    """(owner id, team id) of a duty of this child.

    Statutory, purposeful visits and the LAC review: the social worker, the child's team.
    IRO visit: the child's IRO and their team. Commissioning visit: nobody in person, the
    (first) commissioning team. Service manager visit: the social worker's service
    manager, in the child's team.
    """
    if kind == rules.IRO_VISIT:
        if child.iro_id:
            return child.iro_id, child.iro.team_id or teams.iro_service
        return None, teams.iro_service or child.team_id
    if kind == rules.COMMISSIONING_VISIT:
        return None, teams.commissioning
    if kind == rules.SERVICE_MANAGER_VISIT:
        manager = _service_manager(child)
        return (manager.pk if manager else None), child.team_id
    return child.social_worker_id, child.team_id


# ============================================================================================
# Computing one batch of children
# ============================================================================================


@dataclass
class Stats:
    children: int = 0
    batches: int = 0
    created: int = 0
    updated: int = 0
    done: int = 0
    cancelled: int = 0
    unchanged: int = 0
    errors: int = 0
    retries: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.done + self.cancelled

    def add(self, other: Stats) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def summary(self) -> str:
        return (
            f"children: {self.children:,} in {self.batches:,} "
            f"batch{'es' if self.batches != 1 else ''}; duties created "
            f"{self.created:,}, updated {self.updated:,}, done {self.done:,}, cancelled "
            f"{self.cancelled:,}, unchanged {self.unchanged:,}; errors {self.errors:,}"
        )


@dataclass
class _Want:
    """What one (kind, subject) should be, with what is needed to explain a change."""

    kind: str
    subject: str
    due: rules.Due | None
    active: bool  # False: the placement has ended, no open row may stay
    placement_id: int | None
    setting_id: int | None
    owner_id: int | None
    team_id: int | None
    answer: Callable[[int], rules.Due | None]  # the engine's answer for the first k inputs
    inputs: Sequence[tuple[date, int | None]]  # (date, visit id) of qualifying inputs


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _same(duty: Duty, due: rules.Due | None) -> bool:
    return due is not None and duty.due == due.due and duty.due_at == due.due_at


def _discharger(duty: Duty, want: _Want) -> tuple[date, int | None] | None:
    """The input (visit or review) that moved ``duty`` on, if one did.

    The row is the engine's answer for the first k qualifying inputs (largest such k);
    input k+1 is the one that discharged it. None when the full set still gives the
    row's answer, or no prefix does (something else, such as a rule, moved it).
    """
    n = len(want.inputs)
    for k in range(n, max(-1, n - _DISCHARGE_SEARCH - 1), -1):
        if _same(duty, want.due if k == n else want.answer(k)):
            return None if k == n else want.inputs[k]
    return None


@dataclass
class _Batch:
    """Everything one batch reads, loaded with a fixed number of queries."""

    episodes: dict[int, list[Placement]]
    visits: dict[int, list[tuple[rules.VisitFact, int]]]
    reviews: dict[int, list[date]]
    overrides: dict[int, list[ScheduleOverride]]
    open_duties: list[Duty]


def _load(child_ids: Sequence[int], today: date) -> _Batch:
    episodes: dict[int, list[Placement]] = defaultdict(list)
    for placement in (
        Placement.objects.filter(child_id__in=child_ids)
        .select_related(
            "setting",
            "child",
            "child__iro",
            "child__social_worker__line_manager__line_manager",
        )
        .order_by("child_id", "decom", "pk")
    ):
        episodes[placement.child_id].append(placement)

    visits: dict[int, list[tuple[rules.VisitFact, int]]] = defaultdict(list)
    for pk, child_id, kind, visited_at, in_person in (
        Visit.objects.filter(
            child_id__in=child_ids,
            status=Visit.Status.FINISHED,
            visited_at__isnull=False,
            kind__in=rules.VISIT_KINDS,  # kinds added later discharge none of these duties
        )
        .order_by("visited_at", "pk")
        .values_list("pk", "child_id", "kind", "visited_at", "in_person")
    ):
        fact = rules.VisitFact(kind, visited_at, in_person=in_person)
        if fact.local_date <= today:
            visits[child_id].append((fact, pk))

    reviews: dict[int, list[date]] = defaultdict(list)
    for child_id, review_date in (
        LacReview.objects.filter(child_id__in=child_ids)
        .order_by("review_date")
        .values_list("child_id", "review_date")
    ):
        reviews[child_id].append(review_date)

    overrides: dict[int, list[ScheduleOverride]] = defaultdict(list)
    for override in ScheduleOverride.objects.filter(
        child_id__in=child_ids, agreed_on__lte=today
    ).only(
        "pk",
        "child_id",
        "duty_kind",
        "interval_days",
        "interval_months",
        "agreed_by_name",
        "agreed_on",
    ):
        overrides[override.child_id].append(override)

    open_duties = list(
        Duty.objects.filter(child_id__in=child_ids, kind__in=MANAGED_KINDS, status=Duty.Status.OPEN)
        # Visits due after an Ofsted notice are opened by escalations.downgrade, not by the
        # schedule: they are not this engine's to reconcile.
        .exclude(subject__startswith=NOTICE_SUBJECT_PREFIX)
        .select_for_update()
        .order_by("pk")
    )
    return _Batch(episodes, visits, reviews, overrides, open_duties)


def _wants_for_child(
    child_id: int,
    batch: _Batch,
    ruleset: rules.RuleSet,
    teams: _Teams,
    today: date,
    open_subjects: set[str],
) -> list[_Want]:
    episodes = batch.episodes.get(child_id, [])
    if not episodes:
        return []
    child = episodes[0].child
    since = looked_after_since(episodes)
    all_reviews = batch.reviews.get(child_id, [])
    own = override_facts(batch.overrides.get(child_id, []))
    visits = batch.visits.get(child_id, [])
    by_kind: dict[str, list[tuple[rules.VisitFact, int]]] = defaultdict(list)
    for fact, pk in visits:
        by_kind[fact.kind].append((fact, pk))

    wants: list[_Want] = []
    current_facts: tuple[rules.PlacementFacts, date] | None = None
    for chain in placement_chains(episodes):
        first, last = chain[0], chain[-1]
        subject = f"placement:{first.pk}"
        active = last.dec is None or last.dec > today
        if not active and subject not in open_subjects:
            continue  # an ended placement with nothing left open: nothing to do
        period_start = since[first.pk]
        held = [r for r in all_reviews if r >= period_start]
        facts = placement_facts(
            last, own, start=first.decom, first_lac_review=held[0] if held else None
        )
        if active and (current_facts is None or facts.start >= current_facts[0].start):
            current_facts = (facts, period_start)
        for kind in PLACEMENT_KINDS:
            qualifying = by_kind.get(rules.DISCHARGED_BY[kind], [])
            made = [fact for fact, _ in qualifying]

            def answer(k: int, kind=kind, made=made, facts=facts, period_start=period_start):
                return rules.next_due(
                    kind,
                    facts,
                    made[:k],
                    ruleset,
                    reviews=all_reviews,
                    looked_after_since=period_start,
                    today=today,
                )

            owner_id, team_id = duty_owner(kind, child, teams)
            wants.append(
                _Want(
                    kind=kind,
                    subject=subject,
                    due=answer(len(made)),
                    active=active,
                    placement_id=last.pk,
                    setting_id=last.setting_id,
                    owner_id=owner_id,
                    team_id=team_id,
                    answer=answer,
                    inputs=[(fact.local_date, pk) for fact, pk in qualifying],
                )
            )

    # The LAC review: the child's duty while they are looked after, from the placement
    # they live in now.
    if current_facts is not None:
        facts, period_start = current_facts
        facts = replace(facts, first_lac_review=None)
        held = [r for r in all_reviews if period_start <= r <= today]

        def review_answer(k: int, facts=facts, held=held, period_start=period_start):
            return rules.next_due(
                rules.LAC_REVIEW,
                facts,
                (),
                ruleset,
                reviews=held[:k],
                looked_after_since=period_start,
                today=today,
            )

        owner_id, team_id = duty_owner(rules.LAC_REVIEW, child, teams)
        wants.append(
            _Want(
                kind=rules.LAC_REVIEW,
                subject=f"child:{child_id}",
                due=review_answer(len(held)),
                active=True,
                placement_id=None,
                setting_id=None,
                owner_id=owner_id,
                team_id=team_id,
                answer=review_answer,
                inputs=[(r, None) for r in held],
            )
        )
    return wants


_UPDATE_FIELDS = [
    "due",
    "due_at",
    "status",
    "done_on",
    "done_by_visit",
    "owner",
    "team",
    "placement",
    "setting",
    "basis",
    "source",
    "updated_at",
]


_UPDATE_CHUNK = 4000  # rows per UPDATE: 13 parameters each, well under PostgreSQL's 65,535


def _update_rows(rows: list[Duty]) -> None:
    """Write the changed rows in one UPDATE per 4,000 rows.

    On PostgreSQL an ``UPDATE ... FROM (VALUES ...)``: Django's bulk_update builds a
    CASE expression per row and field, which costs seconds of Python per batch when a
    rule edit moves every duty. Elsewhere (the SQLite of a laptop) bulk_update.
    """
    if connection.vendor != "postgresql":
        Duty.objects.bulk_update(rows, _UPDATE_FIELDS, batch_size=_UPDATE_CHUNK)
        return
    qn = connection.ops.quote_name
    model_fields = [Duty._meta.get_field(name) for name in _UPDATE_FIELDS]
    columns = ", ".join(qn(f.column) for f in model_fields)
    assignments = ", ".join(
        f"{qn(f.column)} = v.{qn(f.column)}::{f.db_type(connection)}" for f in model_fields
    )
    row_sql = "(" + ", ".join(["%s"] * (1 + len(model_fields))) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _UPDATE_CHUNK):
            chunk = rows[start : start + _UPDATE_CHUNK]
            params: list = []
            for duty in chunk:
                params.append(duty.pk)
                params.extend(
                    f.get_db_prep_save(getattr(duty, f.attname), connection) for f in model_fields
                )
            cursor.execute(
                f"UPDATE {qn(Duty._meta.db_table)} AS d SET {assignments} "  # noqa: S608
                f"FROM (VALUES {', '.join([row_sql] * len(chunk))}) AS v(id, {columns}) "
                "WHERE d.id = v.id::bigint",
                params,
            )


def _apply_want(duty: Duty, want: _Want) -> bool:
    """Copy the wanted answer and its owner onto an open row; True if anything changed."""
    due = want.due
    assert due is not None
    values = {
        "due": due.due,
        "due_at": due.due_at,
        "owner_id": want.owner_id,
        "team_id": want.team_id,
        "placement_id": want.placement_id,
        "setting_id": want.setting_id,
        "basis": _cut(due.basis, _BASIS_MAX),
        "source": _cut(due.source, _SOURCE_MAX),
    }
    changed = False
    for name, value in values.items():
        if getattr(duty, name) != value:
            setattr(duty, name, value)
            changed = True
    return changed


def _new_duty(want: _Want, child_id: int) -> Duty:
    duty = Duty(kind=want.kind, subject=want.subject, child_id=child_id, status=Duty.Status.OPEN)
    _apply_want(duty, want)
    return duty


def _reconcile(
    child_id: int, wants: list[_Want], existing: list[Duty], stats: Stats
) -> tuple[list[Duty], list[Duty]]:
    """(rows to update, rows to create) for one child."""
    to_update: list[Duty] = []
    to_create: list[Duty] = []
    rows: dict[tuple[str, str], Duty] = {}
    for duty in existing:
        key = (duty.kind, duty.subject)
        if key in rows:  # cannot happen under the partial unique index; heal if it does
            duty.status = Duty.Status.CANCELLED
            to_update.append(duty)
            stats.cancelled += 1
        else:
            rows[key] = duty
    for want in wants:
        duty = rows.pop((want.kind, want.subject), None)
        live = want.active and want.due is not None
        if duty is None:
            if live:
                to_create.append(_new_duty(want, child_id))
                stats.created += 1
            continue
        if live and _same(duty, want.due):
            if _apply_want(duty, want):
                to_update.append(duty)
                stats.updated += 1
            else:
                stats.unchanged += 1
            continue
        discharged = _discharger(duty, want)
        if discharged is not None:
            duty.status = Duty.Status.DONE
            duty.done_on, duty.done_by_visit_id = discharged
            to_update.append(duty)
            stats.done += 1
            if live:
                to_create.append(_new_duty(want, child_id))
                stats.created += 1
        elif live:
            _apply_want(duty, want)
            to_update.append(duty)
            stats.updated += 1
        else:
            duty.status = Duty.Status.CANCELLED
            to_update.append(duty)
            stats.cancelled += 1
    for duty in rows.values():  # rows whose placement or child no longer has the duty
        duty.status = Duty.Status.CANCELLED
        to_update.append(duty)
        stats.cancelled += 1
    return to_update, to_create


def _refresh_batch(
    child_ids: Sequence[int], ruleset: rules.RuleSet, teams: _Teams, today: date
) -> Stats:
    """Recompute the duties of these children: a fixed number of queries, one transaction."""
    stats = Stats(children=len(child_ids), batches=1)
    with transaction.atomic():
        batch = _load(child_ids, today)
        existing: dict[int, list[Duty]] = defaultdict(list)
        for duty in batch.open_duties:
            existing[duty.child_id].append(duty)
        to_update: list[Duty] = []
        to_create: list[Duty] = []
        for child_id in child_ids:
            try:
                open_subjects = {duty.subject for duty in existing.get(child_id, [])}
                wants = _wants_for_child(child_id, batch, ruleset, teams, today, open_subjects)
            except (TypeError, ValueError):
                # A fact the engine refuses must not stop every other child's schedule
                # (nor the placement being recorded): leave this child's rows as they are.
                logger.exception("Cannot compute the schedule of child %s", child_id)
                stats.errors += 1
                continue
            updates, creates = _reconcile(child_id, wants, existing.get(child_id, []), stats)
            to_update += updates
            to_create += creates
        now = timezone.now()
        for duty in to_update:
            duty.updated_at = now
        if to_update:
            _update_rows(to_update)
        if to_create:
            Duty.objects.bulk_create(to_create)
    return stats


def _is_retryable(error: Exception) -> bool:
    """A duplicate open row from an overlapping run, or a deadlock between two runs."""
    if isinstance(error, IntegrityError):
        return True
    cause = getattr(error, "__cause__", None)
    return type(cause).__name__ in {"DeadlockDetected", "SerializationFailure"}


def _refresh_batch_retrying(
    child_ids: Sequence[int], ruleset: rules.RuleSet, teams: _Teams, today: date
) -> Stats:
    """An overlapping run (the nightly job and a service, say) can insert the same open
    row first: the batch is rolled back and run once more, reading what that run wrote."""
    try:
        return _refresh_batch(child_ids, ruleset, teams, today)
    except (IntegrityError, OperationalError) as error:
        if not _is_retryable(error):
            raise
        logger.warning("Duties of %s children changed under us; retrying", len(child_ids))
        stats = _refresh_batch(child_ids, ruleset, teams, today)
        stats.retries += 1
        return stats


# ============================================================================================
# Public API
# ============================================================================================


def refresh_for_children(child_ids: Iterable[int], *, today: date | None = None) -> int:
    """Recompute the duties of these children now; returns how many rows changed.

    For services that change an input: a placement started, changed or ended, a visit
    finished, a LAC review recorded, a child reallocated, an override agreed. Safe inside
    the caller's transaction (the rows change with it) and outside one.
    """
    ids = sorted({int(pk) for pk in child_ids})
    if not ids:
        return 0
    today = today or timezone.localdate()
    ruleset = current_ruleset()
    teams = _teams()
    stats = Stats()
    for start in range(0, len(ids), 500):
        stats.add(_refresh_batch_retrying(ids[start : start + 500], ruleset, teams, today))
    return stats.changed


def children_to_recompute(today: date) -> QuerySet[Child]:
    """Children with a placement open on ``today`` or later, or with an open duty of ours."""
    open_placement = Placement.objects.filter(child=OuterRef("pk")).filter(
        Q(dec__isnull=True) | Q(dec__gt=today)
    )
    open_duty = Duty.objects.filter(
        child=OuterRef("pk"), status=Duty.Status.OPEN, kind__in=MANAGED_KINDS
    )
    return Child.objects.filter(Exists(open_placement) | Exists(open_duty))


def recompute_all(
    *,
    today: date | None = None,
    batch_size: int = 500,
    progress: Callable[[int, int], None] | None = None,
) -> Stats:
    """Recompute every child's duties: the nightly safety net.

    Children are walked in primary-key order, ``batch_size`` at a time (keyset
    pagination: memory is bounded by the batch), each batch in its own transaction with
    a fixed number of queries. ``progress(done, total)`` is called after each batch;
    asking for it costs one COUNT query.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    today = today or timezone.localdate()
    ruleset = current_ruleset()
    teams = _teams()
    candidates = children_to_recompute(today).order_by("pk").values_list("pk", flat=True)
    total = candidates.count() if progress is not None else 0
    stats = Stats()
    last = 0
    while True:
        ids = list(candidates.filter(pk__gt=last)[:batch_size])
        if not ids:
            break
        stats.add(_refresh_batch_retrying(ids, ruleset, teams, today))
        last = ids[-1]
        if progress is not None:
            progress(stats.children, total)
        if len(ids) < batch_size:
            break
    return stats


@shared_task(name="visits.recompute_all_duties", ignore_result=True)
def recompute_all_duties(as_of: str | None = None, batch_size: int = 500) -> dict:
    """Celery: recompute every open duty (nightly, and after a rule is edited)."""
    stats = recompute_all(today=date.fromisoformat(as_of) if as_of else None, batch_size=batch_size)
    logger.info("Duties recomputed: %s", stats.summary())
    return asdict(stats)


# ============================================================================================
# Child-specific schedules
# ============================================================================================


def schedule_override_record(
    *,
    child: Child,
    duty_kind: str,
    agreed_by_name: str,
    agreed_on: date,
    actor,
    interval_days: int | None = None,
    interval_months: int | None = None,
    agreed_by=None,
    review: LacReview | None = None,
    reason: str = "",
) -> ScheduleOverride:
    """Record a schedule agreed at a LAC review, and recompute the child's duties."""
    override = ScheduleOverride(
        child=child,
        duty_kind=duty_kind,
        interval_days=interval_days,
        interval_months=interval_months,
        agreed_by_name=agreed_by_name,
        agreed_by=agreed_by,
        agreed_on=agreed_on,
        review=review,
        reason=reason,
        created_by=actor,
    )
    schedule_override_save(override=override, actor=actor)
    return override


def schedule_override_save(*, override: ScheduleOverride, actor) -> ScheduleOverride:
    if (override.interval_days is None) == (override.interval_months is None):
        raise ValidationError("Give the interval in days or in months, not both.")
    with transaction.atomic():
        if actor is not None:
            override._history_user = actor
            if override.created_by_id is None and override.pk is None:
                override.created_by = actor
        override.save()
        refresh_for_children([override.child_id])
    return override


# ============================================================================================
# Reading the table: the deadlines command and page
# ============================================================================================

DEADLINE_HEADER = ["kind", "child", "urn", "due", "status", "owner"]


def deadline_rows(as_of: date, queryset: QuerySet[Duty] | None = None) -> QuerySet[Duty]:
    """Every open duty, and every duty done on ``as_of``, in due-date order."""
    queryset = Duty.objects.all() if queryset is None else queryset
    return (
        queryset.filter(Q(status=Duty.Status.OPEN) | Q(status=Duty.Status.DONE, done_on=as_of))
        .select_related("child", "setting", "owner", "team")
        .only(*(field for field in DUTY_ROW_FIELDS if not field.startswith("placement")))
        .order_by("due", "kind", "child__child_id", "pk")
    )


def deadline_status(duty: Duty, as_of: date, *, now: datetime | None = None) -> str:
    """``done``, ``overdue`` (the as-of date is after the due date; or, given ``now``, a
    24-hour duty whose time has passed) or ``open``."""
    if duty.status == Duty.Status.DONE:
        return "done"
    if as_of > duty.due:
        return "overdue"
    if now is not None and duty.due_at is not None and now > duty.due_at:
        return "overdue"
    return "open"


def deadline_csv_row(duty: Duty, as_of: date, *, now: datetime | None = None) -> list[str]:
    return [
        duty.kind,
        duty.child.child_id if duty.child_id else "",
        (duty.setting.urn or "") if duty.setting_id else "",
        duty.due.isoformat(),
        deadline_status(duty, as_of, now=now),
        duty.owner.username if duty.owner_id else "",
    ]
