"""Writing the demo register: the estate first, then the children a chunk at a time.

Demo children are numbered D000001, D000002, …; asking for N children tops the demo
caseload up to N and leaves the ones already there alone. Rows are built in memory and
bulk-inserted with one history row each (10,000 children take seconds), not saved one
at a time through the services.
"""

from __future__ import annotations

import random
import string
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from placements import codes
from placements.models import (
    Child,
    Inspection,
    Placement,
    Provider,
    ProvisionEligibility,
    Rating,
    RegistrationStatus,
    Regulator,
    Setting,
)

from .caseload import OVERRIDE_REASONS, _Caseload, _ChildPlan, _Episode
from .common import CHILD_ID_PREFIX, NOT_YET
from .estate import _EstatePlanner, _load_pool
from .people import PERSON_FIRST, PERSON_LAST

CHANGE_REASON = "Demo data"
MIN_SETTINGS = 25
BATCH = 1000  # rows per INSERT
CHUNK = 2000  # children per transaction and per progress line

Progress = Callable[[str], None]


@dataclass
class Summary:
    providers: int = 0
    settings: int = 0
    inspections: int = 0
    children: int = 0
    placements: int = 0
    settings_in_use: int = 0
    children_already: int = 0
    overrides: int = 0

    def lines(self) -> list[str]:
        return [
            f"Providers: {self.providers:,} new",
            f"Settings: {self.settings:,} new ({self.settings_in_use:,} in the demo estate)",
            f"Inspections: {self.inspections:,} new",
            f"Children: {self.children:,} new ({self.children_already:,} already there)",
            f"Placements: {self.placements:,} new ({self.overrides:,} with a guard override)",
        ]


def settings_for(children: int) -> int:
    """How many settings an estate for this many children has."""
    return max(MIN_SETTINGS, children // 8)


def _staff() -> dict[str, User]:
    wanted = (
        [f"sw.north{n}" for n in (1, 2, 3)]
        + [f"sw.south{n}" for n in (1, 2, 3)]
        + ["pa.leavers1", "pa.leavers2", "iro1", "iro2", "iro3", "ad", "director"]
        + ["commissioning1", "commissioning2"]
    )
    staff = {u.username: u for u in User.objects.filter(username__in=wanted)}
    missing = sorted(set(wanted) - set(staff))
    if missing:
        raise RuntimeError(f"Seed the demo staff first; missing: {', '.join(missing)}")
    return staff


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=timezone.get_current_timezone())


@transaction.atomic
def _seed_estate(
    rng: random.Random, target: int, today: date, staff: dict[str, User], summary: Summary
) -> list[int]:
    """Create whatever of the planned estate is missing; the planned settings' ids."""
    taken = dict(Setting.objects.exclude(urn=None).values_list("urn", "name"))
    planner = _EstatePlanner(rng.getrandbits(64), today, taken)
    specs = planner.plan(target)
    existing: dict[str, int] = {}
    names = [s.name for s in specs]
    for start in range(0, len(names), 500):
        for pk, name in Setting.objects.filter(name__in=names[start : start + 500]).values_list(
            "pk", "name"
        ):
            existing.setdefault(name, pk)
    new_specs = [s for s in specs if s.name not in existing]

    wanted_providers = {s.provider for s in new_specs}
    providers = dict(Provider.objects.filter(name__in=wanted_providers).values_list("name", "pk"))
    new_providers = []
    planned = {name: n for n, name in enumerate(planner.providers)}
    for name in sorted(wanted_providers - set(providers), key=planned.__getitem__):
        spec = planner.providers[name]
        slug = "".join(c for c in name.lower() if c in string.ascii_lowercase)[:30]
        person = f"{rng.choice(PERSON_FIRST)} {rng.choice(PERSON_LAST)}"
        new_providers.append(
            Provider(
                name=name,
                sector=spec.sector,
                contact_name=person,
                contact_email=f"referrals@{slug}.example.org",
                contact_phone=f"01632 960{rng.randint(0, 999):03d}",
                responsible_individual=""
                if spec.sector == "local_authority"
                else f"{rng.choice(PERSON_FIRST)} {rng.choice(PERSON_LAST)}",
            )
        )
    created = _bulk(new_providers, Provider)
    providers.update({p.name: p.pk for p in created})
    summary.providers = len(created)

    settings_rows = []
    for spec in new_specs:
        registered = spec.urn is not None
        latest = spec.inspections[-1] if spec.inspections else None
        settings_rows.append(
            Setting(
                urn=spec.urn,
                name=spec.name,
                provider_id=providers[spec.provider],
                provision_type=spec.provision_type,
                regulator=Regulator.OFSTED if registered else Regulator.NONE,
                registration_status=RegistrationStatus.ACTIVE
                if registered
                else RegistrationStatus.UNREGISTERED,
                registration_date=spec.registration_date,
                address_line_1=spec.address,
                town=spec.town.name,
                postcode=spec.postcode,
                local_authority=spec.town.local_authority,
                ofsted_region=spec.town.region,
                places=spec.places,
                web_link=f"https://reports.ofsted.gov.uk/provider/44/{spec.urn}"
                if registered
                else "",
                current_rating=latest[1] if latest else NOT_YET,
                current_rating_date=latest[0] if latest else None,
                referrals_suspended=spec.referrals_suspended,
                referrals_suspended_reason="Inadequate judgement: no new referrals until "
                "re-inspected"
                if spec.referrals_suspended
                else "",
            )
        )
    created_settings = _bulk(settings_rows, Setting)
    summary.settings = len(created_settings)
    by_name = {s.name: s.pk for s in created_settings}

    officers = [staff["commissioning1"], staff["commissioning2"]]
    inspections = []
    for spec in new_specs:
        for day, judgement, previous in spec.inspections:
            published = min(day + timedelta(days=rng.randint(18, 35)), today)
            inspections.append(
                Inspection(
                    setting_id=by_name[spec.name],
                    inspection_date=day,
                    publication_date=published,
                    event_type="Full inspection",
                    overall_judgement=judgement,
                    previous_judgement=previous,
                    is_downgrade=Rating.is_downgrade(previous, judgement),
                    recorded_on=min(published + timedelta(days=rng.randint(0, 10)), today),
                    recorded_by=rng.choice(officers),
                    source=Inspection.Source.IMPORT
                    if rng.random() < 0.8
                    else Inspection.Source.BROWSER,
                )
            )
    summary.inspections = len(_bulk(inspections, Inspection))
    ids = [existing.get(s.name) or by_name[s.name] for s in specs]
    summary.settings_in_use = len(ids)
    return ids


