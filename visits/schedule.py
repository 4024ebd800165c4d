"""The visit schedule as rows: what ``visits.rules`` says is due, kept in the duty table.

``visits.rules`` computes due dates from facts; this module maps the register's data to
those facts (:func:`placement_facts`) and answers, for the duty engine's recompute
(``duties.recompute``, through the recomputer registered in ``visits.duty_kinds``), the
rows a child should have: one open row per visit duty kind and placement, with the
subject ``placement:<id>``, where ``<id>`` is the first SSDA903 episode of the
placement. A change of legal status only (RNE ``L``) is a new 903 episode but not a new
placement: it continues the schedule. A change of placement (any other RNE) starts a
new one (timescales.md §1).

A placement that has ended can no longer be visited, so its open duties are all
cancelled, overdue or not (the row keeps its due date, so a missed duty stays on the
record). A row is done by the visit that moved it on (``done_by`` = ``visit:<id>``).
The visits due after an Ofsted notice have subjects of their own (``notice:…``,
``visits.notices``) and are not recomputed here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef

from accounts.models import Role, Team
from duties import timescales
from duties.calendar import add_months
from duties.reconcile import Want
from placements import codes
from placements.models import Child, Placement, PlacementConcern, ProvisionType
from placements.periods import looked_after_since
from reviews.models import LacReview

from . import rules
from .models import ScheduleOverride, Visit

#: The subjects of the rows this schedule keeps.
SUBJECTS = r"placement:\d+"


def current_ruleset() -> rules.RuleSet:
    """The visit schedule's rules in force (one query)."""
    return timescales.current(rules.RuleSet)


# ============================================================================================
# Our data -> the rules' facts
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
OTHER_PLACE_CODES = codes.UNREGISTERED_PLACE_CODES
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
    start_time: time | None = None,
    first_lac_review: date | None = None,
    iro_concerns: bool = False,
) -> rules.PlacementFacts:
    """The engine's facts for a placement whose current 903 episode is ``placement``.

    ``start`` is the first day of the placement (the first episode's DECOM when changes
    of legal status only followed it; default this episode's DECOM), ``start_time`` the
    time it started that day (the first episode's; default this episode's when ``start``
    is not given): without one the rules take the end of the day (seed 000 "within 24
    hours of placement"). ``iro_concerns``: concerns are recorded on the placement (a
    PlacementConcern on any of its episodes: seed 000, the IRO visits "if concerns -
    within 2 weeks"). The episode's DEC
    is the day the next episode starts, so the placement's last day is the day before.
    Flags the engine would refuse together are settled here: interim care order (P1 +
    LS C1) before reg. 19 before full care order made at home (P1 + LS C2, RNE S or
    L); a connected person is never a parent.
    """
    if start is None:
        start, start_time = placement.decom, start_time or placement.start_time
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
        start_at=datetime.combine(start, start_time) if start_time is not None else None,
        iro_concerns=iro_concerns,
        overrides=own,
    )


def placement_chains(episodes: Sequence[Placement]) -> list[list[Placement]]:
    """A child's episodes (in DECOM order) grouped into placements: an episode that is a
    change of legal status only (RNE L), starting the day the previous one ended,
    continues it, unless the change restarts the schedule. A short break (LS V3/V4) after
    a short break continues the series, whatever the gap between the stays: the visits
    of an agreed series of short breaks are counted from the start of its first stay
    (003 appendix "Short Breaks", "within 3 months of the start of the 1st placement")."""
    chains: list[list[Placement]] = []
    for episode in episodes:
        previous = chains[-1][-1] if chains else None
        if previous is not None and (
            (
                episode.rne == "L"
                and previous.dec == episode.decom
                and not _restarts_schedule(episode)
            )
            or (_short_break(episode) and _short_break(previous))
        ):
            chains[-1].append(episode)
        else:
            chains.append([episode])
    return chains


def _short_break(placement: Placement) -> bool:
    return placement.ls in codes.SHORT_BREAK_LS


def short_break_series_end(last: Placement, ruleset: rules.RuleSet) -> date | None:
    """The last day of a series of short breaks whose latest stay is ``last``, or None
    while it goes on.

    With the stays recorded one by one (LS V3) the child is at home between them, and
    the series' visits go on there: the series lapses only when no stay has followed
    the last one within a visiting interval (``short_breaks_interval_months``) of its
    end; its open rows are then cancelled, keeping their due dates, and a new stay
    picks the series up again. With the agreement recorded (LS V4) the episode is the
    series: it ends with it.
    """
    if last.dec is None:
        return None
    end = max(last.dec - timedelta(days=1), last.decom)
    if last.ls == "V3":
        end = add_months(end, ruleset.short_breaks_interval_months)
    return end


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

    Statutory and purposeful visits: the social worker, the child's team.
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
# A batch of children, for the duty engine's recompute
# ============================================================================================


@dataclass(frozen=True)
class _State:
    """What one recompute reads once: the rules in force, fixed teams, the day."""

    ruleset: rules.RuleSet
    teams: _Teams
    today: date


def prepare(today: date) -> _State:
    return _State(current_ruleset(), _teams(), today)


@dataclass
class _Batch:
    """Everything one batch reads, loaded with a fixed number of queries."""

    episodes: dict[int, list[Placement]]
    visits: dict[int, list[tuple[rules.VisitFact, int]]]
    reviews: dict[int, list[date]]
    overrides: dict[int, list[ScheduleOverride]]


