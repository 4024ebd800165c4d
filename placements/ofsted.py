"""Import Ofsted's provider-level management information for children's social care.

The file is the CSV Ofsted publishes as "Management information - children's social
care providers and inspections" (provider level), or an older file of the same kind.
One row per URN: the register entry and the latest judgement.

All or nothing: every row is checked before anything is written, and the writes run in
one transaction, so a bad row (or a value the models refuse) leaves the database as it
was. Settings are written through `services.setting_save` and judgements through
`services.inspection_record`, so history is kept and whatever hangs off the inspection
service (the "Inadequate" concern workflow) fires for imported judgements too.
"""

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

from django.core.exceptions import ValidationError
from django.db import transaction

from core import csvfiles

from . import services
from .models import (
    Inspection,
    Provider,
    ProvisionType,
    Rating,
    RegistrationStatus,
    Regulator,
    Setting,
)

PROGRESS_EVERY = 500
DEFAULT_EVENT_TYPE = "Full inspection"
CREATED_REASON = "Added from Ofsted data file"
UPDATED_REASON = "Updated from Ofsted data file"


class OfstedImportError(Exception):
    """The file cannot be imported; the message names the file and, for a row, its line."""


# --- Columns --------------------------------------------------------------------------

# Each field and the headers Ofsted has used for it, preferred first. Headers are matched
# after normalising (case, whitespace, a byte-order mark, curly apostrophes, a trailing
# colon); a "Latest full inspection:" prefix or "(latest full inspection)" suffix is also
# tried without it, so "Latest full inspection: Overall experiences and progress of
# children and young people" finds the judgement.
COLUMNS: dict[str, tuple[str, ...]] = {
    "web_link": ("Web link", "Web link (opens in new window)", "Weblink", "Link"),
    "urn": ("URN", "Unique reference number", "Provider URN"),
    "provision_type": ("Provision type", "Provider type", "Type of provision", "Setting type"),
    "registration_date": ("Registration date", "Date of registration"),
    "registration_status": ("Registration status", "Provider status", "Status"),
    "name": ("Name", "Setting name", "Provider name"),
    "address_line_1": ("Address 1", "Address line 1", "Address"),
    "town": ("Town", "Town/city"),
    "postcode": ("Postcode", "Post code"),
    "ofsted_region": ("Ofsted region",),
    "local_authority": ("Local authority", "Local authority name", "LA"),
    "sector": ("Sector",),
    "places": ("Places", "Number of places", "Registered places", "Maximum number of places"),
    "owner": (
        "Organisation which owns the provider",
        "Owner name",
        "Organisation name",
        "Owner",
        "Registered provider",
    ),
    "event_type": ("Event type", "Inspection event type", "Inspection type"),
    "inspection_date": (
        "Inspection date",
        "Latest full inspection date",
        "Latest inspection date",
        "Inspection start date",
    ),
    "publication_date": (
        "Publication date",
        "Inspection publication date",
        "Latest full inspection publication date",
        "Report publication date",
    ),
    "judgement": (
        "Overall experiences and progress of children and young people",
        "Overall experiences and progress of service users",
        "Overall effectiveness",
        "Overall judgement",
        "Overall judgment",
    ),
}

# Named in the "missing required column" message; the first alias is what Ofsted uses now.
REQUIRED = ("urn", "name", "provision_type", "inspection_date", "judgement")
REQUIRED_LABELS = {
    "inspection_date": "Inspection date (or Latest full inspection date)",
    "judgement": "Overall experiences and progress of children and young people",
}

_PREFIX = re.compile(r"^latest (?:full )?inspection\s*[:\-–]?\s*")
_SUFFIX = re.compile(r"\s*\(latest (?:full )?inspection\)$")


def _normalise(text: str) -> str:
    text = (
        text.replace("\ufeff", "")
        .replace("\u00a0", " ")
        .replace("\u2019", "'")
        .replace("\u2018", "'")
    )
    return re.sub(r"\s+", " ", text).strip().rstrip(":").strip().casefold()


