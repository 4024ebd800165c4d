"""The demo children and their SSDA903 placement episodes, drawn against the pool of
settings and its vacancies (_Caseload).

Each child is drawn from its own random stream, of (seed, child number). The placement
guard's rules are applied here: every episode is one the guard would have allowed on
its start date, with the assistant director's override or the Director's authorisation
recorded wherever the guard asks for one.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from accounts.models import User
from placements import codes
from placements.models import Child, Rating, age_on

from .common import (
    CHILD_ID_PREFIX,
    DEMO_TYPES,
    FOSTERING,
    HOME,
    IFA,
    IN_HOUSE,
    RESIDENTIAL,
    RI,
    SCHOOL,
    SECURE,
    SUPPORTED,
    UNREGISTERED,
    _birthday,
    _pick,
    _years_before,
)
from .estate import _Place
from .people import (
    AGE_WEIGHTS,
    BOYS,
    ETHNICITY,
    ETHNICITY_UASC,
    GIRLS,
    NAME_GROUPS,
    SURNAMES,
    UPN_LA_CODES,
    upn,
)
from .places import _kent_towns, _postcode

FIRST_LS = {
    "baby": [("C1", 45), ("V2", 28), ("L2", 12), ("L1", 10), ("C2", 5)],
    "child": [("C1", 40), ("V2", 35), ("C2", 10), ("L1", 10), ("L2", 5)],
    "teen": [("V2", 44), ("C1", 34), ("C2", 8), ("L1", 7), ("J1", 5), ("L2", 2)],
    "older": [("V2", 62), ("C1", 16), ("J1", 10), ("L1", 6), ("C2", 6)],
}
CIN_WEIGHTS = [
    ("N1", 64),
    ("N5", 12),
    ("N4", 8),
    ("N8", 6),
    ("N2", 4),
    ("N3", 3),
    ("N6", 2),
    ("N7", 1),
]
EPISODES = {1: 40, 2: 30, 3: 20, 4: 10}
RNE_LATER = {"B": 52, "U": 10, "L": 16, "P": 12, "T": 10}
CHANGES_LS = frozenset({"L", "T", "U"})
SAME_CARER = frozenset({"L", "P", "T"})
# Same carers, a new kind of placement: short-term to long-term and the like.
SAME_CARER_PLACE = {"U6": "U4", "U3": "U1", "U5": "U6", "U2": "U3"}
REASON_NEW_CARER = {
    "CARPL": 34,
    "CREQB": 15,
    "CREQO": 10,
    "CHILD": 8,
    "LAREQ": 8,
    "STAND": 4,
    "ALLEG": 3,
    "CLOSE": 2,
    "APPRR": 2,
    "OTHER": 8,
}
REASON_SAME_CARER = {"PLACE": 70, "CARPL": 30}
OVERRIDE_SHARE = 0.04  # of residential placements, where a below-Good one is on offer
OVERRIDE_REASONS = [
    "No Good or Outstanding setting with a vacancy could meet {first}'s needs near school "
    "and family. Read the action plan from the last inspection and spoke to the registered "
    "manager; the social worker will visit fortnightly until the setting is re-inspected.",
    "Emergency placement: the only matched vacancy for {first} on the day. Commissioning "
    "to look for a Good-rated alternative within 28 days; IRO informed.",
    "{first} asked to stay near friends and college and this was the only vacancy in reach. "
    "The shortfalls Ofsted found are in recording and staff training, not safeguarding; "
    "monthly review by the service manager.",
]


def place_code(rng: random.Random, provision_type: str, day: date, age: int) -> str:
    """The 903 PLACE code for a new placement in this kind of setting, in DECOM's year."""
    year = codes.collection_year(day)
    if provision_type == IN_HOUSE:  # connected carers (U1–U3) are approved by the authority
        table = {"U6": 40, "U4": 25, "U3": 14, "U1": 10}
        if age < 2:  # fostering for adoption
            table.update({"U5": 12, "U2": 4})
        return _pick(rng, table)
    if provision_type == IFA:
        return _pick(rng, {"U6": 60, "U4": 35, **({"U5": 10} if age < 2 else {})})
    if provision_type == HOME:
        return "K2"
    if provision_type == SECURE:
        return "K1"
    if provision_type == SCHOOL:
        return "S1"
    if provision_type == SUPPORTED:  # K3 from the 2025-26 list; H5 before
        return "K3" if year >= 2025 else "H5"
    return "Z11" if year >= 2025 else "Z1"  # unregistered: Z1 split into Z11–Z14 in 2025-26


