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
hundreds of thousands of visits (see ``writing.USE_COPY``), elsewhere with
bulk_create_with_history. The Duty rows are not written here: seed_demo runs
duties.recompute.recompute_all, so what is overdue is the engine's own answer.

The package is split by what each part does: ``plan`` walks each child's placements
through the schedule and decides the visits and reviews (dates and people), ``rows``
turns them into rows, filling in the visit forms with the sentences of ``words``, and
``writing`` writes them (``seed_visits``). The switches ``plan.FAST_STEPS``,
``writing.USE_COPY`` and ``writing.WRITE_IN_BACKGROUND`` are read where they are
defined, and are set there.
"""

from .rows import child_is_uasc
from .writing import (
    BATCH,
    CHANGE_REASON,
    CHILD_ID_PREFIX,
    CHUNK,
    Progress,
    Summary,
    seed_visits,
)

__all__ = [
    "BATCH",
    "CHANGE_REASON",
    "CHILD_ID_PREFIX",
    "CHUNK",
    "Progress",
    "Summary",
    "child_is_uasc",
    "seed_visits",
]