_ALIASES: dict[str, tuple[str, int]] = {
    _normalise(alias): (name, rank)
    for name, aliases in COLUMNS.items()
    for rank, alias in enumerate(aliases)
}


def _column_for(header: str) -> tuple[str, int] | None:
    text = _normalise(header)
    if text in _ALIASES:
        return _ALIASES[text]
    bare = _SUFFIX.sub("", _PREFIX.sub("", text))
    if bare != text and bare in _ALIASES:
        name, rank = _ALIASES[bare]
        return name, rank + len(COLUMNS[name])  # after every exact match
    return None


# --- Values ---------------------------------------------------------------------------

PROVISION_TYPES = {
    "children's home": ProvisionType.CHILDRENS_HOME,
    "secure children's home": ProvisionType.SECURE_CHILDRENS_HOME,
    "residential special school": ProvisionType.RESIDENTIAL_SPECIAL_SCHOOL,
    "residential special school (registered as a children's home)": (
        ProvisionType.RESIDENTIAL_SPECIAL_SCHOOL
    ),
    "independent fostering agency": ProvisionType.IFA_FOSTERING,
    "supported accommodation": ProvisionType.SUPPORTED_ACCOMMODATION,
    "supported accommodation undertaking": ProvisionType.SUPPORTED_ACCOMMODATION,
    "voluntary adoption agency": ProvisionType.OTHER,
    "adoption support agency": ProvisionType.OTHER,
    "residential family centre": ProvisionType.OTHER,
    "residential holiday scheme for disabled children": ProvisionType.OTHER,
    "boarding school": ProvisionType.OTHER,
    "further education college with residential accommodation": ProvisionType.OTHER,
}

REGISTRATION_STATUSES = {
    "active": RegistrationStatus.ACTIVE,
    "suspended": RegistrationStatus.SUSPENDED,
    "cancelled": RegistrationStatus.CANCELLED,
    "resigned": RegistrationStatus.RESIGNED,
}

SECTORS = {
    "local authority": Provider.Sector.LOCAL_AUTHORITY,
    "private": Provider.Sector.PRIVATE,
    "voluntary": Provider.Sector.VOLUNTARY,
    "health authority": Provider.Sector.HEALTH_AUTHORITY,
}

JUDGEMENTS = {
    "outstanding": Rating.OUTSTANDING,
    "good": Rating.GOOD,
    "requires improvement to be good": Rating.REQUIRES_IMPROVEMENT,
    "requires improvement": Rating.REQUIRES_IMPROVEMENT,
    "inadequate": Rating.INADEQUATE,
}
# No judgement to record.
NO_JUDGEMENT = frozenset({"", "not yet inspected", "not applicable", "n/a", "na", "-"})

# Ofsted withholds the addresses of children's homes; a withheld or blank value never
# replaces what the authority already holds.
WITHHELD = frozenset({"", "redacted", "[redacted]", "withheld", "not published"})

# Register fields kept from the file, in the order the update reason lists them.
REGISTER_FIELDS = (
    "name",
    "provision_type",
    "registration_status",
    "registration_date",
    "address_line_1",
    "town",
    "postcode",
    "local_authority",
    "ofsted_region",
    "places",
    "web_link",
)


class RowError(Exception):
    pass


def _text(value: str) -> str | None:
    value = re.sub(r"\s+", " ", value.replace("\u00a0", " ")).strip()
    return None if value.casefold() in WITHHELD else value


