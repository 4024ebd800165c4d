"""SSDA903 (children looked after) files: import an authority's return, export a year's.

The DfE's CSV layout (``returns.csv903``): `header.csv` (one row a child),
`episodes.csv` (one row an episode), `reviews.csv` (one row a looked-after review) and
`missing.csv` (one row a missing or away episode: ``returns.missing_table``), dates
DD/MM/YYYY, blank for empty. Children are keyed by CHILD (`Child.child_id`), episodes
by (CHILD, DECOM), missing episodes by (CHILD, MIS_START).

Import is all or nothing: every row of every file is checked before anything is
written, and the writes run in one transaction. History is what happened, so the
placement guard is not run, but every code is checked against the DfE's lists. Rows
that match what is stored are left alone (no new history), so importing the same
files twice changes nothing. New rows are written with `bulk_create_with_history`
and changed rows with `bulk_update_with_history` (both in
`csv903.write_with_history`), so django-simple-history keeps a
record of each.

Export writes the episodes open at any time in a collection year, and the header rows
of their children, as the DfE validator (csc-validator-be-903) expects them.
"""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TextIO

from django.db import transaction

from placements import codes
from placements.models import Child, Placement, Setting
from reviews.models import LacReview

from .csv903 import (
    Counts,
    RowError,
    Ssda903ImportError,
    find_file,
    format_date,
    parse_date,
    parse_each,
    read_rows,
    short_value,
    write_csv,
    write_with_history,
)
from .missing_table import (
    MISSING_COLUMNS,
    MISSING_FILE,
    MissingCounts,
    MissingRow,
    missing_rows,
    read_missing,
    save_missing,
)
from .prune import PruneReport
from .prune import prune as prune_stale
from .years import collection_bounds, episodes_in_year

HEADER_FILE = "header.csv"
EPISODES_FILE = "episodes.csv"
REVIEWS_FILE = "reviews.csv"

HEADER_COLUMNS = ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB")
EPISODE_COLUMNS = (
    "CHILD",
    "DECOM",
    "RNE",
    "LS",
    "CIN",
    "PLACE",
    "PLACE_PROVIDER",
    "DEC",
    "REC",
    "REASON_PLACE_CHANGE",
    "HOME_POST",
    "PL_POST",
    "URN",
)
REVIEW_COLUMNS = ("CHILD", "DOB", "REVIEW", "REVIEW_CODE")

# The URN a regional adoption agency placement carries: no setting of ours.
NO_URN = "XXXXXXX"

# The 903 header has no names; a new child is recorded as "Child <CHILD>" until
# someone adds them.
PLACEHOLDER_FIRST_NAME = "Child"

# SEX: the DfE's 903 used 1/2 until 2023-24 and M/F/U ("reported sex") from 2024-25.
# Child.sex keeps codes.SEX (1/2); both spellings are read, each year's is written.
SEX_LETTERS_FROM = 2024
SEX_FROM_903 = {"1": "1", "2": "2", "M": "1", "F": "2"}
SEX_TO_LETTER = {"1": "M", "2": "F"}

