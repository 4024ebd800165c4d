"""The placement guard: pure functions of the facts, no ORM (seeds 000 and 002)."""

from dataclasses import dataclass
from datetime import date

from .models import Rating, age_on

# Refusals an assistant director or director may override with a reason.
BELOW_GOOD = "below_good"
SUSPENDED = "suspended"
OUTSIDE_AGE = "outside_age"
# Seed 002: "The Central Placements team will only make placements with providers that
# have a rating of Good or above": a setting not yet inspected has no such rating. A
# service manager (or an assistant director or director) may authorise it with a reason.
NOT_YET_INSPECTED = "not_yet_inspected"
# Needs the Director's authorisation, not an override.
UNREGISTERED_NEEDS_DIRECTOR = "unregistered_needs_director"
# Never allowed, whoever asks.
UNDER_16_UNREGISTERED = "under_16_unregistered"
UNDER_16_SUPPORTED = "under_16_supported_accommodation"

OVERRIDABLE = frozenset({BELOW_GOOD, SUSPENDED, OUTSIDE_AGE, NOT_YET_INSPECTED})
#: Refusals a service manager may also override (the rest are the senior managers').
SERVICE_MANAGER_OVERRIDABLE = frozenset({NOT_YET_INSPECTED})
ABSOLUTE = frozenset({UNDER_16_UNREGISTERED, UNDER_16_SUPPORTED})


@dataclass(frozen=True)
class SettingFacts:
    name: str
    provision_type: str
    provision_label: str
    unregistered: bool
    supported_accommodation: bool
    rating: str | None
    rating_label: str
    referrals_suspended: bool
    suspended_reason: str
    min_age: int | None
    max_age: int | None


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str

    @property
    def overridable(self) -> bool:
        return self.code in OVERRIDABLE


def check_placement(
    *, date_of_birth: date, start: date, setting: SettingFacts | None
) -> list[Refusal]:
    """Every reason the guidance gives to refuse this placement; an empty list allows it."""
    if setting is None:  # placed with parents, in hospital, … : no setting to check
        return []
    age = age_on(date_of_birth, start)
    refusals = []
    if age < 16 and setting.unregistered:
        refusals.append(
            Refusal(
                UNDER_16_UNREGISTERED,
                f"The child would be {age} on {start:%d/%m/%Y}. It is illegal to place a child "
                "under 16 in an unregistered setting, and no one can authorise it.",
            )
        )
    elif setting.unregistered:
        refusals.append(
            Refusal(
                UNREGISTERED_NEEDS_DIRECTOR,
                f"{setting.name} is not registered. Placing a child there needs the "
                "Director's authorisation first.",
            )
        )
    if age < 16 and setting.supported_accommodation:
        refusals.append(
            Refusal(
                UNDER_16_SUPPORTED,
                f"The child would be {age} on {start:%d/%m/%Y}. Supported accommodation is "
                "only for young people aged 16 or over, and no one can authorise it.",
            )
        )
    if Rating.below_good(setting.rating):
        refusals.append(
            Refusal(
                BELOW_GOOD,
                f"{setting.name} is rated {setting.rating_label} by the regulator. Placements "
                "are made only with settings rated Good or Outstanding.",
            )
        )
    elif setting.rating == Rating.NOT_YET_INSPECTED and not setting.unregistered:
        # An unregistered setting is never inspected: the Director's authorisation above
        # is what it needs.
        refusals.append(
            Refusal(
                NOT_YET_INSPECTED,
                f"{setting.name} has not yet been inspected by the regulator, so it is not "
                "rated Good or Outstanding. A service manager can authorise the placement, "
                "with the reason.",
            )
        )
    if setting.referrals_suspended:
        reason = f" ({setting.suspended_reason})" if setting.suspended_reason else ""
        refusals.append(
            Refusal(SUSPENDED, f"{setting.name} is suspended from new referrals{reason}.")
        )
    too_young = setting.min_age is not None and age < setting.min_age
    too_old = setting.max_age is not None and age > setting.max_age
    if (too_young or too_old) and not {r.code for r in refusals} & ABSOLUTE:
        upper = f"to {setting.max_age}" if setting.max_age is not None else "and over"
        refusals.append(
            Refusal(
                OUTSIDE_AGE,
                f"The child would be {age} on {start:%d/%m/%Y}. {setting.provision_label} "
                f"takes children aged {setting.min_age} {upper}.",
            )
        )
    return refusals
