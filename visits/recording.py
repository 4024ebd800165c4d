"""Case recording within 2 working days of a visit (``visit_recording``).

003_… Northamptonshire practice standards §20, "Case Recording after Visits", line 1438:
"Key Timescale: Records updated within two working days" (TS §1: "Case records are updated
within 2 working days of a visit"). A visit recorded in the browser (the Purposeful
Visiting Form) is a draft until its visitor finishes it; a draft whose date of visit has
come is a duty of its author, due ``visit_recording_working_days`` England working days
after the day the visit took place (day 1 the first working day after it: a visit on
Friday 18 December 2026 is due on Tuesday 22 December), done on the day it is finished.

The rows follow from the visits, so the duty engine recomputes them (a ``Recomputer``,
registered in ``visits.duty_kinds``): one row per visit (subject ``visit:<pk>``, the first
version: an amendment is not a new recording), opened once the date of the visit has come
(on the visit's day, when the draft is saved with its date, or by the nightly recompute
for a draft dated ahead), moved when the draft's date changes, done when it is finished
(``done_on`` the day it was finished: after ``due`` it was recorded late), cancelled when
the draft loses its date. Imported history (``import_visits``) was recorded elsewhere and
has no row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import F, Q, QuerySet

from accounts.models import MANAGER_ROLES, User
from accounts.selectors import managed_by, managed_team_ids
from duties import timescales
from duties.calendar import add_working_days
from duties.models import Duty
from duties.reconcile import Want
from duties.rules import LONDON, Due, Timescales, rule, to_london
from duties.services import duty_open, open_duty
from duties.worktray import Quarter, financial_quarter
from placements.selectors import child_visibility

from .models import Visit, VisitKind

VISIT_RECORDING = "visit_recording"
#: The subject of a recording row: the visit (its first version); links to its page.
SUBJECTS = r"visit:\d+"
SOURCE = "003_… §20 (line 1438): 'Records updated within two working days'; TS §1"


@dataclass(frozen=True)
class RecordingRules(Timescales):
    """When a visit is recorded: a rule an administrator may change."""

    visit_recording_working_days: int = rule(
        2,
        "Working days after the day of a visit by which it is recorded (the visit form "
        "finished). 0: on the day of the visit.",
        "003_… §20 'Case Recording after Visits' (line 1438): 'Key Timescale: Records "
        "updated within two working days'; TS §1",
        minimum=0,
    )


def _fmt(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def visit_day(visited_at: datetime) -> date:
    """The day the visit took place, in England (a visit at 00:30 BST is that day's)."""
    return to_london(visited_at).date()


def recording_due(visited_on: date, rules: RecordingRules) -> Due:
    """The last day on which a visit made on ``visited_on`` is recorded on time."""
    n = rules.visit_recording_working_days
    return Due(
        VISIT_RECORDING,
        add_working_days(visited_on, n),
        None,
        f"Visit on {_fmt(visited_on)}: record it within {n} working "
        f"day{'s' if n != 1 else ''} (finish the visit form)",
        SOURCE,
    )


# --- The recomputer -------------------------------------------------------------------------


@dataclass(frozen=True)
class _State:
    rules: RecordingRules
    today: date


@dataclass(frozen=True)
class _Visit:
    pk: int
    status: str
    visited_on: date
    finished_on: date | None
    owner_id: int | None
    team_id: int | None
    placement_id: int | None
    setting_id: int | None


def current_rules() -> RecordingRules:
    return timescales.current(RecordingRules)


def prepare(today: date) -> _State:
    return _State(current_rules(), today)


def _recorded_here() -> Q:
    """Visits recorded in the app, first versions only (an amendment re-records nothing)."""
    return Q(source=Visit.Source.BROWSER, supersedes__isnull=True, visited_at__isnull=False)


def load(child_ids: Sequence[int], state: _State) -> dict[int, list[_Visit]]:
    """The batch's drafts, and the finished visits whose row is still open: two queries."""
    open_ids = [
        int(subject.split(":", 1)[1])
        for subject in Duty.objects.filter(
            kind=VISIT_RECORDING, status=Duty.Status.OPEN, child_id__in=child_ids
        ).values_list("subject", flat=True)
    ]
    found: dict[int, list[_Visit]] = defaultdict(list)
    rows = (
        Visit.objects.filter(_recorded_here(), child_id__in=child_ids)
        .filter(Q(status=Visit.Status.DRAFT) | Q(pk__in=open_ids))
        .order_by("visited_at", "pk")
        .values_list(
            "pk",
            "child_id",
            "status",
            "visited_at",
            "finished_at",
            "visitor_id",
            "visitor__team_id",
            "created_by_id",
            "created_by__team_id",
            "child__team_id",
            "placement_id",
            "setting_id",
        )
    )
    for (
        pk,
        child_id,
        status,
        visited_at,
        finished_at,
        visitor_id,
        visitor_team_id,
        creator_id,
        creator_team_id,
        child_team_id,
        placement_id,
        setting_id,
    ) in rows:
        # The author: the visitor, else whoever started the form.
        owner_id, team_id = (
            (visitor_id, visitor_team_id) if visitor_id else (creator_id, creator_team_id)
        )
        found[child_id].append(
            _Visit(
                pk=pk,
                status=status,
                visited_on=visit_day(visited_at),
                finished_on=to_london(finished_at).date() if finished_at else None,
                owner_id=owner_id,
                team_id=team_id or child_team_id,
                placement_id=placement_id,
                setting_id=setting_id,
            )
        )
    return found


def wants(
    child_id: int, batch: dict[int, list[_Visit]], state: _State, open_subjects: set[str]
) -> list[Want]:
    """A row for each draft whose day has come; for a visit finished since its row was
    opened, the answer that marks the row done on the day it was finished. A row whose
    draft has no date, or a date ahead, is wanted by nobody: it is cancelled."""
    out: list[Want] = []
    for visit in batch.get(child_id, []):
        subject = f"visit:{visit.pk}"
        due = recording_due(visit.visited_on, state.rules)
        if visit.status == Visit.Status.DRAFT:
            if visit.visited_on > state.today:
                continue  # not yet: the row opens on the day of the visit
            inputs: list[tuple[date, str]] = []
            wanted: Due | None = due
        else:  # finished (or since amended): its row is done
            assert visit.finished_on is not None
            inputs = [(visit.finished_on, subject)]
            wanted = None
        out.append(
            Want(
                kind=VISIT_RECORDING,
                subject=subject,
                due=wanted,
                placement_id=visit.placement_id,
                setting_id=visit.setting_id,
                owner_id=visit.owner_id,
                team_id=visit.team_id,
                answer=lambda k, due=due: due if k == 0 else None,
                inputs=inputs,
            )
        )
    return out


def open_on_finish(visit: Visit, *, today: date) -> Duty | None:
    """Inside ``visit_finish``'s transaction: the visit's row, if the recompute has not
    opened it yet (a form dated and finished in one go), so that the recompute after the
    commit marks it done on the day, on time or late: every visit recorded in the app has
    its row."""
    if (
        visit.source != Visit.Source.BROWSER
        or visit.supersedes_id is not None
        or visit.visited_at is None
    ):
        return None
    visited_on = visit_day(visit.visited_at)
    subject = f"visit:{visit.pk}"
    if visited_on > today or open_duty(VISIT_RECORDING, subject) is not None:
        return None
    owner = visit.visitor if visit.visitor_id else visit.created_by
    due = recording_due(visited_on, current_rules())
    return duty_open(
        kind=VISIT_RECORDING,
        subject=subject,
        due=due.due,
        owner=owner,
        team=(owner.team if owner is not None and owner.team_id else visit.child.team),
        child=visit.child,
        placement=visit.placement,
        setting=visit.setting,
        basis=due.basis,
        source=due.source,
    )


def candidates(today: date) -> QuerySet:
    """Children with a draft whose day has come (a child no longer placed keeps the duty)."""
    tomorrow = datetime.combine(today + timedelta(days=1), time.min, tzinfo=LONDON)
    return (
        Visit.objects.filter(_recorded_here(), status=Visit.Status.DRAFT, visited_at__lt=tomorrow)
        .values("child_id")
        .distinct()
    )


# --- The managers' report: late recordings per worker ------------------------------------------

#: Who sees their staff's late recordings: team managers (their team's workers) and service
#: managers (their teams), as the worktray's team view.
LATE_RECORDING_ROLES = MANAGER_ROLES


@dataclass
class LateRecording:
    """One visit recorded late (or not yet recorded, past its due date)."""

    duty: Duty
    visit_pk: int
    visit_kind: str
    visited_on: date | None
    #: Calendar days after the due date: to the day it was recorded, or to today.
    days_late: int


@dataclass
class WorkerLate:
    """One worker's late recordings: finished late this quarter, and outstanding now."""

    worker_id: int | None
    name: str
    team: str
    late: list[LateRecording]
    outstanding: list[LateRecording]


def late_recordings_for(user: User, today: date) -> tuple[Quarter, list[WorkerLate]]:
    """Per worker, the visits of the children this manager oversees that were recorded
    late this financial quarter (finished after their due date) and those not recorded
    though their due date has passed. Three queries, whatever the caseload; empty for
    anyone not a team or service manager."""
    quarter = financial_quarter(today)
    if user.role not in LATE_RECORDING_ROLES:
        return quarter, []
    scope = (
        Q(owner=user)
        | Q(team_id__in=managed_team_ids(user))
        | Q(owner_id__in=managed_by(user, levels=2))
    )
    duties = list(
        Duty.objects.filter(kind=VISIT_RECORDING)
        .filter(scope, child_visibility(user, prefix="child__"))
        .filter(
            Q(
                status=Duty.Status.DONE,
                done_on__gte=quarter.start,
                done_on__lte=quarter.end,
                done_on__gt=F("due"),
            )
            | Q(status=Duty.Status.OPEN, due__lt=today)
        )
        .select_related("owner", "team", "child")
        .only(
            *("subject", "due", "status", "done_on", "basis"),
            *("child", "child__child_id", "child__first_name", "child__last_name"),
            "child__restricted",
            *("owner", "owner__first_name", "owner__last_name", "owner__username"),
            *("team", "team__name"),
        )
        .order_by("due", "pk")
    )
    visit_ids = [int(duty.subject.split(":", 1)[1]) for duty in duties]
    visits = {
        pk: (kind, visited_at)
        for pk, kind, visited_at in Visit.objects.filter(pk__in=visit_ids).values_list(
            "pk", "kind", "visited_at"
        )
    }
    workers: dict[int | None, WorkerLate] = {}
    for duty, visit_pk in zip(duties, visit_ids, strict=True):
        kind, visited_at = visits.get(visit_pk, ("", None))
        until = duty.done_on if duty.status == Duty.Status.DONE else today
        row = LateRecording(
            duty=duty,
            visit_pk=visit_pk,
            visit_kind=VisitKind(kind).label if kind in VisitKind.values else kind,
            visited_on=visit_day(visited_at) if visited_at else None,
            days_late=(until - duty.due).days,
        )
        worker = workers.get(duty.owner_id)
        if worker is None:
            owner = duty.owner
            worker = workers[duty.owner_id] = WorkerLate(
                worker_id=duty.owner_id,
                name=(owner.get_full_name() or owner.username) if owner else "Not allocated",
                team=duty.team.name if duty.team_id else "No team",
                late=[],
                outstanding=[],
            )
        (worker.late if duty.status == Duty.Status.DONE else worker.outstanding).append(row)
    ordered = sorted(
        workers.values(),
        key=lambda w: (-(len(w.late) + len(w.outstanding)), w.name.lower(), w.worker_id or 0),
    )
    return quarter, ordered
