"""Permission-matrix entries and world objects for the escalations pages.

tests/permission_table.py merges TABLE into its table; tests/test_permission_matrix.py calls
extend_world(world, personas) after it has built the shared world.
"""

from __future__ import annotations

from tests.permission_table import Case  # noqa: F401  (used by the entries)

TABLE: dict = {}


def extend_world(world: dict, personas: dict) -> None:
    """Add this part's records to the world (keys prefixed by the part)."""
