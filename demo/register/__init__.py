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

The package is split by the parts of the domain: ``places`` (towns, councils, streets
and postcodes), ``people`` (names, ethnicities, ages and UPNs), ``estate`` (providers
and settings with their Ofsted histories, and the pool of settings the children are
placed in), ``caseload`` (the children and their SSDA903 episodes, as the placement
guard would allow them) and ``seeding`` (writing them), with what they share in
``common``. What other code uses is imported from here.
"""

from .caseload import place_code, restated_place_code
from .common import CHILD_ID_PREFIX
from .people import upn
from .seeding import (
    BATCH,
    CHANGE_REASON,
    CHUNK,
    MIN_SETTINGS,
    Progress,
    Summary,
    demo_child_ids,
    seed_placements,
    settings_for,
)

__all__ = [
    "BATCH",
    "CHANGE_REASON",
    "CHILD_ID_PREFIX",
    "CHUNK",
    "MIN_SETTINGS",
    "Progress",
    "Summary",
    "demo_child_ids",
    "place_code",
    "restated_place_code",
    "seed_placements",
    "settings_for",
    "upn",
]
