"""A believable caseload for demonstrations: providers, settings with Ofsted histories,
and children with SSDA903 placement histories.

Everything is drawn from random.Random(seed): the same seed against the same database
gives the same records. Demo children are numbered D000001, D000002, …; asking for N
children tops the demo caseload up to N and leaves the ones already there alone.
Settings (about N/8, at least 25) and providers are keyed by name the same way, so a
second run finds them instead of adding more.

Rows are built in memory and bulk-inserted with one history row each (10,000 children
take seconds), not saved one at a time through the services. The placement guard's
rules are therefore applied here: every episode is one the guard would have allowed
on its start date, with the assistant director's override or the Director's
authorisation recorded wherever the guard asks for one.
"""

from __future__ import annotations

import random
import string
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings as django_settings
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
    ProvisionType,
    Rating,
    RegistrationStatus,
    Regulator,
    Setting,
    age_on,
)

CHANGE_REASON = "Demo data"
CHILD_ID_PREFIX = "D"
MIN_SETTINGS = 25
BATCH = 1000  # rows per INSERT
CHUNK = 2000  # children per transaction and per progress line

PT = ProvisionType
IN_HOUSE, IFA = PT.IN_HOUSE_FOSTERING.value, PT.IFA_FOSTERING.value
HOME, SECURE = PT.CHILDRENS_HOME.value, PT.SECURE_CHILDRENS_HOME.value
SCHOOL, SUPPORTED = PT.RESIDENTIAL_SPECIAL_SCHOOL.value, PT.SUPPORTED_ACCOMMODATION.value
UNREGISTERED = PT.UNREGISTERED.value
DEMO_TYPES = (IN_HOUSE, IFA, HOME, SECURE, SCHOOL, SUPPORTED, UNREGISTERED)
FOSTERING = frozenset({IN_HOUSE, IFA})
RESIDENTIAL = frozenset({HOME, SECURE, SCHOOL, SUPPORTED})

OUTSTANDING, GOOD = Rating.OUTSTANDING.value, Rating.GOOD.value
RI, INADEQUATE = Rating.REQUIRES_IMPROVEMENT.value, Rating.INADEQUATE.value
NOT_YET = Rating.NOT_YET_INSPECTED.value

Progress = Callable[[str], None]