def load(child_ids: Sequence[int], state: _State) -> _Batch:
    today = state.today
    episodes: dict[int, list[Placement]] = defaultdict(list)
    for placement in (
        Placement.objects.filter(child_id__in=child_ids)
        .select_related(
            "setting",
            "child",
            "child__iro",
            "child__social_worker__line_manager__line_manager",
        )
        # Concerns recorded on the episode (seed 000: the IRO within 2 weeks), in this query.
        .annotate(has_concerns=Exists(PlacementConcern.objects.filter(placement=OuterRef("pk"))))
        .order_by("child_id", "decom", "pk")
    ):
        episodes[placement.child_id].append(placement)

    visits: dict[int, list[tuple[rules.VisitFact, int]]] = defaultdict(list)
    for pk, child_id, kind, visited_at, in_person, seen_alone, bedroom_seen in (
        Visit.objects.filter(
            child_id__in=child_ids,
            status=Visit.Status.FINISHED,
            visited_at__isnull=False,
            kind__in=rules.VISIT_KINDS,  # kinds added later discharge none of these duties
        )
        .order_by("visited_at", "pk")
        .values_list(
            "pk", "child_id", "kind", "visited_at", "in_person", "seen_alone", "bedroom_seen"
        )
    ):
        fact = rules.VisitFact(
            kind,
            visited_at,
            in_person=in_person,
            seen_alone=bool(seen_alone),
            bedroom_seen=bool(bedroom_seen),
        )
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

    return _Batch(episodes, visits, reviews, overrides)


def wants(child_id: int, batch: _Batch, state: _State, open_subjects: set[str]) -> list[Want]:
    """The rows of visit duties this child should have, a placement at a time."""
    ruleset, teams, today = state.ruleset, state.teams, state.today
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

    wants: list[Want] = []
    for chain in placement_chains(episodes):
        first, last = chain[0], chain[-1]
        subject = f"placement:{first.pk}"
        active = last.dec is None or last.dec > today
        series_end = None
        if _short_break(last):
            series_end = short_break_series_end(last, ruleset)
            active = series_end is None or series_end >= today
        if not active and subject not in open_subjects:
            continue  # an ended placement with nothing left open: nothing to do
        period_start = since[first.pk]
        held = [r for r in all_reviews if r >= period_start]
        facts = placement_facts(
            last,
            own,
            start=first.decom,
            start_time=first.start_time,
            first_lac_review=held[0] if held else None,
            iro_concerns=any(episode.has_concerns for episode in chain),
        )
        if _short_break(last):
            # A series of stays (V3) going on has no end yet: its visits fall due at home
            # between stays. An agreement (V4) ends on its episode's last day.
            facts = replace(facts, end=None if active and last.ls == "V3" else series_end)
        for kind in rules.DUTY_KINDS:
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
                Want(
                    kind=kind,
                    subject=subject,
                    due=answer(len(made)),
                    active=active,
                    placement_id=last.pk,
                    setting_id=last.setting_id,
                    owner_id=owner_id,
                    team_id=team_id,
                    answer=answer,
                    inputs=[(fact.local_date, f"visit:{pk}") for fact, pk in qualifying],
                )
            )
        wants.extend(
            local_standard_wants(
                facts, visits, state, subject=subject, active=active, placement=last, child=child
            )
        )

    return wants


def local_standard_wants(
    facts: rules.PlacementFacts,
    visits: Sequence[tuple[rules.VisitFact, int]],
    state: _State,
    *,
    subject: str,
    active: bool,
    placement: Placement,
    child: Child,
) -> list[Want]:
    """The rows of the local standards on top of the schedule (003 10.2, 10.10; TS §1):
    ``placement_day_visit`` and ``bedroom_seen``, the social worker's, per placement.

    The inputs are the social worker's visits that can move each: for the day of
    placement, those made in the placement (on the day, or the first statutory visit
    after it); for the bedroom, those on which the bedroom was seen.
    """
    ruleset, today = state.ruleset, state.today
    mine = [(f, pk) for f, pk in visits if f.kind in rules.SOCIAL_WORKER_VISIT_KINDS]
    inputs_of = {
        rules.PLACEMENT_DAY_VISIT: [(f, pk) for f, pk in mine if f.local_date >= facts.start],
        rules.BEDROOM_SEEN: [(f, pk) for f, pk in mine if f.bedroom_seen],
    }
    rule_of = {
        rules.PLACEMENT_DAY_VISIT: rules.placement_day_visit_due,
        rules.BEDROOM_SEEN: rules.bedroom_seen_due,
    }
    owner_id, team_id = duty_owner(rules.PLACEMENT_DAY_VISIT, child, state.teams)
    wants: list[Want] = []
    for kind in rules.LOCAL_STANDARD_KINDS:
        qualifying = inputs_of[kind]
        made = [fact for fact, _ in qualifying]

        def answer(k: int, made=made, rule=rule_of[kind]) -> rules.Due | None:
            return rule(facts, made[:k], ruleset, today=today)

        wants.append(
            Want(
                kind=kind,
                subject=subject,
                due=answer(len(made)),
                active=active,
                placement_id=placement.pk,
                setting_id=placement.setting_id,
                owner_id=owner_id,
                team_id=team_id,
                answer=answer,
                inputs=[(fact.local_date, f"visit:{pk}") for fact, pk in qualifying],
            )
        )
    return wants
