"""Every write to children, settings, inspections and placements: one transaction, with history."""

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from core.history import stamp as _stamp

from . import codes, events, rules
from .models import (
    Child,
    Inspection,
    Placement,
    PlacementConcern,
    ProvisionEligibility,
    ProvisionType,
    Rating,
    RegulatoryNotice,
    Setting,
)

OVERRIDE_ROLES = frozenset({Role.ASSISTANT_DIRECTOR, Role.DIRECTOR})
#: Who may override a refusal of this code (with a reason): the senior managers, and a
#: service manager for a setting not yet inspected (seed 002).
_OVERRIDERS = dict.fromkeys(rules.OVERRIDABLE, OVERRIDE_ROLES) | {
    code: OVERRIDE_ROLES | {Role.SERVICE_MANAGER} for code in rules.SERVICE_MANAGER_OVERRIDABLE
}
#: Everyone who may override some refusal: the placement form asks them for a reason.
ANY_OVERRIDE_ROLES = frozenset().union(*_OVERRIDERS.values())


def may_override(actor: User, refusal: rules.Refusal) -> bool:
    return refusal.overridable and actor.role in _OVERRIDERS[refusal.code]


class PlacementRefused(Exception):
    """The guard refused a placement; `refusals` says why, each in words a person understands."""

    def __init__(self, refusals: list[rules.Refusal]):
        self.refusals = refusals
        super().__init__(" ".join(r.message for r in refusals))


def setting_facts(setting: Setting | None) -> rules.SettingFacts | None:
    if setting is None:
        return None
    eligibility = ProvisionEligibility.objects.filter(provision_type=setting.provision_type).first()
    return rules.SettingFacts(
        name=setting.name,
        provision_type=setting.provision_type,
        provision_label=setting.get_provision_type_display(),
        unregistered=setting.is_unregistered,
        supported_accommodation=setting.provision_type == ProvisionType.SUPPORTED_ACCOMMODATION,
        rating=setting.current_rating,
        rating_label=setting.get_current_rating_display(),
        referrals_suspended=setting.referrals_suspended,
        suspended_reason=setting.referrals_suspended_reason,
        min_age=eligibility.min_age if eligibility else None,
        max_age=eligibility.max_age if eligibility else None,
    )


def placement_check(*, child: Child, setting: Setting | None, start: date) -> list[rules.Refusal]:
    return rules.check_placement(
        date_of_birth=child.date_of_birth, start=start, setting=setting_facts(setting)
    )


def _authorise(
    refusals: list[rules.Refusal],
    *,
    actor: User,
    override_reason: str,
    director_authorisation: bool,
) -> tuple[bool, bool]:
    """Which refusals this actor has lifted: (override used, director authorised), or raise."""
    remaining = []
    override_used = director_used = False
    for refusal in refusals:
        if refusal.code in rules.ABSOLUTE:
            remaining.append(refusal)
        elif refusal.code == rules.UNREGISTERED_NEEDS_DIRECTOR:
            if director_authorisation and actor.role == Role.DIRECTOR:
                director_used = True
            else:
                remaining.append(refusal)
        elif override_reason.strip() and may_override(actor, refusal):
            override_used = True
        else:
            remaining.append(refusal)
    if remaining:
        raise PlacementRefused(remaining)
    return override_used, director_used


LONDON = ZoneInfo("Europe/London")


def start_instant_error(start: date, start_time: time | None, now: datetime) -> str | None:
    """Why a placement's start time cannot be right, or None: a time the clocks skipped
    (the last Sunday of March, 01:00 to 01:59), or a start in the future (a start time
    records a placement that has started). A time the clocks repeat (the last Sunday of
    October, 01:00 to 01:59) is taken as its first occurrence, British Summer Time."""
    if start_time is None:
        return None
    local = datetime.combine(start, start_time, LONDON)
    if local.astimezone(ZoneInfo("UTC")).astimezone(LONDON).replace(tzinfo=None) != (
        local.replace(tzinfo=None)
    ):
        return (
            f"There was no {start_time:%H:%M} on {start:%d/%m/%Y}: the clocks went forward "
            "an hour at 1am. Enter the time as the clocks showed it."
        )
    if local > now:
        return "The start time cannot be in the future."
    return None