def _date(value: str, column: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", value):
        try:
            return datetime.strptime(value, "%d/%m/%Y").date()
        except ValueError:
            pass
    raise RowError(f"{column} '{value}' is not a date as DD/MM/YYYY")


# --- Rows -----------------------------------------------------------------------------


@dataclass
class Row:
    line: int
    urn: str
    provision_text: str
    provision_type: str | None  # None: a type this import does not know
    register: dict[str, object]  # field -> value, only what the file says
    owner: str | None
    sector: str | None
    event_type: str
    inspection_date: date | None
    publication_date: date | None
    judgement: str | None  # None: nothing to record


class _Columns:
    def __init__(self, header: list[str]):
        best: dict[str, tuple[int, int]] = {}
        for index, cell in enumerate(header):
            found = _column_for(cell)
            if found is None:
                continue
            name, rank = found
            if name not in best or rank < best[name][0]:
                best[name] = (rank, index)
        self.index = {name: index for name, (rank, index) in best.items()}
        self.header = {
            name: header[index].replace("\ufeff", "").strip() for name, index in self.index.items()
        }

    def missing(self) -> list[str]:
        return [
            REQUIRED_LABELS.get(name, COLUMNS[name][0])
            for name in REQUIRED
            if name not in self.index
        ]

    def __contains__(self, name: str) -> bool:
        return name in self.index

    def get(self, cells: list[str], name: str) -> str:
        index = self.index.get(name)
        if index is None or index >= len(cells):
            return ""
        return cells[index]

    def label(self, name: str) -> str:
        return self.header.get(name, COLUMNS[name][0])


def _parse_row(cells: list[str], line: int, columns: _Columns) -> Row:
    def value(name: str) -> str:
        return columns.get(cells, name)

    urn = value("urn").strip().upper()
    if not urn:
        raise RowError("no URN")
    if len(urn) > Setting._meta.get_field("urn").max_length:
        raise RowError(f"URN '{urn}' is longer than a URN can be")

    register: dict[str, object] = {}
    for name in ("name", "address_line_1", "town", "postcode", "local_authority"):
        text = _text(value(name))
        if text is not None:
            register[name] = text
    region = _text(value("ofsted_region"))
    if region is not None:
        register["ofsted_region"] = region
    link = _text(value("web_link"))
    if link is not None:
        register["web_link"] = link

    provision_text = _text(value("provision_type")) or ""
    provision_type = PROVISION_TYPES.get(_normalise(provision_text))
    if provision_type is not None:
        register["provision_type"] = provision_type

    status_text = _text(value("registration_status"))
    if status_text is not None:
        status = REGISTRATION_STATUSES.get(status_text.casefold())
        if status is None:
            raise RowError(f"unknown registration status '{status_text}'")
        register["registration_status"] = status

    registered = _date(value("registration_date"), columns.label("registration_date"))
    if registered is not None:
        register["registration_date"] = registered

    places = value("places").strip()
    if places:
        if not places.isdigit():
            raise RowError(f"{columns.label('places')} '{places}' is not a whole number")
        register["places"] = int(places)

    sector_text = _text(value("sector"))
    sector = SECTORS.get(sector_text.casefold()) if sector_text else None

    judgement_text = _normalise(value("judgement"))
    if judgement_text in NO_JUDGEMENT:
        judgement = None
    elif judgement_text in JUDGEMENTS:
        judgement = JUDGEMENTS[judgement_text]
    else:
        raise RowError(
            f"unknown judgement '{value('judgement').strip()}' in {columns.label('judgement')}"
        )
    inspected = _date(value("inspection_date"), columns.label("inspection_date"))
    if judgement is not None and inspected is None:
        raise RowError(f"a judgement of '{value('judgement').strip()}' with no inspection date")
    event_type = _text(value("event_type")) or DEFAULT_EVENT_TYPE
    if len(event_type) > Inspection._meta.get_field("event_type").max_length:
        raise RowError(f"{columns.label('event_type')} is too long")

    return Row(
        line=line,
        urn=urn,
        provision_text=provision_text,
        provision_type=provision_type,
        register=register,
        owner=_text(value("owner")),
        sector=sector,
        event_type=event_type,
        inspection_date=inspected,
        publication_date=_date(value("publication_date"), columns.label("publication_date")),
        judgement=judgement,
    )


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Files saved from Excel on Windows.
        return data.decode("cp1252", errors="replace")


def read_rows(path: str | Path) -> tuple[list[Row], _Columns]:
    """Every row of the file, checked; raises OfstedImportError at the first bad one."""
    path = Path(path)
    try:
        text = _read_text(path)
    except OSError as exc:
        raise OfstedImportError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    columns = None
    rows: list[Row] = []
    first_line: dict[str, int] = {}
    line_end = 0
    try:
        for cells in reader:
            line, line_end = line_end + 1, reader.line_num
            if any(csvfiles.NUL in cell for cell in cells):
                raise OfstedImportError(
                    f"{path} line {line}: a cell holds a NUL character, which is not text."
                )
            if not any(cell.strip() for cell in cells):
                continue
            if columns is None:
                if any(_normalise(cell) == "urn" for cell in cells):
                    columns = _Columns(cells)
                    missing = columns.missing()
                    if missing:
                        raise OfstedImportError(
                            f"{path} line {line}: "
                            + "; ".join(f"missing required column: {name}" for name in missing)
                        )
                continue
            try:
                row = _parse_row(cells, line, columns)
            except RowError as exc:
                raise OfstedImportError(f"{path} line {line}: {exc}") from None
            if row.urn in first_line:
                raise OfstedImportError(
                    f"{path} line {line}: URN {row.urn} appears twice "
                    f"(first on line {first_line[row.urn]})"
                )
            first_line[row.urn] = line
            rows.append(row)
    except csv.Error as exc:
        raise OfstedImportError(f"{path} line {reader.line_num}: {exc}") from None
    if columns is None:
        raise OfstedImportError(f"{path}: missing required column: URN (no header row found)")
    return rows, columns


# --- Import ---------------------------------------------------------------------------


@dataclass
class Summary:
    rows_read: int = 0
    settings_created: int = 0
    settings_updated: int = 0
    settings_unchanged: int = 0
    inspections_recorded: int = 0
    # The judgements that were downgrades, as `services.inspection_record` returned them.
    downgrades: list[services.InspectionResult] = field(default_factory=list)
    # Ofsted's provision type text -> rows; those settings were created as "Other".
    unknown_provision_types: Counter = field(default_factory=Counter)

    @staticmethod
    def downgrade_line(result: services.InspectionResult) -> str:
        inspection = result.inspection
        setting = inspection.setting
        before = Rating(inspection.previous_judgement).label
        after = Rating(inspection.overall_judgement).label
        return (
            f"Downgrade: URN {setting.urn} {setting.name}: {before} → {after} "
            f"(inspected {inspection.inspection_date:%d/%m/%Y})"
        )

    def downgrade_lines(self) -> list[str]:
        return [self.downgrade_line(result) for result in self.downgrades]

    def lines(self) -> list[str]:
        unknown = sum(self.unknown_provision_types.values())
        lines = [
            f"Rows read: {self.rows_read}",
            f"Settings created: {self.settings_created}",
            f"Settings updated: {self.settings_updated}",
            f"Settings unchanged: {self.settings_unchanged}",
            f"Inspections recorded: {self.inspections_recorded}",
            f"Downgrades: {len(self.downgrades)}",
            *self.downgrade_lines(),
            f"Unknown provision types: {unknown}",
        ]
        lines += [
            f"Unknown provision type: '{text}' × {count}, recorded as Other"
            for text, count in sorted(self.unknown_provision_types.items())
        ]
        return lines


class _Importer:
    def __init__(self, path: Path, rows: list[Row], columns: _Columns, as_of: date, stdout):
        self.path = path
        self.rows = rows
        self.columns = columns
        self.as_of = as_of
        self.stdout = stdout
        self.summary = Summary(rows_read=len(rows))

    def fail(self, row: Row, error: ValidationError):
        if hasattr(error, "error_dict"):
            reasons = [
                f"{self.columns.label(name) if name in COLUMNS else name}: {message}"
                for name, messages in error.message_dict.items()
                for message in messages
            ]
        else:
            reasons = error.messages
        raise OfstedImportError(f"{self.path} line {row.line}: {'; '.join(reasons)}") from None

    def run(self) -> Summary:
        urns = [row.urn for row in self.rows]
        self.settings = {s.urn: s for s in Setting.objects.filter(urn__in=urns)}
        self.providers = {p.name.strip().casefold(): p for p in Provider.objects.all()}
        self.recorded = set(
            Inspection.objects.filter(setting__urn__in=urns).values_list(
                "setting_id", "inspection_date", "event_type"
            )
        )
        total = len(self.rows)
        for done, row in enumerate(self.rows, start=1):
            self.import_row(row)
            if done % PROGRESS_EVERY == 0:
                self.stdout.write(f"{done} of {total} rows imported\n")
        return self.summary

    def provider(self, row: Row, name: str) -> Provider:
        provider = self.providers.get(name.casefold())
        if provider is None:
            provider = Provider(name=name, sector=row.sector or "")
            try:
                provider.full_clean(validate_unique=False)
            except ValidationError as error:
                self.fail(row, error)
            provider._change_reason = CREATED_REASON
            provider.save()
            self.providers[name.casefold()] = provider
        elif row.sector and not provider.sector:
            provider.sector = row.sector
            provider._change_reason = UPDATED_REASON
            provider.save(update_fields=["sector"])
        return provider

    def import_row(self, row: Row) -> None:
        if row.provision_type is None:
            self.summary.unknown_provision_types[row.provision_text or "(blank)"] += 1
        setting = self.settings.get(row.urn)
        if setting is None:
            setting = self.create(row)
        else:
            self.update(setting, row)
        self.record_judgement(setting, row)

    def create(self, row: Row) -> Setting:
        name = row.register.get("name") or f"URN {row.urn}"
        setting = Setting(
            urn=row.urn,
            provider=self.provider(row, row.owner or name),
            regulator=Regulator.OFSTED,
            **{**row.register, "name": name},
        )
        if row.provision_type is None:
            setting.provision_type = ProvisionType.OTHER
        try:
            services.setting_save(setting=setting, actor=None, reason=CREATED_REASON)
        except ValidationError as error:
            self.fail(row, error)
        self.settings[row.urn] = setting
        self.summary.settings_created += 1
        return setting

    def update(self, setting: Setting, row: Row) -> None:
        changed = [
            name
            for name in REGISTER_FIELDS
            if name in row.register and getattr(setting, name) != row.register[name]
        ]
        if setting.regulator != Regulator.OFSTED:
            changed.append("regulator")
        provider = self.provider(row, row.owner) if row.owner else None
        if provider is not None and provider.pk != setting.provider_id:
            changed.append("provider")
        if not changed:
            self.summary.settings_unchanged += 1
            return
        for name in changed:
            if name == "regulator":
                setting.regulator = Regulator.OFSTED
            elif name == "provider":
                setting.provider = provider
            else:
                setattr(setting, name, row.register[name])
        labels = ", ".join(Setting._meta.get_field(name).verbose_name for name in changed)
        try:
            services.setting_save(setting=setting, actor=None, reason=f"{UPDATED_REASON}: {labels}")
        except ValidationError as error:
            self.fail(row, error)
        self.summary.settings_updated += 1

    def record_judgement(self, setting: Setting, row: Row) -> None:
        if row.judgement is None:
            return
        if row.inspection_date > self.as_of:
            raise OfstedImportError(
                f"{self.path} line {row.line}: {self.columns.label('inspection_date')} "
                f"{row.inspection_date:%d/%m/%Y} is after {self.as_of:%d/%m/%Y}, the day the "
                "data was received: a judgement cannot be dated in the future."
            )
        key = (setting.pk, row.inspection_date, row.event_type)
        if key in self.recorded:
            return
        result = services.inspection_record(
            setting=setting,
            inspection_date=row.inspection_date,
            overall_judgement=row.judgement,
            recorded_on=self.as_of,
            actor=None,
            event_type=row.event_type,
            publication_date=row.publication_date,
            source=Inspection.Source.IMPORT,
        )
        self.recorded.add(key)
        if result.created:
            self.summary.inspections_recorded += 1
        if result.downgrade:
            self.summary.downgrades.append(result)


class _Quiet:
    def write(self, text: str) -> None:
        pass


def import_file(path: str | Path, *, as_of: date, stdout: TextIO | None = None) -> Summary:
    """Import one Ofsted provider-level CSV; nothing is saved unless every row imports."""
    path = Path(path)
    rows, columns = read_rows(path)
    with transaction.atomic():
        return _Importer(path, rows, columns, as_of, stdout or _Quiet()).run()
