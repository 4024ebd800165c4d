"""The visit schedule: when statutory, purposeful, IRO, commissioning and service
manager visits are due.

Pure functions of dates and facts: no ORM, no database, no clock. ``today`` (and,
for 24-hour duties, ``now``) is always passed in.

Every rule traces to ``timescales.md`` (cited as "TS", with its section) and through
it to a seed document:
``000_…`` Kent placement guidance, ``003_…`` Northamptonshire practice standards
(appendix "Schedule of Statutory Visits").

The design is data + pure functions:

- :class:`RuleSet` (``ruleset``) holds every interval as data, with the TS values as
  defaults.
- :class:`PlacementFacts`, :class:`VisitFact` and a list of review dates (``facts``)
  describe one placement of one child.
- :func:`next_due` (``engine``) returns the next :class:`Due` of one duty kind (or
  ``None`` when the duty does not apply or a one-off duty is discharged);
  :func:`schedule` returns them for every kind. The rules themselves are split by
  section of TS: ``statutory`` (§1), ``purposeful`` (§2, §3 social worker), ``iro``
  (§2, §3 IRO), ``unregistered`` (§3 commissioning and service manager).

General conventions (TS "Conventions"), applied throughout:

- Only visits on or before ``today`` count (a visit dated later has not been made).
- A visit counts for a duty only if its ``kind`` matches the duty (TS: "Only a
  visit of the right kind counts"): ``statutory_visit`` <- ``"statutory"``,
  ``purposeful_visit`` <- ``"purposeful"``, ``iro_visit`` <- ``"iro"``,
  ``commissioning_visit`` <- ``"commissioning"``, ``service_manager_visit`` <-
  ``"service_manager"``. A single visit that was both statutory and purposeful is
  passed in as two ``VisitFact`` objects.
- A visit before the placement started, or after it ended, does not count for it;
  the "before placement" visits of TS §2/§3 are their own requirement, due on the
  start date.
- A missed due date stays overdue (the same ``Due`` keeps being returned) until a
  qualifying visit is recorded; the next due date is then counted from that visit.
- Calendar-day due dates on weekends and bank holidays are not moved.
- Where the interval changes with time, the interval in force on the day of the
  last qualifying visit decides. Child-specific overrides follow the same rule: an
  override agreed on day D decides the next due date once the last qualifying
  visit is on or after D.
"""

from .engine import next_due, schedule
from .facts import (
    BEDROOM_SEEN,
    COMMISSIONING_VISIT,
    DISCHARGED_BY,
    DUTY_KINDS,
    IRO_VISIT,
    LOCAL_STANDARD_KINDS,
    OVERRIDABLE_KINDS,
    PLACEMENT_DAY_VISIT,
    PROVISION_KINDS,
    PURPOSEFUL_VISIT,
    SERVICE_MANAGER_VISIT,
    SOCIAL_WORKER_VISIT_KINDS,
    STATUTORY_VISIT,
    VISIT_KINDS,
    Due,
    PlacementFacts,
    ScheduleOverride,
    VisitFact,
)
from .ruleset import PURPOSEFUL_SETTING_KINDS, RuleSet
from .statutory import (
    bedroom_seen_due,
    ofsted_notice_visit_due,
    placement_day_visit_due,
    statutory_visits_not_seen_alone,
)

__all__ = [
    "BEDROOM_SEEN",
    "COMMISSIONING_VISIT",
    "DISCHARGED_BY",
    "DUTY_KINDS",
    "IRO_VISIT",
    "LOCAL_STANDARD_KINDS",
    "OVERRIDABLE_KINDS",
    "PLACEMENT_DAY_VISIT",
    "PROVISION_KINDS",
    "PURPOSEFUL_SETTING_KINDS",
    "PURPOSEFUL_VISIT",
    "SERVICE_MANAGER_VISIT",
    "SOCIAL_WORKER_VISIT_KINDS",
    "STATUTORY_VISIT",
    "VISIT_KINDS",
    "Due",
    "PlacementFacts",
    "RuleSet",
    "ScheduleOverride",
    "VisitFact",
    "bedroom_seen_due",
    "next_due",
    "ofsted_notice_visit_due",
    "placement_day_visit_due",
    "schedule",
    "statutory_visits_not_seen_alone",
]