def _pick(rng: random.Random, table):
    """One value from [(value, weight), …] or {value: weight}."""
    items = list(table.items()) if isinstance(table, dict) else table
    return rng.choices([v for v, _ in items], weights=[w for _, w in items])[0]


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _birthday(date_of_birth: date, years: int) -> date:
    """The day a child turns `years` (a 29 February birthday falls on 1 March, as age_on)."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + years)
    except ValueError:
        return date(date_of_birth.year + years, 3, 1)


# --------------------------------------------------------------------------- places

# Kent towns: (town, outward postcodes, children-in-care team area).
KENT_TOWNS = [
    ("Maidstone", ["ME14", "ME15", "ME16"], "north"),
    ("Dartford", ["DA1", "DA2"], "north"),
    ("Gravesend", ["DA11", "DA12"], "north"),
    ("Swanley", ["BR8"], "north"),
    ("Sevenoaks", ["TN13", "TN14"], "north"),
    ("Tonbridge", ["TN9", "TN10", "TN11"], "north"),
    ("Tunbridge Wells", ["TN1", "TN2", "TN4"], "north"),
    ("Sittingbourne", ["ME9", "ME10"], "north"),
    ("Sheerness", ["ME12"], "north"),
    ("Faversham", ["ME13"], "north"),
    ("Canterbury", ["CT1", "CT2"], "south"),
    ("Whitstable", ["CT5"], "south"),
    ("Herne Bay", ["CT6"], "south"),
    ("Margate", ["CT9"], "south"),
    ("Broadstairs", ["CT10"], "south"),
    ("Ramsgate", ["CT11", "CT12"], "south"),
    ("Deal", ["CT14"], "south"),
    ("Dover", ["CT16", "CT17"], "south"),
    ("Folkestone", ["CT19", "CT20"], "south"),
    ("Hythe", ["CT21"], "south"),
    ("Ashford", ["TN23", "TN24", "TN25"], "south"),
    ("Tenterden", ["TN30"], "south"),
]
# Out of area: (town, local authority, Ofsted region, outward postcodes, weight).
OUT_OF_AREA_TOWNS = [
    ("Chatham", "Medway", "South East", ["ME4", "ME5"], 4),
    ("Gillingham", "Medway", "South East", ["ME7", "ME8"], 3),
    ("Rochester", "Medway", "South East", ["ME1", "ME2"], 2),
    ("Chelmsford", "Essex", "East of England", ["CM1", "CM2"], 2),
    ("Colchester", "Essex", "East of England", ["CO1", "CO2", "CO4"], 2),
    ("Basildon", "Essex", "East of England", ["SS14", "SS15"], 2),
    ("Clacton-on-Sea", "Essex", "East of England", ["CO15"], 1),
    ("Hastings", "East Sussex", "South East", ["TN34", "TN35"], 3),
    ("Eastbourne", "East Sussex", "South East", ["BN21", "BN22"], 2),
    ("Bexhill-on-Sea", "East Sussex", "South East", ["TN39", "TN40"], 2),
    ("Croydon", "Croydon", "London", ["CR0"], 2),
    ("Thornton Heath", "Croydon", "London", ["CR7"], 1),
    ("Bexleyheath", "Bexley", "London", ["DA6", "DA7"], 2),
    ("Orpington", "Bromley", "London", ["BR5", "BR6"], 2),
    ("Redhill", "Surrey", "South East", ["RH1"], 1),
    ("Crawley", "West Sussex", "South East", ["RH10", "RH11"], 1),
    ("Worthing", "West Sussex", "South East", ["BN11", "BN12"], 1),
    ("Lincoln", "Lincolnshire", "East Midlands", ["LN1", "LN2"], 1),
    ("Skegness", "Lincolnshire", "East Midlands", ["PE25"], 1),
    ("Burnley", "Lancashire", "North West", ["BB11", "BB12"], 1),
]
COUNCILS = {
    "Kent": "Kent County Council",
    "Medway": "Medway Council",
    "Essex": "Essex County Council",
    "East Sussex": "East Sussex County Council",
    "Croydon": "London Borough of Croydon",
    "Bexley": "London Borough of Bexley",
    "Bromley": "London Borough of Bromley",
    "Surrey": "Surrey County Council",
    "West Sussex": "West Sussex County Council",
    "Lincolnshire": "Lincolnshire County Council",
    "Lancashire": "Lancashire County Council",
}
STREETS = [
    "Church Lane",
    "London Road",
    "Station Road",
    "High Street",
    "Mill Lane",
    "The Street",
    "Canterbury Road",
    "Park Avenue",
    "Victoria Road",
    "Queens Road",
    "School Lane",
    "Manor Road",
    "Sandgate Road",
    "Tonbridge Road",
    "Ashford Road",
    "Marine Parade",
    "Grove Road",
    "Orchard Way",
    "Chapel Street",
    "Castle Hill",
]
# Letters used in the inward part of a postcode.
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def _postcode(rng: random.Random, outwards: list[str]) -> str:
    return (
        f"{rng.choice(outwards)} {rng.randint(1, 9)}"
        f"{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"
    )


def _authority() -> str:
    return django_settings.AUTHORITY_NAME


def _council(local_authority: str) -> str:
    return COUNCILS.get(local_authority, f"{local_authority} County Council")


@dataclass(frozen=True)
class _Town:
    name: str
    local_authority: str
    region: str
    outwards: list[str]
    area: str = ""


def _kent_towns() -> list[_Town]:
    return [_Town(t, _authority(), "South East", o, area) for t, o, area in KENT_TOWNS]


def _out_of_area_towns() -> tuple[list[_Town], list[int]]:
    towns = [
        (_Town(t, la, region, o), w)
        for t, la, region, o, w in OUT_OF_AREA_TOWNS
        if la.lower() != _authority().lower()
    ]
    return [t for t, _ in towns], [w for _, w in towns]


# ------------------------------------------------------------------------ people


def _words(text: str) -> list[str]:
    return text.split()


BOYS = {
    "british": _words(
        "Oliver Harry George Jack Charlie Thomas Jacob Alfie Riley William James Joshua Noah "
        "Leo Oscar Archie Freddie Tyler Kai Callum Liam Mason Logan Ethan Lewis Kieran Connor "
        "Reece Jayden Ryan Bradley Ben Sam Max Toby Finley Theo Louie Ellis Harrison"
    ),
    "european": _words(
        "Jakub Kacper Szymon Filip Mateusz Lukas Matas Andrei Ionut Darius Mihai Nikola Luka "
        "Dawid Patryk Aleksander"
    ),
    "irish": _words("Patrick Sean Michael John Martin Francis Christy Johnny Paddy Declan"),
    "south_asian": _words(
        "Mohammed Muhammad Ayaan Zain Arjun Aarav Rohan Ibrahim Hamza Yusuf Ali Jaskaran Dev "
        "Rayan Imran Bilal Harjot"
    ),
    "african": _words(
        "Daniel David Emmanuel Samuel Joshua Michael Tobi Kwame Kofi Chidi Femi Tunde Abdi "
        "Mohamed Yonas Dawit Tesfay"
    ),
    "caribbean": _words(
        "Jamal Tyrese Kai Marcus Andre Jordan Isaiah Elijah Malachi Reuben Joel Nathaniel "
        "Leon Trey Kobe"
    ),
    "chinese": _words("Ethan Ryan Jason Wei Hao Jun Kevin Yi"),
    "other": _words(
        "Ahmad Mustafa Omid Reza Hamid Karim Samir Yousef Omar Khalid Hussein Amanuel "
        "Yohannes Saleh Adnan Bashir Arman Dilan Klajdi Ergi Minh Tuan"
    ),
}
GIRLS = {
    "british": _words(
        "Olivia Amelia Isla Ava Emily Poppy Ella Lily Mia Jessica Sophie Grace Evie Ruby "
        "Chloe Freya Daisy Millie Holly Megan Lacey Kayla Paige Leah Courtney Ellie Molly "
        "Scarlett Phoebe Isabelle Charlotte Hannah Keira Demi Jade Bethany Abigail Summer "
        "Harper"
    ),
    "european": _words(
        "Zuzanna Julia Maja Lena Emilia Gabriela Ioana Elena Andreea Ieva Gabija Natalia "
        "Wiktoria Oliwia"
    ),
    "irish": _words("Mary Bridget Margaret Kathleen Nora Ellen Roseanne Shannon Kerry Siobhan"),
    "south_asian": _words(
        "Aisha Amira Zara Priya Anaya Maryam Hafsa Inaya Simran Jasleen Riya Sana Noor Fatima "
        "Ayesha"
    ),
    "african": _words(
        "Blessing Favour Precious Grace Esther Deborah Adaeze Chioma Amara Ama Abena Ifeoma "
        "Hodan Ayan Selam Ruth"
    ),
    "caribbean": _words(
        "Aaliyah Destiny Jada Kiara Shanice Tia Chantelle Naomi Imani Nia Kezia Amani"
    ),
    "chinese": _words("Chloe Emily Mei Xin Ling Jasmine Hui Amy"),
    "other": _words("Leila Maryam Yasmin Nadia Rania Shirin Hana Lina Sara Dalia Elsa Ardita"),
}
SURNAMES = {
    "british": _words(
        "Smith Jones Williams Brown Taylor Davies Wilson Evans Thomas Johnson Roberts Walker "
        "Wright Robinson Thompson White Hughes Edwards Green Hall Wood Harris Lewis Martin "
        "Jackson Clarke Turner Hill Scott Cooper Morris Ward Moore King Watson Baker Harrison "
        "Morgan Young Allen Mitchell Anderson Phillips Bell Parker Marsh Fowler Hammond "
        "Stevens Barnes Knight Pearce Chapman Webb Holmes Mills Gibson Palmer Ellis Lloyd "
        "Dixon Kemp Cox Bailey Payne Russell Burgess Foster"
    ),
    "european": _words(
        "Nowak Kowalski Wisniewski Kaminski Lewandowski Zielinski Popescu Ionescu Dumitru "
        "Kazlauskas Petrauskas Horvath Novak Ivanov Silva Santos Ferreira Costa"
    ),
    "irish": _words(
        "Ward McDonagh Connors O'Brien Murphy Doherty Kelly Maughan Sweeney Quinn Byrne "
        "McCarthy Reilly"
    ),
    "south_asian": _words(
        "Khan Ahmed Hussain Ali Patel Shah Singh Sharma Mahmood Iqbal Akhtar Rahman Miah "
        "Chowdhury Uddin Islam Kumar Gill Sandhu Malik"
    ),
    "african": _words(
        "Okafor Adeyemi Mensah Owusu Boateng Asante Okonkwo Nwosu Adebayo Afolabi Bello "
        "Mohamed Abdi Hassan Tesfaye Haile Kamara Sesay Conteh Mwangi Banda"
    ),
    "caribbean": _words(
        "Campbell Francis Grant Henry Reid Gordon Richards Spencer Samuels Walters Gayle "
        "Blake Stewart Brown Williams"
    ),
    "chinese": _words("Chen Wang Li Zhang Liu Wong Lam Cheung Ng Chan"),
    "other": _words(
        "Ahmadi Mohammadi Rahimi Hosseini Karimi Sultani Haidari Osman Mahmoud Ibrahim "
        "Abdullah Hamad Tesfamariam Berhane Abdelrahman Hoxha Gashi Shehu Nguyen Tran Amin "
        "Rasul"
    ),
}
# Where names come from, by 903 ethnicity: (first-name groups, surname groups).
NAME_GROUPS = {
    "WBRI": (["british"], ["british"]),
    "WIRI": (["irish", "british"], ["irish"]),
    "WOTH": (["european"], ["european"]),
    "WIRT": (["irish"], ["irish"]),
    "WROM": (["european"], ["european"]),
    "MWBC": (["british", "caribbean"], ["british", "caribbean"]),
    "MWBA": (["british", "african"], ["british", "african"]),
    "MWAS": (["british", "south_asian"], ["british", "south_asian"]),
    "MOTH": (["british", "caribbean", "other"], ["british", "other", "european"]),
    "AIND": (["south_asian"], ["south_asian"]),
    "APKN": (["south_asian"], ["south_asian"]),
    "ABAN": (["south_asian"], ["south_asian"]),
    "AOTH": (["other", "south_asian"], ["other"]),
    "BCRB": (["caribbean", "british"], ["caribbean"]),
    "BAFR": (["african"], ["african"]),
    "BOTH": (["caribbean", "african"], ["caribbean", "african"]),
    "CHNE": (["chinese"], ["chinese"]),
    "OOTH": (["other"], ["other"]),
    "REFU": (["british", "other"], ["british", "other"]),
    "NOBT": (["british", "european"], ["british", "european"]),
}
# Roughly England's children looked after, Kent-flavoured.
ETHNICITY = {
    "WBRI": 660,
    "WOTH": 60,
    "WIRI": 5,
    "WIRT": 6,
    "WROM": 6,
    "MWBC": 35,
    "MWBA": 15,
    "MWAS": 15,
    "MOTH": 35,
    "AIND": 6,
    "APKN": 8,
    "ABAN": 6,
    "AOTH": 10,
    "BCRB": 15,
    "BAFR": 30,
    "BOTH": 12,
    "CHNE": 3,
    "OOTH": 20,
    "REFU": 3,
    "NOBT": 5,
}
# Unaccompanied asylum-seeking children (Kent receives many at Dover).
ETHNICITY_UASC = {"AOTH": 30, "BAFR": 30, "OOTH": 32, "WOTH": 5, "BOTH": 3}
# Ages today (0–17): about 5% under 1, 13% 1–4, 18% 5–9, 39% 10–15, 25% 16–17.
AGE_WEIGHTS = [50] + [32] * 4 + [36] * 5 + [65] * 6 + [125] * 2
PERSON_FIRST = ["Alison", "Mark", "Helen", "Gary", "Sarah", "Neil", "Joanne", "Paul", "Lisa"]
PERSON_LAST = ["Bradshaw", "Coles", "Dunn", "Fenton", "Garner", "Hurst", "Ingram", "Lowe"]
# Kent's DfE local authority number first: the LA part of most demo UPNs.
UPN_LA_CODES = [("886", 85), ("887", 5), ("881", 4), ("845", 3), ("306", 3)]
UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn(la_code: str, establishment: str, year: str, serial: str) -> str:
    """A UPN with the DfE's check letter: weights 2–13 over the 12 digits, modulo 23."""
    digits = la_code + establishment + year + serial
    total = sum(int(d) * w for d, w in zip(digits, range(2, 14), strict=True))
    return UPN_CHECK_LETTERS[total % 23] + digits


# --------------------------------------------------------------------- the estate

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


# ------------------------------------------------------------------- children

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
        director must agree) or None (refused, or no vacancy for a child who stays)."""
        if not self.admits(place, age):
            return None
        if place.registered_from and day < place.registered_from:
            return None
        if place.suspended_from and day >= place.suspended_from:
            return None
        if stays and place.places is not None and self.occupancy[place.pk] >= place.places:
            return None
        return "override" if Rating.below_good(place.rating_on(day)) else "ok"

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


# ------------------------------------------------------------------- the seeding


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