def validate_episode_codes(values: dict[str, str], start: date) -> None:
    errors = codes.invalid_codes(values, start)
    if errors:
        raise ValidationError({field.lower(): message for field, message in errors.items()})


@dataclass(frozen=True)
class EpisodeCodes:
    rne: str
    ls: str
    cin: str
    place: str
    place_provider: str = ""

    @classmethod
    def from_form(cls, data: dict) -> "EpisodeCodes":
        """The codes of a placement form's cleaned data (start a placement, register a child)."""
        return cls(
            rne=data["rne"],
            ls=data["ls"],
            cin=data["cin"],
            place=data["place"],
            place_provider=data["place_provider"],
        )

    def as_903(self) -> dict[str, str]:
        return {
            "RNE": self.rne,
            "LS": self.ls,
            "CIN": self.cin,
            "PLACE": self.place,
            "PLACE_PROVIDER": self.place_provider,
        }


@transaction.atomic
def placement_start(
    *,
    child: Child,
    setting: Setting | None,
    start: date,
    episode: EpisodeCodes,
    actor: User,
    start_time: time | None = None,
    reason_place_change: str = "",
    home_post: str = "",
    pl_post: str = "",
    permanent: bool | None = None,
    connected_person_temporary: bool = False,
    placed_with_parent_pre_assessment: bool = False,
    override_reason: str = "",
    director_authorisation: bool = False,
) -> Placement:
    """Start a placement (an SSDA903 episode), through the placement guard.

    A child's open episode ends the day the new one starts (REC X1, the reason
    for the change recorded), as the 903 records a change of placement. ``start_time``
    (Europe/London), when known, is the time the placement started (seed 000: the
    24-hour visit to an unregistered placement counts from it).
    """
    if error := start_instant_error(start, start_time, timezone.now()):
        raise ValidationError({"start_time": error})
    child = Child.objects.select_for_update().get(pk=child.pk)
    validate_episode_codes({**episode.as_903(), "REASON_PLACE_CHANGE": reason_place_change}, start)
    if child.date_of_birth > start:
        raise ValidationError({"decom": "A placement cannot start before the child was born."})
    refusals = placement_check(child=child, setting=setting, start=start)
    override_used, director_used = _authorise(
        refusals,
        actor=actor,
        override_reason=override_reason,
        director_authorisation=director_authorisation,
    )
    previous = child.placements.filter(dec__isnull=True).order_by("-decom").first()
    if previous is not None:
        if previous.decom >= start:
            raise ValidationError(
                {
                    "decom": f"The current placement started on {previous.decom:%d/%m/%Y}; "
                    "a new one must start after that."
                }
            )
        if episode.rne != "L" and not reason_place_change:
            raise ValidationError(
                {"reason_place_change": "Give the reason the previous placement changed."}
            )
        previous.dec = start
        previous.rec = "X1"
        previous.reason_place_change = reason_place_change if episode.rne != "L" else ""
        _stamp(previous, actor, "Ended by a new placement").save()
    now = timezone.now()
    placement = Placement(
        child=child,
        setting=setting,
        decom=start,
        start_time=start_time,
        rne=episode.rne,
        ls=episode.ls,
        cin=episode.cin,
        place=episode.place,
        place_provider=episode.place_provider,
        home_post=home_post,
        pl_post=pl_post or (setting.postcode if setting else ""),
        urn=(setting.urn or "") if setting else "",
        permanent=(episode.place in codes.PERMANENT_PLACE_CODES)
        if permanent is None
        else permanent,
        connected_person_temporary=connected_person_temporary,
        placed_with_parent_pre_assessment=placed_with_parent_pre_assessment,
    )
    if override_used:
        placement.guard_override_by = actor
        placement.guard_override_reason = override_reason.strip()
        placement.guard_override_at = now
    if director_used:
        placement.director_authorised_by = actor
        placement.director_authorised_at = now
    placement.full_clean(exclude=["child", "setting"], validate_unique=False)
    _stamp(placement, actor, "Placement started").save()
    events.placement_started.send(
        sender=Placement, placement=placement, ended=previous, actor=actor
    )
    return placement