def restated_place_code(previous: str, provision_type: str, day: date) -> str:
    """The same placement's code, restated for a new episode's collection year."""
    if provision_type in (SUPPORTED, UNREGISTERED):
        return place_code(random.Random(0), provision_type, day, 16)
    return previous


def _ls_after(ls: str, age: int, rng: random.Random) -> str | None:
    """A plausible next legal status, or None when this one does not change."""
    options = {
        "L1": [("C1", 5), ("V2", 4), ("L2", 1)],
        "L2": [("C1", 7), ("V2", 3)],
        "V2": [("C1", 6), ("C2", 3)],
        "C1": [("C2", 9)] + ([("E1", 2)] if age < 6 else []),
        "C2": [("E1", 1)] if age < 6 else [],
        "J1": [("V2", 5), ("J3", 2), ("C1", 1)],
        "J3": [("V2", 1)],
    }.get(ls, [])
    return _pick(rng, options) if options else None


def _type_weights(age: int, ls: str, kind: str) -> dict[str, int]:
    if kind == "short_breaks":
        return {IN_HOUSE: 30, HOME: 40, SCHOOL: 30}
    if age < 5:
        weights = {IN_HOUSE: 60, IFA: 40}
    elif age < 10:
        weights = {IN_HOUSE: 55, IFA: 33, HOME: 10, SCHOOL: 2}
    elif age < 16:
        weights = {IN_HOUSE: 40, IFA: 30, HOME: 24, SCHOOL: 4, SECURE: 1}
    else:
        weights = {
            IN_HOUSE: 20,
            IFA: 17,
            HOME: 22,
            SCHOOL: 2,
            SECURE: 1,
            SUPPORTED: 34,
            UNREGISTERED: 4,
        }
    if ls == "J1" and age >= 12:
        weights[SECURE] = 30
    if kind == "uasc":
        extra = SUPPORTED if age >= 16 else IFA
        weights[extra] = weights.get(extra, 0) + 40
    return weights


def _rec_for(rng: random.Random, age: int, ls: str, place: str) -> str:
    """Why a period of care ended (an E code), by age, legal status and placement."""
    if ls == "J1" and rng.random() < 0.7:
        return "E14"
    if ls == "V3":
        return "E4A"
    related = place in ("U1", "U2", "U3")
    fostered = place.startswith("U")
    table: dict[str, int] = {"E4A": 30, "E4B": 6, "E13": 10, "E3": 5, "E8": 6, "E41": 4}
    if ls == "E1" or place in ("U2", "U5"):
        table.update({"E11": 45, "E12": 15})
    if age < 16 and fostered:
        table["E45" if related else "E46"] = 20
    table["E47"], table["E48"] = 6, 2
    if age >= 12:
        table["E9"] = 2
    if age >= 16:
        table.update({"E5": 14, "E6": 8})
    if age >= 10:
        table["E16"] = 1
    return _pick(rng, table)


@dataclass
class _Episode:
    place: _Place
    decom: date
    rne: str
    ls: str
    cin: str
    code: str
    pl_post: str
    dec: date | None = None
    rec: str = ""
    reason: str = ""
    override: int | None = None  # which OVERRIDE_REASONS, when the AD overrode the guard
    connected_temporary: bool = False


@dataclass
class _ChildPlan:
    index: int
    child: Child
    home_post: str
    episodes: list[_Episode]


