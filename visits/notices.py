"""The visit due after an Ofsted notice for a children's home (timescales.md §1: "every
child placed there is visited within 1 week"; 003 appendix).

When commissioning records a notice (``placements.services.notice_record``, which sends
``notice_recorded``), every child placed there on the notice date gets a statutory visit
duty of its own (subject ``notice:<notice>:child:<child>``), due within
``ofsted_notice_visit_days``; the first finished statutory visit on or after the notice
date discharges it. The regular schedule keeps its own rows beside it.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils import timezone

from duties.models import Duty
from duties.services import duties_open, duty_done, open_duties
from placements.models import RegulatoryNotice
from placements.selectors import one_per_child, placed_on

from . import rules
from .models import Visit, VisitKind
from .schedule import current_ruleset

NOTICE_SUBJECT_PREFIX = "notice:"
NOTICE_SOURCE = "TS §1 row 'Ofsted notice of cancellation of registration'; 003 appendix"


def open_notice_visits(notice: RegulatoryNotice) -> list[Duty]:
    """A statutory visit for every child placed at the notice's setting on its date."""
    setting = notice.setting
    due = rules.ofsted_notice_visit_due(notice.notice_date, current_ruleset())
    basis = (
        f"{notice.get_kind_display()} for {setting.name} on {notice.notice_date:%d/%m/%Y}: "
        f"visit every child placed there by {due:%d/%m/%Y}"
    )
    rows = []
    for placement in one_per_child(placed_on(setting, notice.notice_date)):
        child = placement.child
        rows.append(
            {
                "kind": rules.STATUTORY_VISIT,
                "subject": f"{NOTICE_SUBJECT_PREFIX}{notice.pk}:child:{child.pk}",
                "child": child,
                "setting": setting,
                "placement": placement,
                "owner": child.social_worker,
                "team": child.team,
                "due": due,
                "basis": basis,
                "source": NOTICE_SOURCE,
            }
        )
    return duties_open(rows)


def notice_visits_discharge(child_ids) -> int:
    """Mark done each open notice duty of these children that a finished statutory visit on
    or after the notice date discharges; returns how many. Called when visits are
    recorded: the schedule's recompute does not keep these duties."""
    duties = list(
        open_duties(
            rules.STATUTORY_VISIT,
            child_id__in=list(child_ids),
            subject__startswith=NOTICE_SUBJECT_PREFIX,
        )
    )
    if not duties:
        return 0
    notice_ids = {int(d.subject.split(":")[1]) for d in duties}
    notice_dates = dict(
        RegulatoryNotice.objects.filter(pk__in=notice_ids).values_list("pk", "notice_date")
    )
    visits = defaultdict(list)
    for visit in Visit.objects.filter(
        child_id__in={d.child_id for d in duties},
        kind=VisitKind.STATUTORY,
        status=Visit.Status.FINISHED,
        visited_at__isnull=False,
    ).order_by("visited_at", "pk"):
        visits[visit.child_id].append(visit)
    done = 0
    for duty in duties:
        since = notice_dates.get(int(duty.subject.split(":")[1]))
        if since is None:
            continue
        for visit in visits.get(duty.child_id, []):
            day = timezone.localdate(visit.visited_at)
            if day >= since:
                done += duty_done(
                    kind=duty.kind, subject=duty.subject, done_on=day, done_by=f"visit:{visit.pk}"
                )
                break
    return done
