"""Where the demo estate and caseload are: the authority's towns (with the
children-in-care team area of each), towns out of the area with their councils and
Ofsted regions, street names and postcodes."""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.conf import settings as django_settings

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
