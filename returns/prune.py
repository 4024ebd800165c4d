"""A 903 return imported again: the episodes the database holds that the file no longer has.

A return is the authority's account of a collection year (1 April to 31 March). When a
corrected return comes (an episode's start date put right, an episode entered twice
taken out), the import adds and updates by (CHILD, DECOM) and so leaves the old episode
behind. These are the *stale* episodes: of the children in ``header.csv``, those open at
any time in the return's collection year (``years.episodes_in_year``) whose (CHILD,
DECOM) is not a row of ``episodes.csv``. Other children's episodes, and the children's
episodes of other years, are not the file's to judge and are never touched.

The import lists them; ``import_903 --prune`` removes them, each with its history
("Removed: not in the SSDA903 return"), in the import's one transaction: a file with an
error saves nothing and removes nothing. An episode something else is recorded against
(a visit protects its placement) is kept and said so: it is for a person to correct.

The return's year is the collection year of the latest date the files hold (an episode's
start or end, a review), which a return of that year cannot pass: its episodes that end
later are written open. ``--year`` names it instead.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db import router, transaction
from django.db.models import ProtectedError
from django.db.models.deletion import Collector

from core.history import stamp
from placements.models import Child, Placement

from .years import episodes_in_year

REMOVED_REASON = "Removed: not in the SSDA903 return"


def collection_year_of(day: date) -> int:
    """The collection year holding ``day``, named by the year it starts (1 April)."""
    return day.year if day.month >= 4 else day.year - 1


def year_label(year: int) -> str:
    return f"{year}-{str(year + 1)[-2:]}"


def file_year(files) -> int | None:
    """The return's collection year, from the latest date in its files; None if none."""
    days = [row.decom for row in files.episodes]
    days += [row.fields["dec"] for row in files.episodes if row.fields["dec"] is not None]
    days += [row.review_date for row in files.reviews or ()]
    return collection_year_of(max(days)) if days else None


@dataclass
class Stale:
    child_id: str  # the 903 CHILD
    decom: date
    dec: date | None
    place: str
    #: Why it cannot be removed ("2 visits recorded against it"), "" if it can.
    kept_because: str = ""
    removed: bool = False


@dataclass
class PruneReport:
    year: int | None
    prune: bool
    stale: list[Stale] = field(default_factory=list)

    @property
    def removed(self) -> int:
        return sum(1 for s in self.stale if s.removed)

    def lines(self) -> list[str]:
        if self.year is None:
            return ["No episodes or reviews in the files: no year to compare."]
        label = year_label(self.year)
        if not self.stale:
            return [f"Episodes in {label} the files no longer have: none."]
        lines = [
            f"Episodes in {label} the database holds for these children that the files no "
            f"longer have: {len(self.stale):,}."
        ]
        for s in self.stale:
            ended = f" to {s.dec:%d/%m/%Y}" if s.dec else ", open"
            episode = f"CHILD {s.child_id}, DECOM {s.decom:%d/%m/%Y}{ended}, PLACE {s.place}"
            if s.removed:
                lines.append(f"- {episode}: removed.")
            elif s.kept_because:
                lines.append(f"- {episode}: kept: {s.kept_because}; correct it by hand.")
            else:
                lines.append(f"- {episode}: would be removed with --prune.")
        if self.prune:
            lines.append(f"Removed {self.removed:,} of them.")
        else:
            lines.append("Nothing was removed: run again with --prune to remove them.")
        return lines


def stale_episodes(files, children: dict[str, Child], year: int) -> list[Placement]:
    """The children's episodes open in ``year`` that ``files.episodes`` does not have."""

    in_file = {(children[row.child_id].pk, row.decom) for row in files.episodes}
    held = (
        episodes_in_year(year)
        .filter(child_id__in=[child.pk for child in children.values()])
        .select_related("child")
        .order_by("child__child_id", "decom", "pk")
    )
    return [p for p in held if (p.child_id, p.decom) not in in_file]


def _protected(exc: ProtectedError) -> str:
    counts = Counter(obj._meta.verbose_name for obj in exc.protected_objects)
    return ", ".join(
        f"{n} {name if n == 1 else name + 's'}" for name, n in sorted(counts.items())
    ) + (" recorded against it" if counts else "")


def prune(
    files, children: dict[str, Child], *, year: int | None, remove: bool, actor=None
) -> PruneReport:
    """List (and with ``remove``, delete) the stale episodes; inside the import's
    transaction. ``year`` None: the files' own (:func:`file_year`)."""
    year = year if year is not None else file_year(files)
    report = PruneReport(year=year, prune=remove)
    if year is None:
        return report
    for placement in stale_episodes(files, children, year):
        stale = Stale(
            child_id=placement.child.child_id,
            decom=placement.decom,
            dec=placement.dec,
            place=placement.place,
        )
        report.stale.append(stale)
        if not remove:
            try:
                _check_removable(placement)
            except ProtectedError as exc:
                stale.kept_because = _protected(exc)
            continue
        try:
            with transaction.atomic():  # a savepoint: a protected one leaves the rest
                stamp(placement, actor, REMOVED_REASON).delete()
        except ProtectedError as exc:
            stale.kept_because = _protected(exc)
        else:
            stale.removed = True
    return report


def _check_removable(placement: Placement) -> None:
    """Raise ProtectedError if deleting ``placement`` would be refused (nothing deleted)."""
    collector = Collector(using=router.db_for_write(Placement))
    collector.collect([placement])
