"""The demo estate: providers and settings with their Ofsted inspection histories, and
the pool of settings the children are placed in.

Settings (about N/8 for N children, at least 25) are planned one by one by
_EstatePlanner, each from its own random stream, so that a larger estate begins with
the smaller one; they and their providers are keyed by name, so a second run finds them
instead of adding more. Once written, the settings are read back as the pool (_Place,
_load_pool) that the caseload places children in, with each one's rating on any day.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from placements.models import Inspection, Provider, Rating, Setting

from .common import (
    DEMO_TYPES,
    FOSTERING,
    GOOD,
    HOME,
    IFA,
    IN_HOUSE,
    INADEQUATE,
    NOT_YET,
    OUTSTANDING,
    RI,
    SCHOOL,
    SECURE,
    SUPPORTED,
    UNREGISTERED,
    _pick,
    _words,
    _years_before,
)
from .places import (
    KENT_TOWNS,
    OUT_OF_AREA_TOWNS,
    STREETS,
    _authority,
    _council,
    _kent_towns,
    _out_of_area_towns,
    _postcode,
    _Town,
)

NAME_STEMS = _words(
    "Oak Ash Beech Birch Willow Hazel Rowan Elm Maple Holly Cedar Larch Alder Juniper Laurel "
    "Hawthorn Chestnut Linden Bluebell Primrose Foxglove Heather Meadow Orchard Brook Harbour "
    "Beacon Haven Kingfisher Swallow Wren Robin Skylark Heron Kestrel Hillside Seaview Downs "
    "Weald Stour Darent Medway"
)
NAME_MIDDLES = ["", "field", "wood", "dene", "down", "brook", "leigh", "hurst", "mead", "ley"]
HOME_SUFFIXES = ["House", "Lodge", "Cottage", "View", "Court", "Grange", "Place", "Barn", "Farm"]
SCHOOL_SUFFIXES = ["School", "College", "Hall School"]
SECURE_SUFFIXES = ["Secure Children's Home", "Secure Centre", "Lodge Secure Unit"]
SUPPORTED_SUFFIXES = ["Youth Housing", "Pathways", "Foyer", "Supported Lodgings", "Court"]
IFA_SUFFIXES = ["Fostering", "Foster Care", "Family Placements", "Fostering Partnership"]
PROVIDER_WORDS = _words(
    "Bridgeway Fernleigh Northgate Brightpath Clearwater Silverbirch Stonebridge Tidewater "
    "Greenacre Harbourside Kingsmead Meridian Oakhurst Redwood Summit Thistle Westbrook "
    "Amberley Bramble Coastline Evenlode Fairhaven Goldcrest Highfield Lakeside Millstone "
    "Newbridge Pinewood Quayside Springwell Upland Whitecliff Yewtree"
)
PRIVATE_SUFFIXES = [
    "Care Ltd",
    "Children's Services Ltd",
    "Homes Ltd",
    "Care Group Ltd",
    "Healthcare Ltd",
    "Residential Care Ltd",
]
VOLUNTARY_SUFFIXES = ["Trust", "Children's Charity", "Foundation", "Family Trust"]
PROVIDER_QUALIFIERS = ["(South East)", "(Kent)", "(UK)", "(Holdings)", "(Midlands)"]

# The first settings' types, so that even the smallest estate has one of each.
OPENING_TYPES = [
    HOME,
    IFA,
    HOME,
    SUPPORTED,
    HOME,
    IFA,
    HOME,
    SECURE,
    HOME,
    UNREGISTERED,
    HOME,
    SCHOOL,
    IFA,
    HOME,
    SUPPORTED,
    HOME,
    HOME,
    UNREGISTERED,
    HOME,
    IFA,
    HOME,
    HOME,
    SCHOOL,
    HOME,
]
LATER_TYPES = {HOME: 60, IFA: 11, SCHOOL: 5, SECURE: 1, SUPPORTED: 9, UNREGISTERED: 4}
SECTORS = {
    IFA: {"private": 75, "voluntary": 25},
    HOME: {"private": 80, "voluntary": 8, "local_authority": 12},
    SCHOOL: {"private": 55, "voluntary": 45},
    SECURE: {"local_authority": 85, "voluntary": 15},
    SUPPORTED: {"private": 60, "voluntary": 40},
    UNREGISTERED: {"private": 100},
}
IN_AREA_SHARE = {IFA: 0.7, HOME: 0.6, SCHOOL: 0.5, SECURE: 0.0, SUPPORTED: 0.75, UNREGISTERED: 0.6}
CURRENT_RATING = {OUTSTANDING: 15, GOOD: 65, RI: 15, INADEQUATE: 5}
# The judgement before, given the one after: enough downgrades to be interesting.
PREVIOUS_RATING = {
    OUTSTANDING: {OUTSTANDING: 55, GOOD: 40, RI: 5},
    GOOD: {GOOD: 60, OUTSTANDING: 12, RI: 22, INADEQUATE: 6},
    RI: {GOOD: 55, RI: 25, OUTSTANDING: 5, INADEQUATE: 15},
    INADEQUATE: {GOOD: 50, RI: 40, OUTSTANDING: 10},
}
CHILDREN_HOME_PLACES = {1: 8, 2: 18, 3: 22, 4: 25, 5: 12, 6: 10, 8: 5}


@dataclass
class _ProviderSpec:
    name: str
    sector: str
    settings: int = 0


@dataclass
class _SettingSpec:
    name: str
    provision_type: str
    provider: str
    town: _Town
    postcode: str
    address: str
    urn: str | None
    registration_date: date | None
    places: int | None
    # (inspection date, judgement, previous judgement), oldest first
    inspections: list[tuple[date, str, str]] = field(default_factory=list)
    referrals_suspended: bool = False


class _EstatePlanner:
    """Draws setting k the same way whatever the target size, so estates grow by prefix.

    Each setting has its own random stream, and its name is drawn before anything that
    depends on today's date, so a run on another day finds the same settings by name.
    """

    def __init__(self, seed: int, today: date, taken_urns: dict[str, str]):
        self.seed = seed
        self.rng = random.Random(seed)
        self.today = today
        self.taken_urns = taken_urns  # URN -> name of the setting holding it in the database
        self.names: set[str] = set()
        self.urns: set[str] = set()
        self.providers: dict[str, _ProviderSpec] = {}
        self.by_sector: dict[str, list[_ProviderSpec]] = {"private": [], "voluntary": []}
        self.kent = _kent_towns()
        self.away, self.away_weights = _out_of_area_towns()

    def plan(self, count: int) -> list[_SettingSpec]:
        self.rng = random.Random(self.seed)
        specs = [self._in_house()]
        for k in range(1, count):
            self.rng = random.Random(self.seed + k)
            kind = (
                OPENING_TYPES[k - 1] if k - 1 < len(OPENING_TYPES) else _pick(self.rng, LATER_TYPES)
            )
            specs.append(self._setting(kind))
        return specs

    # -- pieces

    def _town(self, kind: str) -> _Town:
        if self.rng.random() < IN_AREA_SHARE[kind] or not self.away:
            return self.rng.choice(self.kent)
        return self.rng.choices(self.away, weights=self.away_weights)[0]

    def _unique_name(self, make: Callable[[], str], qualifier: str) -> str:
        for _ in range(30):
            name = make()
            if name not in self.names:
                break
        else:
            base, n = f"{make()} ({qualifier})", 2
            name = base
            while name in self.names:
                name, n = f"{base} {n}", n + 1
        self.names.add(name)
        return name

    def _stem(self) -> str:
        return self.rng.choice(NAME_STEMS) + self.rng.choice(NAME_MIDDLES)

    def _urn(self, kind: str, name: str, registered: date | None) -> str:
        while True:
            if kind in FOSTERING:  # long-registered agencies: SC0xxxxx
                urn = f"SC0{self.rng.randint(10000, 99999)}"
            else:  # later registrations, roughly in date order
                year = registered.year if registered else 2015
                low = min(max(60000 + (year - 2000) * 25000, 100000), 900000)
                urn = f"SC{self.rng.randint(low, low + 99999)}"
            holder = self.taken_urns.get(urn)
            if urn not in self.urns and (holder is None or holder == name):
                self.urns.add(urn)
                return urn

    def _provider(self, sector: str, town: _Town) -> str:
        rng = self.rng
        if sector == "local_authority":
            name = _council(town.local_authority)
            self.providers.setdefault(name, _ProviderSpec(name, sector))
            self.providers[name].settings += 1
            return name
        pool = self.by_sector[sector]
        used = sum(p.settings for p in pool)
        alpha = 12 if sector == "private" else 5
        if pool and rng.random() >= alpha / (alpha + used):
            chosen = rng.choices(pool, weights=[p.settings for p in pool])[0]
        else:
            suffixes = PRIVATE_SUFFIXES if sector == "private" else VOLUNTARY_SUFFIXES
            for _ in range(30):
                name = f"{rng.choice(PROVIDER_WORDS)} {rng.choice(suffixes)}"
                if name not in self.providers:
                    break
            else:
                base = name
                for qualifier in PROVIDER_QUALIFIERS + [str(n) for n in range(2, 10_000)]:
                    name = f"{base} {qualifier}"
                    if name not in self.providers:
                        break
            chosen = _ProviderSpec(name, sector)
            self.providers[name] = chosen
            pool.append(chosen)
        chosen.settings += 1
        return chosen.name

    def _in_house(self) -> _SettingSpec:
        authority = _authority()
        council = _council(authority)
        self.providers[council] = _ProviderSpec(council, "local_authority", 1)
        name = f"{council} Fostering Service"
        self.names.add(name)
        registered = date(2002, 4, 1) + timedelta(days=self.rng.randint(0, 400))
        town = _Town("Maidstone", authority, "South East", ["ME14"], "north")
        spec = _SettingSpec(
            name=name,
            provision_type=IN_HOUSE,
            provider=council,
            town=town,
            postcode="ME14 1XQ",
            address="Sessions House, County Road",
            urn=self._urn(IN_HOUSE, name, registered),
            registration_date=registered,
            places=None,
        )
        # The authority's own service: Good, never below (its children are placed there).
        spec.inspections = self._history(IN_HOUSE, registered, current=GOOD, floor_good=True)
        return spec

    def _setting(self, kind: str) -> _SettingSpec:
        rng = self.rng
        town = self._town(kind)
        provider = self._provider(_pick(rng, SECTORS[kind]), town)
        stem_name = {
            HOME: lambda: f"{self._stem().title()} {rng.choice(HOME_SUFFIXES)}",
            SCHOOL: lambda: f"{self._stem().title()} {rng.choice(SCHOOL_SUFFIXES)}",
            SECURE: lambda: f"{self._stem().title()} {rng.choice(SECURE_SUFFIXES)}",
            SUPPORTED: lambda: f"{self._stem().title()} {rng.choice(SUPPORTED_SUFFIXES)}",
            IFA: lambda: f"{self._stem().title()} {rng.choice(IFA_SUFFIXES)}",
            UNREGISTERED: lambda: (
                f"Flat {rng.randint(1, 9)}, {rng.randint(2, 180)} {rng.choice(STREETS)}, "
                f"{town.name}"
            ),
        }[kind]
        name = self._unique_name(stem_name, town.name)
        postcode = _postcode(rng, town.outwards)
        address = f"{rng.randint(1, 220)} {rng.choice(STREETS)}"
        if kind == UNREGISTERED:
            return _SettingSpec(
                name=name,
                provision_type=kind,
                provider=provider,
                town=town,
                postcode=postcode,
                address=name.split(", ")[1] if ", " in name else address,
                urn=None,
                registration_date=None,
                places=rng.choice([1, 1, 1, 2]),
            )
        registered = self._registration_date(kind)
        places = {
            HOME: lambda: _pick(rng, CHILDREN_HOME_PLACES),
            SECURE: lambda: rng.randrange(6, 26, 2),
            SCHOOL: lambda: rng.randrange(12, 61, 4),
            SUPPORTED: lambda: rng.randint(4, 30),
            IFA: lambda: None,
        }[kind]()
        spec = _SettingSpec(
            name=name,
            provision_type=kind,
            provider=provider,
            town=town,
            postcode=postcode,
            address=address,
            urn=self._urn(kind, name, registered),
            registration_date=registered,
            places=places,
        )
        current = _pick(rng, CURRENT_RATING)
        spec.inspections = self._history(kind, registered, current=current)
        if spec.inspections and current == INADEQUATE and rng.random() < 0.6:
            spec.referrals_suspended = True
        return spec

    def _registration_date(self, kind: str) -> date:
        rng, today = self.rng, self.today
        if kind == SUPPORTED:
            # Registration opened in October 2023; existing providers had until 28 April 2024.
            if rng.random() < 0.8 and today > date(2024, 5, 1):
                return date(2023, 10, 1) + timedelta(days=rng.randint(0, 210))
            start = date(2023, 10, 1)
        elif kind in (SECURE, SCHOOL):
            start = date(1995, 1, 1)
        elif kind == IFA:
            start = date(2003, 1, 1)
        else:
            # Children's homes: mostly registered in the last ten years.
            start = _years_before(today, 10) if rng.random() < 0.7 else date(1998, 1, 1)
        span = max((today - start).days - 30, 1)
        return start + timedelta(days=rng.randint(0, span))

    def _history(
        self, kind: str, registered: date, *, current: str, floor_good: bool = False
    ) -> list[tuple[date, str, str]]:
        """1–3 full inspections ending at the current judgement; none if not yet inspected."""
        rng, today = self.rng, self.today
        fostering = kind in FOSTERING
        gap = (900, 1200) if fostering else (300, 420)
        first_after = 120 if not fostering else 240
        if kind == SUPPORTED:
            # Inspections of supported accommodation began in April 2025.
            earliest = max(date(2025, 4, 1), registered + timedelta(days=first_after))
            if earliest >= today - timedelta(days=20) or rng.random() < 0.5:
                return []
            latest = earliest + timedelta(days=rng.randint(0, (today - earliest).days - 20))
            wanted = 1
        else:
            latest = today - timedelta(days=rng.randint(20, 1000 if fostering else 330))
            wanted = _pick(rng, {1: 30, 2: 35, 3: 35})
        dates = [latest]
        while len(dates) < wanted:
            dates.append(dates[-1] - timedelta(days=rng.randint(*gap)))
        dates = [d for d in dates if d >= registered + timedelta(days=first_after)]
        if not dates:
            return []
        dates.reverse()
        judgements = [current]
        for _ in dates[1:]:
            before = _pick(rng, PREVIOUS_RATING[judgements[-1]])
            if floor_good and Rating.below_good(before):
                before = GOOD
            judgements.append(before)
        judgements.reverse()
        # Before the first recorded one: a first-ever inspection, or an older judgement.
        if (dates[0] - registered).days < (500 if not fostering else 1300):
            previous = NOT_YET
        else:
            previous = _pick(rng, PREVIOUS_RATING[judgements[0]])
            if floor_good and Rating.below_good(previous):
                previous = GOOD
        rows = []
        for day, judgement in zip(dates, judgements, strict=True):
            rows.append((day, judgement, previous))
            previous = judgement
        return rows


# -------------------------------------------------------------- the settings pool


@dataclass(eq=False)
class _Place:
    """A setting as the child generator sees it (from the database, after creation)."""

    pk: int
    name: str
    provision_type: str
    urn: str
    postcode: str
    outwards: list[str]
    in_area: bool
    registered_from: date | None
    places: int | None
    place_provider: str
    unregistered: bool
    timeline: list[tuple[date, str]]
    before_first: str
    suspended_from: date | None

    def rating_on(self, day: date) -> str:
        rating = self.before_first
        for when, judgement in self.timeline:
            if when > day:
                break
            rating = judgement
        return rating


def _place_provider(setting: Setting, council: str) -> str:
    sector = setting.provider.sector
    if sector == Provider.Sector.LOCAL_AUTHORITY:
        return "PR1" if setting.provider.name == council else "PR2"
    if sector == Provider.Sector.VOLUNTARY:
        return "PR5"
    if sector == Provider.Sector.HEALTH_AUTHORITY:
        return "PR3"
    return "PR4"


def _outwards_for(town: str) -> list[str]:
    for name, outwards, _area in KENT_TOWNS:
        if name == town:
            return outwards
    for name, _la, _region, outwards, _w in OUT_OF_AREA_TOWNS:
        if name == town:
            return outwards
    return []


def _load_pool(setting_ids: list[int]) -> list[_Place]:
    council = _council(_authority())
    timelines: dict[int, list[Inspection]] = {}
    for start in range(0, len(setting_ids), 500):
        for inspection in Inspection.objects.filter(
            setting_id__in=setting_ids[start : start + 500]
        ).order_by("inspection_date", "pk"):
            timelines.setdefault(inspection.setting_id, []).append(inspection)
    pool = []
    for start in range(0, len(setting_ids), 500):
        chunk = setting_ids[start : start + 500]
        for setting in Setting.objects.filter(pk__in=chunk).select_related("provider"):
            if setting.provision_type not in DEMO_TYPES:
                continue
            rows = timelines.get(setting.pk, [])
            if rows:
                before = rows[0].previous_judgement
                before = before if before in Rating.values else NOT_YET
            else:
                before = setting.current_rating
            pool.append(
                _Place(
                    pk=setting.pk,
                    name=setting.name,
                    provision_type=setting.provision_type,
                    urn=setting.urn or "",
                    postcode=setting.postcode,
                    outwards=_outwards_for(setting.town)
                    or [setting.postcode.split(" ")[0] or "ME14"],
                    in_area=setting.in_area(),
                    registered_from=None if setting.is_unregistered else setting.registration_date,
                    places=setting.places,
                    place_provider=_place_provider(setting, council),
                    unregistered=setting.is_unregistered,
                    timeline=[(r.inspection_date, r.overall_judgement) for r in rows],
                    before_first=before,
                    suspended_from=(setting.current_rating_date or date.min)
                    if setting.referrals_suspended
                    else None,
                )
            )
    order = {pk: n for n, pk in enumerate(setting_ids)}
    pool.sort(key=lambda p: order[p.pk])
    return pool