def _bulk(rows: list, model) -> list:
    if not rows:
        return []
    return bulk_create_with_history(
        rows,
        model,
        batch_size=BATCH,
        default_change_reason=CHANGE_REASON,
        default_date=timezone.now(),
    )


def demo_child_ids() -> set[str]:
    return {
        child_id
        for child_id in Child.objects.filter(child_id__startswith=CHILD_ID_PREFIX).values_list(
            "child_id", flat=True
        )
        if len(child_id) == 7 and child_id[1:].isdigit()
    }


def seed_placements(*, seed: int, children: int, progress: Progress | None = None) -> Summary:
    """Top the demo caseload up to `children` children (D000001…), with the estate for it."""
    say = progress or (lambda _line: None)
    summary = Summary()
    if children <= 0:
        return summary
    today = timezone.localdate()
    master = random.Random(seed)
    estate_rng = random.Random(master.getrandbits(64))
    child_seed = master.getrandbits(48)
    staff = _staff()

    setting_ids = _seed_estate(estate_rng, settings_for(children), today, staff, summary)
    say(f"settings: {summary.settings_in_use:,} ({summary.settings:,} new)")

    already = demo_child_ids()
    todo = [i for i in range(1, children + 1) if f"{CHILD_ID_PREFIX}{i:06d}" not in already]
    summary.children_already = len(already)
    if not todo:
        return summary

    pool = _load_pool(setting_ids)
    eligibility = {
        e.provision_type: (e.min_age, e.max_age) for e in ProvisionEligibility.objects.all()
    }
    occupancy: Counter = Counter()
    for start in range(0, len(setting_ids), 500):
        for row in (
            Placement.objects.filter(
                dec__isnull=True, setting_id__in=setting_ids[start : start + 500]
            )
            .values("setting_id")
            .annotate(n=Count("pk"))
        ):
            occupancy[row["setting_id"]] = row["n"]
    caseload = _Caseload(
        seed=child_seed,
        pool=pool,
        staff=staff,
        eligibility=eligibility,
        occupancy=occupancy,
        today=today,
    )
    assessor, director = staff["ad"], staff["director"]
    for start in range(0, len(todo), CHUNK):
        plans = [caseload.child(i) for i in todo[start : start + CHUNK]]
        with transaction.atomic():
            made = _bulk([p.child for p in plans], Child)
            rows = []
            for plan, child in zip(plans, made, strict=True):
                for episode in plan.episodes:
                    rows.append(_placement_row(plan, child, episode, assessor, director))
                    summary.overrides += episode.override is not None
            _bulk(rows, Placement)
        summary.children += len(plans)
        summary.placements += len(rows)
        say(f"children: {start + len(plans):,} / {len(todo):,}")
    return summary


def _placement_row(
    plan: _ChildPlan, child: Child, episode: _Episode, assessor: User, director: User
) -> Placement:
    place = episode.place
    row = Placement(
        child_id=child.pk,
        setting_id=place.pk,
        decom=episode.decom,
        rne=episode.rne,
        ls=episode.ls,
        cin=episode.cin,
        place=episode.code,
        place_provider=place.place_provider,
        dec=episode.dec,
        rec=episode.rec,
        reason_place_change=episode.reason,
        home_post=plan.home_post,
        pl_post=episode.pl_post,
        urn=place.urn,
        permanent=episode.code in codes.PERMANENT_PLACE_CODES,
        connected_person_temporary=episode.connected_temporary,
    )
    if episode.override is not None:
        row.guard_override_by = assessor
        row.guard_override_reason = OVERRIDE_REASONS[episode.override].format(
            first=child.first_name
        )
        row.guard_override_at = _at(episode.decom - timedelta(days=1), 16)
    if place.unregistered:
        row.director_authorised_by = director
        row.director_authorised_at = _at(episode.decom - timedelta(days=1), 17)
    return row