class _Caseload:
    """Draws children one by one against the settings pool and its vacancies."""

    def __init__(
        self,
        *,
        seed: int,
        pool: list[_Place],
        staff: dict[str, User],
        eligibility: dict[str, tuple[int, int | None]],
        occupancy: Counter,
        today: date,
    ):
        self.seed = seed
        self.today = today
        self.staff = staff
        self.eligibility = eligibility
        self.occupancy = occupancy
        self.kent = _kent_towns()
        self.by_type: dict[str, tuple[list[_Place], list[float]]] = {}
        for kind in DEMO_TYPES:
            places = [p for p in pool if p.provision_type == kind]
            weights, total = [], 0.0
            for p in places:
                total += 3.0 if p.in_area else 1.0
                weights.append(total)
            self.by_type[kind] = (places, weights)
        self.workers = {
            "north": [staff[f"sw.north{n}"] for n in (1, 2, 3)],
            "south": [staff[f"sw.south{n}"] for n in (1, 2, 3)],
        }
        self.advisers = [staff["pa.leavers1"], staff["pa.leavers2"]]
        self.iros = [staff[f"iro{n}"] for n in (1, 2, 3)]

    # -- the guard, as the service applies it

    def type_admits(self, kind: str, age: int) -> bool:
        # Never an under-16 in unregistered or supported accommodation, whatever the table says.
        if age < 16 and kind in (UNREGISTERED, SUPPORTED):
            return False
        limits = self.eligibility.get(kind)
        if limits is None:
            return True
        low, high = limits
        return age >= low and (high is None or age <= high)

    def admits(self, place: _Place, age: int) -> bool:
        if age < 16 and place.unregistered:
            return False
        return self.type_admits(place.provision_type, age)

    def verdict(self, place: _Place, day: date, age: int, stays: bool) -> str | None:
        """What the guard says on `day`: "ok", "override" (below Good, so an assistant
        director must agree) or None (refused, not yet inspected, or no vacancy for a child
        who stays)."""
        if not self.admits(place, age):
            return None
        if place.registered_from and day < place.registered_from:
            return None
        if place.suspended_from and day >= place.suspended_from:
            return None
        if stays and place.places is not None and self.occupancy[place.pk] >= place.places:
            return None
        rating = place.rating_on(day)
        if rating == Rating.NOT_YET_INSPECTED and not place.unregistered:
            # Not yet inspected is not Good (seed 002): the demo places elsewhere rather
            # than have a service manager authorise it.
            return None
        return "override" if Rating.below_good(rating) else "ok"

    def choose(
        self,
        rng: random.Random,
        kind: str,
        day: date,
        age: int,
        stays: bool,
        avoid: _Place | None,
        allow_override: bool,
    ) -> tuple[_Place, int | None] | None:
        places, weights = self.by_type[kind]
        if not places:
            return None
        if allow_override and kind in RESIDENTIAL and rng.random() < OVERRIDE_SHARE:
            below = [
                p
                for p in places
                if p is not avoid
                and self.verdict(p, day, age, stays) == "override"
                and p.rating_on(day) == RI
            ]
            if below:
                return rng.choice(below), rng.randrange(len(OVERRIDE_REASONS))
        for _ in range(25):
            place = rng.choices(places, cum_weights=weights)[0]
            if place is not avoid and self.verdict(place, day, age, stays) == "ok":
                return place, None
        fits = [p for p in places if p is not avoid and self.verdict(p, day, age, stays) == "ok"]
        return (rng.choice(fits), None) if fits else None

    def place_somewhere(
        self,
        rng: random.Random,
        day: date,
        age: int,
        ls: str,
        kind: str,
        stays: bool,
        avoid: _Place | None = None,
    ) -> tuple[_Place, int | None]:
        weights = {
            t: w for t, w in _type_weights(age, ls, kind).items() if self.type_admits(t, age)
        }
        while weights:
            chosen_type = _pick(rng, weights)
            found = self.choose(rng, chosen_type, day, age, stays, avoid, allow_override=True)
            if found:
                return found
            del weights[chosen_type]
        # Nothing of the preferred kinds: anything the guard allows, ignoring vacancies.
        for stays_now in (stays, False):
            for fallback in (IN_HOUSE, IFA, HOME, SUPPORTED, SCHOOL, SECURE):
                found = self.choose(rng, fallback, day, age, stays_now, avoid, False)
                if found:
                    return found
        raise RuntimeError(
            f"No demo setting takes a child aged {age} on {day:%d/%m/%Y}: check the "
            "provision eligibility ages."
        )

    def carer_postcode(self, rng: random.Random, place: _Place) -> str:
        if place.provision_type in FOSTERING:
            if place.provision_type == IN_HOUSE or rng.random() < 0.75:
                return _postcode(rng, rng.choice(self.kent).outwards)
            return _postcode(rng, place.outwards)
        return place.postcode

    # -- a child

    def child(self, index: int) -> _ChildPlan:
        rng = random.Random(self.seed * 1_000_003 + index)
        today = self.today
        roll = rng.random()
        kind = "uasc" if roll < 0.08 else "short_breaks" if roll < 0.095 else "local"
        if kind == "uasc":
            age = _pick(rng, {15: 2, 16: 4, 17: 4})
        elif kind == "short_breaks":
            age = rng.randint(5, 17)
        else:
            age = rng.choices(range(18), weights=AGE_WEIGHTS)[0]
        youngest = _years_before(today, age)
        oldest = _years_before(today, age + 1) + timedelta(days=1)
        low = max((today - youngest).days, 3)
        dob = today - timedelta(days=rng.randint(low, max((today - oldest).days, low)))
        age = age_on(dob, today)
        in_care = rng.random() < 0.85

        if kind == "uasc":
            sex = "1" if rng.random() < 0.93 else "2"
            ethnicity = _pick(rng, ETHNICITY_UASC)
            cin = "N8"
        else:
            sex = "1" if rng.random() < 0.55 else "2"
            ethnicity = _pick(rng, ETHNICITY)
            cin = "N2" if kind == "short_breaks" else _pick(rng, CIN_WEIGHTS)
        first_groups, last_groups = NAME_GROUPS[ethnicity]
        if kind == "uasc" and ethnicity == "WOTH":
            first_groups, last_groups = ["other"], ["other"]
        names = BOYS if sex == "1" else GIRLS
        first_name = rng.choice(names[rng.choice(first_groups)])
        last_name = rng.choice(SURNAMES[rng.choice(last_groups)])

        home_town = rng.choice(self.kent)
        home_post = "" if kind == "uasc" else _postcode(rng, home_town.outwards)
        episodes = self.episodes(rng, dob, in_care, kind, cin)

        if age >= 16:
            worker = rng.choice(self.advisers)
        else:
            area = home_town.area if kind != "uasc" else rng.choice(["north", "south"])
            worker = rng.choice(self.workers[area])
        upn_value = ""
        if age >= 4 and not (kind == "uasc" and rng.random() < 0.5) and rng.random() < 0.96:
            school_year = _birthday(dob, 4).year % 100
            upn_value = upn(
                _pick(rng, UPN_LA_CODES),
                f"{rng.randint(2000, 4999)}",
                f"{school_year:02d}",
                f"{rng.randint(1, 999):03d}",
            )
        mother, mother_dob = "", None
        if sex == "2" and age >= 15 and kind == "local" and rng.random() < 0.03:
            earliest = max(_birthday(dob, 14), today - timedelta(days=700))
            mother = "1"
            mother_dob = earliest + timedelta(days=rng.randint(0, (today - earliest).days - 1))
        child = Child(
            child_id=f"{CHILD_ID_PREFIX}{index:06d}",
            first_name=first_name,
            last_name=last_name,
            date_of_birth=dob,
            sex=sex,
            ethnicity=ethnicity,
            upn=upn_value,
            mother=mother,
            mother_child_dob=mother_dob,
            team=worker.team,
            social_worker=worker,
            iro=rng.choice(self.iros),
            restricted=rng.random() < 0.01,
        )
        return _ChildPlan(index=index, child=child, home_post=home_post, episodes=episodes)

    def span(
        self, rng: random.Random, dob: date, in_care: bool, kind: str
    ) -> tuple[date, date | None]:
        """(start of care, end of care or None while still looked after)."""
        today = self.today
        earliest = dob
        if kind == "uasc":
            earliest = max(_birthday(dob, 14), today - timedelta(days=3 * 365))
        available = (today - earliest).days  # at least 1
        if kind == "short_breaks":
            if in_care:
                return today - timedelta(days=rng.randint(1, min(6, available))), None
            end = today - timedelta(days=rng.randint(7, min(400, available)))
            return end - timedelta(days=rng.randint(1, 6)), end
        bands = (
            [((1, 180), 25), ((180, 730), 32), ((730, 2190), 28), ((2190, 4380), 15)]
            if in_care
            else [((3, 180), 40), ((180, 730), 35), ((730, 1825), 25)]
        )
        low, high = _pick(rng, bands)
        length = rng.randint(low, high)
        if in_care:
            length = max(1, min(length, available))
            return today - timedelta(days=length), None
        end_offset = min(rng.randint(7, 1100), available - 2)
        end = today - timedelta(days=max(end_offset, 1))
        length = max(1, min(length, (end - earliest).days))
        return end - timedelta(days=length), end

    def cut(self, rng: random.Random, start: date, end: date, wanted: int) -> list[date]:
        """Start dates of `wanted` episodes (fewer if the time in care is short)."""
        days = (end - start).days
        for count in range(wanted, 1, -1):
            gap = 14 if days >= 14 * count else 1
            if days <= gap * count:
                continue
            for _ in range(8):
                offsets = sorted(rng.sample(range(1, days), count - 1))
                steps = [b - a for a, b in zip([0, *offsets], [*offsets, days], strict=True)]
                if min(steps) >= gap:
                    return [start] + [start + timedelta(days=o) for o in offsets]
        return [start]

    def episodes(
        self, rng: random.Random, dob: date, in_care: bool, kind: str, cin: str
    ) -> list[_Episode]:
        start, end = self.span(rng, dob, in_care, kind)
        wanted = 1 if kind == "short_breaks" else _pick(rng, EPISODES)
        if kind == "uasc":
            wanted = min(wanted, 3)
        starts = self.cut(rng, start, end or self.today, wanted)
        episodes: list[_Episode] = []
        for n, day in enumerate(starts):
            age = age_on(dob, day)
            last = n == len(starts) - 1
            stays = last and in_care  # an open episode takes a vacancy
            if n == 0:
                band = (
                    "baby" if age < 1 else "child" if age < 10 else "teen" if age < 16 else "older"
                )
                ls = {"uasc": "V2", "short_breaks": "V3"}.get(kind) or _pick(rng, FIRST_LS[band])
                if ls == "J1" and cin not in ("N6", "N8") and rng.random() < 0.6:
                    cin = "N6"
                place, override = self.place_somewhere(rng, day, age, ls, kind, stays)
                code = place_code(rng, place.provision_type, day, age)
                episodes.append(
                    _Episode(
                        place=place,
                        decom=day,
                        rne="S",
                        ls=ls,
                        cin=cin,
                        code=code,
                        pl_post=self.carer_postcode(rng, place),
                        override=override,
                    )
                )
            else:
                episodes.append(self.next_episode(rng, episodes[-1], day, age, kind, stays))
        for before, after in zip(episodes, episodes[1:], strict=False):
            before.dec, before.rec = after.decom, "X1"
            if after.rne == "L":
                before.reason = ""
            elif after.rne == "P" or (after.rne == "T" and before.place is after.place):
                before.reason = _pick(rng, REASON_SAME_CARER)
            else:
                before.reason = _pick(rng, REASON_NEW_CARER)
        final = episodes[-1]
        if end is not None:
            final.dec = end
            final.rec = _rec_for(rng, age_on(dob, end), final.ls, final.code)
        elif (
            final.code == "U3"
            and (self.today - final.decom).days <= 112
            and final.place.provision_type == IN_HOUSE
            and rng.random() < 0.5
        ):
            final.connected_temporary = True
        if in_care:
            self.occupancy[final.place.pk] += 1
        return episodes

    def next_episode(
        self, rng: random.Random, previous: _Episode, day: date, age: int, kind: str, stays: bool
    ) -> _Episode:
        rne = _pick(rng, RNE_LATER)
        ls = previous.ls
        if rne in CHANGES_LS:
            ls = _ls_after(previous.ls, age, rng) or ""
            if not ls:
                rne, ls = {"L": "P", "T": "P", "U": "B"}[rne], previous.ls
        same_code = SAME_CARER_PLACE.get(previous.code)
        if rne in ("P", "T") and same_code is None:
            rne = "B" if rne == "P" else "L"
        if rne in SAME_CARER:
            place = previous.place
            if self.verdict(place, day, age, stays) == "ok":
                code = (
                    restated_place_code(previous.code, place.provision_type, day)
                    if rne == "L"
                    else same_code or previous.code
                )
                return _Episode(
                    place=place,
                    decom=day,
                    rne=rne,
                    ls=ls,
                    cin=previous.cin,
                    code=code,
                    pl_post=previous.pl_post,
                )
            # The home is no longer one the guard allows (rating, vacancy): a move.
            rne = "U" if ls != previous.ls else "B"
        avoid = None if previous.place.provision_type in FOSTERING else previous.place
        place, override = self.place_somewhere(rng, day, age, ls, kind, stays, avoid=avoid)
        return _Episode(
            place=place,
            decom=day,
            rne=rne,
            ls=ls,
            cin=previous.cin,
            code=place_code(rng, place.provision_type, day, age),
            pl_post=self.carer_postcode(rng, place),
            override=override,
        )
