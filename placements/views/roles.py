"""Who may do what on the register's pages."""

from accounts.models import CASEWORKER_ROLES, MANAGER_ROLES, Role

from .. import selectors

PLACING_ROLES = (
    CASEWORKER_ROLES
    | MANAGER_ROLES
    | {
        Role.COMMISSIONING_OFFICER,
        Role.ASSISTANT_DIRECTOR,
        Role.DIRECTOR,
    }
)
ALLOCATING_ROLES = MANAGER_ROLES | {Role.ASSISTANT_DIRECTOR, Role.DIRECTOR}
REGISTER_ROLES = frozenset({Role.COMMISSIONING_OFFICER})
CHILD_LIST_ROLES = selectors.CHILD_LIST_ROLES