@transaction.atomic
def placement_end(
    *, placement: Placement, end: date, rec: str, reason_place_change: str = "", actor: User
) -> Placement:
    if end < placement.decom:
        raise ValidationError({"dec": "A placement cannot end before it started."})
    validate_episode_codes({"REC": rec, "REASON_PLACE_CHANGE": reason_place_change}, end)
    placement.dec = end
    placement.rec = rec
    placement.reason_place_change = reason_place_change
    _stamp(placement, actor, "Placement ended").save()
    events.placement_ended.send(sender=Placement, placement=placement, actor=actor)
    return placement


@dataclass(frozen=True)
class InspectionResult:
    inspection: Inspection
    created: bool
    downgrade: bool
    became_current: bool


#: A judgement is never dated after today (the form, and every other path, say so).
FUTURE_INSPECTION = "The date of inspection must be today or in the past."


@transaction.atomic
def inspection_record(
    *,
    setting: Setting,
    inspection_date: date,
    overall_judgement: str,
    recorded_on: date,
    actor: User | None,
    event_type: str = "Full inspection",
    publication_date: date | None = None,
    source: str = Inspection.Source.BROWSER,
) -> InspectionResult:
    """Record a judgement; the same judgement recorded twice does nothing the second time."""
    if overall_judgement not in Rating.values:
        raise ValidationError({"overall_judgement": "Choose the overall judgement."})
    today = timezone.localdate()
    if inspection_date > today:
        raise ValidationError({"inspection_date": FUTURE_INSPECTION})
    setting = Setting.objects.select_for_update().get(pk=setting.pk)
    existing = Inspection.objects.filter(
        setting=setting, inspection_date=inspection_date, event_type=event_type
    ).first()
    if existing is not None:
        return InspectionResult(existing, created=False, downgrade=False, became_current=False)
    # The current rating is the latest judgement on or before today, never the latest row:
    # a judgement on record from the future (before this check) hides nothing after it.
    latest = (
        setting.inspections.filter(inspection_date__lte=today)
        .order_by("-inspection_date", "-pk")
        .first()
    )
    became_current = latest is None or inspection_date >= latest.inspection_date
    before = setting.current_rating if became_current else None
    downgrade = became_current and Rating.is_downgrade(before, overall_judgement)
    inspection = Inspection(
        setting=setting,
        inspection_date=inspection_date,
        publication_date=publication_date,
        event_type=event_type,
        overall_judgement=overall_judgement,
        previous_judgement=before or "",
        is_downgrade=downgrade,
        recorded_on=recorded_on,
        recorded_by=actor,
        source=source,
    )
    _stamp(inspection, actor, "Judgement recorded").save()
    if became_current:
        setting.current_rating = overall_judgement
        setting.current_rating_date = inspection_date
        _stamp(setting, actor, f"Rated {inspection.get_overall_judgement_display()}").save(
            update_fields=["current_rating", "current_rating_date"]
        )
    result = InspectionResult(
        inspection, created=True, downgrade=downgrade, became_current=became_current
    )
    # In this transaction: the judgement and all that follows from it, or nothing.
    events.judgement_recorded.send(
        sender=Inspection, result=result, actor=actor, recorded_on=recorded_on
    )
    return result


#: ``child_allocate(personal_adviser=KEEP)``: the adviser stays as they are.
KEEP = object()


@transaction.atomic
def child_allocate(
    *,
    child: Child,
    actor: User,
    social_worker: User | None,
    team=None,
    iro: User | None,
    restricted: bool | None = None,
    personal_adviser=KEEP,
) -> Child:
    """Allocate the child's staff. ``personal_adviser``: a user of the personal adviser
    role, alongside the social worker (seed 003, line 969), None for none, or KEEP."""
    if personal_adviser is not KEEP:
        if personal_adviser is not None and (
            personal_adviser.role != Role.PERSONAL_ADVISER or not personal_adviser.is_active
        ):
            raise ValidationError({"personal_adviser": "Choose an active personal adviser"})
        child.personal_adviser = personal_adviser
    child.social_worker = social_worker
    child.team = team if team is not None else (social_worker.team if social_worker else child.team)
    child.iro = iro
    if restricted is not None:
        child.restricted = restricted
    _stamp(child, actor, "Allocation changed").save()
    events.child_allocated.send(sender=Child, child=child, actor=actor)
    return child


@transaction.atomic
def child_create(*, actor: User | None, **fields) -> Child:
    child = Child(**fields)
    child.full_clean()
    _stamp(child, actor, "Child recorded").save()
    return child