# Child fields the header carries (names, allocation and so on are ours alone).
CHILD_FIELDS = ("date_of_birth", "sex", "ethnicity", "upn", "mother", "mother_child_dob")
# Placement fields the episodes file carries, besides the key (child, decom).
EPISODE_FIELDS = (
    "rne",
    "ls",
    "cin",
    "place",
    "place_provider",
    "dec",
    "rec",
    "reason_place_change",
    "home_post",
    "pl_post",
    "urn",
)
CODE_COLUMNS = ("RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "REC", "REASON_PLACE_CHANGE")
REQUIRED_CODES = ("RNE", "LS", "CIN", "PLACE")


def sex_from_903(value: str) -> str:
    value = value.upper()
    if value in SEX_FROM_903:
        return SEX_FROM_903[value]
    if value == "U":
        raise RowError(
            "SEX 'U' (not known) cannot be recorded yet: a child's sex here is 1/M or 2/F."
        )
    raise RowError(f"SEX '{value}' is not a sex code (M or F; 1 or 2 before 2024-25).")


def sex_to_903(value: str, year: int) -> str:
    return SEX_TO_LETTER.get(value, value) if year >= SEX_LETTERS_FROM else value


def invalid_episode_codes(values: dict[str, str], decom: date, dec: date | None) -> list[str]:
    """Messages for codes not valid in the collection year the episode started in.

    A code brought in later is accepted for an episode still open in a year that has
    it: the DfE has an episode open on 1 April recoded to that year's list (a Z1
    placement becomes Z11 to Z14 in 2025-26; the validator's rule 503D allows it).
    """
    errors = codes.invalid_codes(values, decom)
    first = codes.collection_year(decom) + 1
    last = min(codes.collection_year(dec) if dec else codes.LATEST_YEAR, codes.LATEST_YEAR)
    for year in range(first, last + 1):
        if not errors:
            break
        later = codes.invalid_codes({f: values[f] for f in errors}, date(year, 4, 1))
        errors = {f: message for f, message in errors.items() if f in later}
    return list(errors.values())


@dataclass(frozen=True)
class HeaderRow:
    line: int
    child_id: str
    fields: dict  # Child field: value, for CHILD_FIELDS


@dataclass(frozen=True)
class EpisodeRow:
    line: int
    child_id: str
    decom: date
    fields: dict  # Placement field: value, for EPISODE_FIELDS


@dataclass(frozen=True)
class ReviewRow:
    line: int
    child_id: str
    review_date: date
    review_code: str


def parse_header_row(line: int, v: dict[str, str]) -> HeaderRow:
    child_id = short_value(v["CHILD"], "CHILD", Child._meta.get_field("child_id").max_length)
    if not child_id:
        raise RowError("CHILD is blank.")
    ethnic = v["ETHNIC"].upper()
    if ethnic not in codes.ETHNIC:
        raise RowError(f"ETHNIC '{v['ETHNIC']}' is not an ethnicity code.")
    mother = v["MOTHER"]
    if mother not in ("", "0", "1"):
        raise RowError(f"MOTHER '{mother}' must be 1, 0 or blank.")
    return HeaderRow(
        line=line,
        child_id=child_id,
        fields={
            "date_of_birth": parse_date(v["DOB"], "DOB", required=True),
            "sex": sex_from_903(v["SEX"]),
            "ethnicity": ethnic,
            "upn": short_value(v["UPN"].upper(), "UPN", Child._meta.get_field("upn").max_length),
            "mother": mother,
            "mother_child_dob": parse_date(v["MC_DOB"], "MC_DOB"),
        },
    )


def _max_length(name: str) -> int:
    return Placement._meta.get_field(name).max_length


def parse_episode_row(line: int, v: dict[str, str]) -> EpisodeRow:
    child_id = v["CHILD"]
    if not child_id:
        raise RowError("CHILD is blank.")
    decom = parse_date(v["DECOM"], "DECOM", required=True)
    dec = parse_date(v["DEC"], "DEC")
    if dec is not None and dec < decom:
        raise RowError(f"DEC {v['DEC']} is before DECOM {v['DECOM']}.")
    found = {column: v[column].upper() for column in CODE_COLUMNS}
    for column in REQUIRED_CODES:
        if not found[column]:
            raise RowError(f"{column} is blank.")
    problems = invalid_episode_codes(found, decom, dec)
    if problems:
        raise RowError(" ".join(problems))
    fields = {column.lower(): value for column, value in found.items()}
    for column in ("HOME_POST", "PL_POST", "URN"):
        fields[column.lower()] = short_value(v[column].upper(), column, _max_length(column.lower()))
    fields["dec"] = dec
    return EpisodeRow(line=line, child_id=child_id, decom=decom, fields=fields)


def parse_review_row(line: int, v: dict[str, str]) -> ReviewRow:
    if not v["CHILD"]:
        raise RowError("CHILD is blank.")
    code = v["REVIEW_CODE"].upper()
    if code and code not in codes.REVIEW_CODE:
        raise RowError(f"REVIEW_CODE '{v['REVIEW_CODE']}' is not a participation code.")
    return ReviewRow(
        line=line,
        child_id=v["CHILD"],
        review_date=parse_date(v["REVIEW"], "REVIEW", required=True),
        review_code=code,
    )


@dataclass
class Files:
    header: list[HeaderRow]
    episodes: list[EpisodeRow]
    reviews: list[ReviewRow] | None  # None: no reviews.csv
    missing: list[MissingRow] | None = None  # None: no missing.csv


def read_directory(directory: Path, *, stdout: TextIO | None = None) -> Files:
    """Read and check every file; raise Ssda903ImportError at the first bad row."""
    if not directory.is_dir():
        raise Ssda903ImportError(str(directory), None, "is not a directory.")
    paths = {}
    for name in (HEADER_FILE, EPISODES_FILE):
        paths[name] = find_file(directory, name)
        if paths[name] is None:
            raise Ssda903ImportError(name, None, f"not found in {directory}.")

    header = parse_each(
        HEADER_FILE,
        read_rows(paths[HEADER_FILE], HEADER_FILE, HEADER_COLUMNS, stdout=stdout),
        parse_header_row,
    )
    first_line: dict[str, int] = {}
    for row in header:
        if row.child_id in first_line:
            raise Ssda903ImportError(
                HEADER_FILE,
                row.line,
                f"CHILD {row.child_id} is already on line {first_line[row.child_id]}.",
            )
        first_line[row.child_id] = row.line

    episodes = parse_each(
        EPISODES_FILE,
        read_rows(paths[EPISODES_FILE], EPISODES_FILE, EPISODE_COLUMNS, stdout=stdout),
        parse_episode_row,
    )
    starts: dict[tuple[str, date], int] = {}
    for row in episodes:
        if row.child_id not in first_line:
            raise Ssda903ImportError(
                EPISODES_FILE, row.line, f"CHILD {row.child_id} is not in {HEADER_FILE}."
            )
        key = (row.child_id, row.decom)
        if key in starts:
            raise Ssda903ImportError(
                EPISODES_FILE,
                row.line,
                f"CHILD {row.child_id} already has an episode starting "
                f"{format_date(row.decom)} (line {starts[key]}).",
            )
        starts[key] = row.line

    reviews = None
    reviews_path = find_file(directory, REVIEWS_FILE)
    if reviews_path is not None:
        reviews = parse_each(
            REVIEWS_FILE,
            read_rows(reviews_path, REVIEWS_FILE, REVIEW_COLUMNS, stdout=stdout),
            parse_review_row,
        )
        for row in reviews:
            if row.child_id not in first_line:
                raise Ssda903ImportError(
                    REVIEWS_FILE, row.line, f"CHILD {row.child_id} is not in {HEADER_FILE}."
                )
    missing = read_missing(
        directory,
        {row.child_id: (row.line, row.fields["date_of_birth"]) for row in header},
        stdout=stdout,
    )
    return Files(header=header, episodes=episodes, reviews=reviews, missing=missing)


# --- Saving -----------------------------------------------------------------------------


@dataclass
class ImportSummary:
    directory: Path
    children: Counts = field(default_factory=Counts)
    episodes: Counts = field(default_factory=Counts)
    reviews_read: int | None = None  # None: there was no reviews.csv
    reviews: Counts | None = None  # None: there was no reviews.csv
    stale: PruneReport | None = None
    missing: MissingCounts | None = None  # None: there was no missing.csv

    def lines(self) -> list[str]:
        lines = [
            f"Imported the SSDA903 files in {self.directory}.",
            f"Children: {self.children}.",
            f"Episodes: {self.episodes}.",
        ]
        if self.reviews is not None:
            lines.append(f"Reviews: {self.reviews}.")
        if self.missing is not None:
            lines.extend(self.missing.lines())
        if self.children.created:
            lines.append(
                f"The 903 has no names: the {self.children.created:,} new children are "
                f'recorded as "{PLACEHOLDER_FIRST_NAME} <CHILD>"; add their names.'
            )
        if self.stale is not None:
            lines.extend(self.stale.lines())
        return lines


def _save_children(rows: list[HeaderRow], actor, counts: Counts) -> dict[str, Child]:
    existing = {
        child.child_id: child
        for child in Child.objects.filter(child_id__in=[row.child_id for row in rows])
    }
    new, changed, changed_fields = [], [], set()
    for row in rows:
        child = existing.get(row.child_id)
        if child is None:
            new.append(
                Child(
                    child_id=row.child_id,
                    first_name=PLACEHOLDER_FIRST_NAME,
                    last_name=row.child_id,
                    **row.fields,
                )
            )
            continue
        differences = {f: v for f, v in row.fields.items() if getattr(child, f) != v}
        if differences:
            for name, value in differences.items():
                setattr(child, name, value)
            changed.append(child)
            changed_fields.update(differences)
        else:
            counts.unchanged += 1
    created = write_with_history(Child, new, changed, changed_fields, actor)
    counts.created, counts.updated = len(created), len(changed)
    return existing | {child.child_id: child for child in created}


def _setting_for(row: EpisodeRow, settings: dict[str, Setting], placement: Placement | None):
    urn = row.fields["urn"]
    if urn in settings:
        return settings[urn]
    if (
        placement is not None
        and placement.setting is not None
        and not placement.setting.urn
        and urn in ("", NO_URN)
    ):
        # A setting without a URN (an unregistered one, say): the 903 cannot name it,
        # so a link someone made stands.
        return placement.setting
    return None


def _save_episodes(rows: list[EpisodeRow], children: dict[str, Child], actor, counts: Counts):
    existing = {
        (placement.child_id, placement.decom): placement
        for placement in Placement.objects.filter(
            child_id__in=[child.pk for child in children.values()]
        ).select_related("setting")
    }
    urns = {row.fields["urn"] for row in rows} - {"", NO_URN}
    settings = {setting.urn: setting for setting in Setting.objects.filter(urn__in=urns)}
    new, changed, changed_fields = [], [], set()
    for row in rows:
        child = children[row.child_id]
        placement = existing.get((child.pk, row.decom))
        setting = _setting_for(row, settings, placement)
        if placement is None:
            new.append(
                Placement(
                    child=child,
                    decom=row.decom,
                    setting=setting,
                    permanent=row.fields["place"] in codes.PERMANENT_PLACE_CODES,
                    **row.fields,
                )
            )
            continue
        differences = {f: v for f, v in row.fields.items() if getattr(placement, f) != v}
        if placement.setting_id != (setting.pk if setting else None):
            differences["setting"] = setting
        if differences:
            for name, value in differences.items():
                setattr(placement, name, value)
            changed.append(placement)
            changed_fields.update(differences)
        else:
            counts.unchanged += 1
    write_with_history(Placement, new, changed, changed_fields, actor)
    counts.created, counts.updated = len(new), len(changed)


def _save_reviews(rows: list[ReviewRow], children: dict[str, Child], actor) -> Counts:
    """LAC reviews (reviews.LacReview), keyed by (child, review date)."""

    counts = Counts()
    existing = {
        (review.child_id, review.review_date): review
        for review in LacReview.objects.filter(
            child_id__in=[child.pk for child in children.values()]
        )
    }
    new, changed = [], []
    for row in rows:
        child = children[row.child_id]
        review = existing.get((child.pk, row.review_date))
        if review is None:
            new.append(
                LacReview(child=child, review_date=row.review_date, review_code=row.review_code)
            )
        elif review.review_code != row.review_code:
            review.review_code = row.review_code
            changed.append(review)
        else:
            counts.unchanged += 1
    write_with_history(LacReview, new, changed, {"review_code"}, actor)
    counts.created, counts.updated = len(new), len(changed)
    return counts


def import_directory(
    path, *, stdout: TextIO, actor=None, prune: bool = False, year: int | None = None
) -> ImportSummary:
    """Import header.csv, episodes.csv and (if there) reviews.csv and missing.csv from a
    directory.

    Raises Ssda903ImportError, naming the file and line, and saves nothing, if any row
    is bad. `actor` is recorded as the history user (None from the command line).
    The episodes the files no longer have are listed (returns.prune) and, with `prune`,
    removed in the same transaction; `year`: the return's collection year, if not the
    files' own.
    """
    directory = Path(path)
    files = read_directory(directory, stdout=stdout)
    summary = ImportSummary(directory=directory)
    with transaction.atomic():
        stdout.write(f"Saving {len(files.header):,} children…\n")
        children = _save_children(files.header, actor, summary.children)
        stdout.write(f"Saving {len(files.episodes):,} episodes…\n")
        _save_episodes(files.episodes, children, actor, summary.episodes)
        if files.reviews is not None:
            summary.reviews_read = len(files.reviews)
            summary.reviews = _save_reviews(files.reviews, children, actor)
        if files.missing is not None:
            # After the episodes: a new missing episode is linked to the placement then.
            stdout.write(f"Saving {len(files.missing):,} missing episodes…\n")
            summary.missing = save_missing(files.missing, children, actor)
        summary.stale = prune_stale(files, children, year=year, remove=prune, actor=actor)
    return summary


# --- Export -----------------------------------------------------------------------------


def header_row(child: dict, year: int) -> dict[str, str]:
    """A header.csv row from a Child's values (child_id, date_of_birth, ...)."""
    return {
        "CHILD": child["child_id"],
        "SEX": sex_to_903(child["sex"], year),
        "DOB": format_date(child["date_of_birth"]),
        "ETHNIC": child["ethnicity"],
        "UPN": child["upn"],
        "MOTHER": child["mother"],
        "MC_DOB": format_date(child["mother_child_dob"]),
    }


def episode_row(episode: dict, year: int) -> dict[str, str]:
    """An episodes.csv row from a Placement's values (child__child_id, decom, ...).

    An episode that ends after the collection year was open at its end: the DfE
    validator refuses a DEC after 31 March (rules 354/385), wants DEC and REC both
    blank or both given (148) and no REASON_PLACE_CHANGE without a DEC (233), so all
    three are written blank.
    """
    _, year_end = collection_bounds(year)
    ended = episode["dec"] is not None and episode["dec"] <= year_end
    return {
        "CHILD": episode["child__child_id"],
        "DECOM": format_date(episode["decom"]),
        "RNE": episode["rne"],
        "LS": episode["ls"],
        "CIN": episode["cin"],
        "PLACE": episode["place"],
        "PLACE_PROVIDER": episode["place_provider"],
        "DEC": format_date(episode["dec"]) if ended else "",
        "REC": episode["rec"] if ended else "",
        "REASON_PLACE_CHANGE": episode["reason_place_change"] if ended else "",
        "HOME_POST": episode["home_post"],
        "PL_POST": episode["pl_post"],
        "URN": episode["urn"],
    }


@dataclass
class ExportSummary:
    year: int
    directory: Path
    children: int = 0
    episodes: int = 0
    open_at_year_end: int = 0
    reviews: int = 0
    missing: int = 0
    codes_not_in_year: dict[str, int] = field(default_factory=dict)


def export_year(year: int, out_dir, *, stdout: TextIO) -> ExportSummary:
    """Write header.csv, episodes.csv, reviews.csv and missing.csv for the collection year
    `year`."""
    start, end = collection_bounds(year)
    directory = Path(out_dir)
    directory.mkdir(parents=True, exist_ok=True)
    summary = ExportSummary(year=year, directory=directory)
    label = f"{year}-{str(year + 1)[-2:]}"

    episodes = list(
        episodes_in_year(year)
        .order_by("child__child_id", "decom", "pk")
        .values("child_id", "child__child_id", "decom", *EPISODE_FIELDS)
    )
    rows = []
    for episode in episodes:
        if episode["dec"] is not None and episode["dec"] > end:
            summary.open_at_year_end += 1
        row = episode_row(episode, year)
        problems = codes.invalid_codes({c: row[c] for c in CODE_COLUMNS}, start)
        for column in problems:
            key = f"{column} {row[column]}"
            summary.codes_not_in_year[key] = summary.codes_not_in_year.get(key, 0) + 1
        rows.append(row)
    write_csv(directory / EPISODES_FILE, EPISODE_COLUMNS, rows)
    summary.episodes = len(rows)
    stdout.write(f"{EPISODES_FILE}: {summary.episodes:,} episodes open in {label}\n")
    if summary.open_at_year_end:
        stdout.write(
            f"{EPISODES_FILE}: {summary.open_at_year_end:,} of them end after "
            f"{format_date(end)}: written open (DEC, REC and REASON_PLACE_CHANGE blank)\n"
        )
    if summary.codes_not_in_year:
        listed = ", ".join(f"{code} ×{n}" for code, n in sorted(summary.codes_not_in_year.items()))
        stdout.write(
            f"{EPISODES_FILE}: warning: codes not in the {label} lists, which the DfE "
            f"validator will report: {listed}\n"
        )

    children = (
        Child.objects.filter(pk__in={episode["child_id"] for episode in episodes})
        .order_by("child_id")
        .values("pk", "child_id", *CHILD_FIELDS)
    )
    header = [header_row(child, year) for child in children]
    write_csv(directory / HEADER_FILE, HEADER_COLUMNS, header)
    summary.children = len(header)
    stdout.write(f"{HEADER_FILE}: {summary.children:,} children\n")

    reviews = [
        {
            "CHILD": review.child.child_id,
            "DOB": format_date(review.child.date_of_birth),
            "REVIEW": format_date(review.review_date),
            "REVIEW_CODE": review.review_code,
        }
        for review in LacReview.objects.filter(review_date__range=(start, end))
        .select_related("child")
        .order_by("child__child_id", "review_date")
    ]
    write_csv(directory / REVIEWS_FILE, REVIEW_COLUMNS, reviews)
    summary.reviews = len(reviews)
    stdout.write(f"{REVIEWS_FILE}: {summary.reviews:,} reviews\n")

    missing = missing_rows(year, {c["pk"]: (c["child_id"], c["date_of_birth"]) for c in children})
    write_csv(directory / MISSING_FILE, MISSING_COLUMNS, missing.rows)
    summary.missing = len(missing.rows)
    stdout.write(f"{MISSING_FILE}: {summary.missing:,} missing episodes\n")
    if missing.open_at_year_end:
        stdout.write(
            f"{MISSING_FILE}: {missing.open_at_year_end:,} of them end after "
            f"{format_date(end)}: written open (MIS_END blank)\n"
        )
    if missing.not_in_header:
        stdout.write(
            f"{MISSING_FILE}: {missing.not_in_header:,} missing episodes in {label} of children "
            f"with no episode in it (so not in {HEADER_FILE}): not written; the DfE validator "
            "wants each child of missing.csv in header.csv\n"
        )
    return summary