#: Who registers a child coming into care: the child joins their team, and a social
#: worker becomes the child's social worker.
REGISTERING_ROLES = frozenset({Role.SOCIAL_WORKER, Role.TEAM_MANAGER})
#: RNE of the first episode of a child coming into care.
STARTED_TO_BE_LOOKED_AFTER = "S"


@transaction.atomic
def child_register(
    *,
    actor: User,
    child_fields: dict,
    setting: Setting | None,
    start: date,
    episode: EpisodeCodes,
    start_time: time | None = None,
    **placement_fields,
) -> Placement:
    """A child coming into care: the child's record and their first placement, through
    the placement guard, in one transaction; a refusal (or any invalid field) saves
    neither. The child joins the actor's team; a social worker becomes the child's
    social worker. The placement-started event is sent as for any placement."""
    if actor.role not in REGISTERING_ROLES:
        raise ValidationError("Only a social worker or a team manager registers a child.")
    if episode.rne != STARTED_TO_BE_LOOKED_AFTER:
        raise ValidationError({"rne": "A child coming into care starts to be looked after: RNE S."})
    child = child_create(
        actor=actor,
        team=actor.team,
        social_worker=actor if actor.role == Role.SOCIAL_WORKER else None,
        **child_fields,
    )
    return placement_start(
        child=child,
        setting=setting,
        start=start,
        start_time=start_time,
        episode=episode,
        actor=actor,
        **placement_fields,
    )


#: Who records concerns about an unregistered placement (seed 000: the IRO visits within
#: 2 weeks "if concerns"): the IRO, the social worker (or personal adviser), the team
#: manager.
CONCERN_ROLES = frozenset({Role.IRO, Role.SOCIAL_WORKER, Role.PERSONAL_ADVISER, Role.TEAM_MANAGER})


@transaction.atomic
def placement_concern_record(*, placement: Placement, note: str, actor: User) -> PlacementConcern:
    """Record concerns about an unregistered placement; the IRO's visit then falls due 2
    weeks after the placement started (visits.rules.iro, through the recompute that
    ``events.placements_changed`` starts)."""
    note = note.strip()
    if not note:
        raise ValidationError({"note": "Say what the concerns are."})
    if not placement.is_unregistered:
        raise ValidationError("Concerns are recorded here for unregistered placements only.")
    concern = PlacementConcern(
        placement=placement, note=note, recorded_by=actor, recorded_at=timezone.now()
    )
    _stamp(concern, actor, "Concerns recorded").save()
    events.placements_changed.send(sender=Placement, child_ids=[placement.child_id], actor=actor)
    return concern


@transaction.atomic
def setting_save(*, setting: Setting, actor: User | None, reason: str = "") -> Setting:
    setting.full_clean()
    _stamp(setting, actor, reason).save()
    return setting


#: Children's homes, for notices (TS §1 "for a children's home").
NOTICE_PROVISION_TYPES = frozenset(
    {ProvisionType.CHILDRENS_HOME, ProvisionType.SECURE_CHILDRENS_HOME}
)


@transaction.atomic
def notice_record(
    *, setting: Setting, kind: str, notice_date: date, actor, notes: str = ""
) -> tuple[RegulatoryNotice, bool]:
    """Record an Ofsted notice (cancellation, proceedings, barred admissions) for a
    children's home; what follows (a visit to every child placed there, TS §1) is the
    receivers' of ``events.notice_recorded``. Recording the same notice again does
    nothing: (notice, created)."""
    if kind not in RegulatoryNotice.Kind.values:
        raise ValidationError({"kind": "Choose the kind of notice."})
    setting = Setting.objects.select_for_update().get(pk=setting.pk)
    if setting.provision_type not in NOTICE_PROVISION_TYPES:
        raise ValidationError(
            f"{setting.name} is not a children's home: these notices are recorded for "
            "children's homes."
        )
    notice = RegulatoryNotice.objects.filter(
        setting=setting, kind=kind, notice_date=notice_date
    ).first()
    if notice is not None:
        return notice, False
    notice = RegulatoryNotice(
        setting=setting, kind=kind, notice_date=notice_date, notes=notes, recorded_by=actor
    )
    _stamp(notice, actor, "Notice recorded").save()
    events.notice_recorded.send(sender=RegulatoryNotice, notice=notice, actor=actor)
    return notice, True
