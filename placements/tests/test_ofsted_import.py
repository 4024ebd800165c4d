"""`import_ofsted`: Ofsted's provider-level file into settings and inspections."""

import io
from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command

from placements import ofsted, services
from placements.models import (
    Inspection,
    Provider,
    ProvisionType,
    Rating,
    RegistrationStatus,
    Regulator,
    Setting,
)
from placements.tests.factories import InspectionFactory, SettingFactory

DATA = Path(__file__).parent / "data" / "ofsted"
CURRENT = DATA / "providers_current.csv"
DOWNGRADE = DATA / "providers_current_downgrade.csv"
OLDER = DATA / "providers_older.csv"
MISSING_URN = DATA / "providers_missing_urn.csv"
AS_OF = date(2026, 11, 2)

pytestmark = pytest.mark.django_db


def run(path, *args, as_of="2026-11-02"):
    out = io.StringIO()
    options = ["--as-of", as_of] if as_of else []
    call_command("import_ofsted", str(path), *options, *args, stdout=out)
    return out.getvalue()


def history_rows():
    return (
        Setting.history.count(),
        Provider.history.count(),
        Inspection.history.count(),
    )


def edited(tmp_path, source: Path, line: int, old: str, new: str) -> Path:
    """A copy of `source` with `old` replaced by `new` on one (1-based) line."""
    lines = source.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    assert old in lines[line - 1], f"{old!r} is not on line {line}"
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path = tmp_path / source.name
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_new_urns_become_settings_with_the_register_fields_mapped():
    output = run(CURRENT)

    assert Setting.objects.count() == 7
    oak = Setting.objects.get(urn="SC100001")
    assert oak.name == "Oak House"
    assert oak.provision_type == ProvisionType.CHILDRENS_HOME
    assert oak.regulator == Regulator.OFSTED
    assert oak.registration_status == RegistrationStatus.ACTIVE
    assert oak.registration_date == date(2019, 2, 14)
    # Ofsted withholds children's home addresses: "REDACTED" is not an address.
    assert (oak.address_line_1, oak.town, oak.postcode) == ("", "Maidstone", "")
    assert (oak.local_authority, oak.ofsted_region) == ("Kent", "South East")
    assert oak.places == 4
    assert oak.web_link == "https://reports.ofsted.gov.uk/provider/44/SC100001"
    assert oak.provider.name == "Brightwood Care Ltd"
    assert oak.provider.sector == Provider.Sector.PRIVATE
    assert (oak.current_rating, oak.current_rating_date) == (Rating.GOOD, date(2026, 3, 12))

    ash = Setting.objects.get(urn="SC100002")
    assert ash.provision_type == ProvisionType.SECURE_CHILDRENS_HOME
    assert (ash.address_line_1, ash.town, ash.postcode) == ("1 Hill Road", "Canterbury", "CT1 2AB")
    assert (ash.provider.name, ash.provider.sector) == (
        "Kent County Council",
        Provider.Sector.LOCAL_AUTHORITY,
    )
    assert ash.current_rating == Rating.OUTSTANDING

    fostering = Setting.objects.get(urn="1200003")
    assert fostering.provision_type == ProvisionType.IFA_FOSTERING
    assert fostering.places is None
    assert fostering.provider == oak.provider  # one provider, found by name
    assert fostering.current_rating == Rating.REQUIRES_IMPROVEMENT

    school = Setting.objects.get(urn="SC100004")
    assert school.provision_type == ProvisionType.RESIDENTIAL_SPECIAL_SCHOOL
    assert school.registration_status == RegistrationStatus.SUSPENDED
    assert (school.provider.name, school.provider.sector) == (
        "Hill View Trust, The",
        Provider.Sector.VOLUNTARY,
    )
    # "Requires improvement" without "to be good" is the same judgement.
    assert school.current_rating == Rating.REQUIRES_IMPROVEMENT

    lodgings = Setting.objects.get(urn="2000005")
    assert lodgings.provision_type == ProvisionType.SUPPORTED_ACCOMMODATION
    assert lodgings.current_rating == Rating.NOT_YET_INSPECTED
    assert not lodgings.inspections.exists()

    centre = Setting.objects.get(urn="SC100006")
    assert centre.provision_type == ProvisionType.OTHER
    assert centre.registration_status == RegistrationStatus.CANCELLED
    assert centre.current_rating == Rating.INADEQUATE

    breaks = Setting.objects.get(urn="SC100007")
    assert breaks.provision_type == ProvisionType.OTHER  # "Short break scheme" is unknown
    assert breaks.registration_status == RegistrationStatus.RESIGNED
    # No owner in the file: the provider is named after the setting.
    assert (breaks.provider.name, breaks.provider.sector) == ("Riverside Short Breaks", "")
    assert not breaks.inspections.exists()

    assert Provider.objects.count() == 6
    assert Inspection.objects.count() == 5
    inspection = oak.inspections.get()
    assert inspection.inspection_date == date(2026, 3, 12)
    assert inspection.publication_date == date(2026, 4, 2)
    assert inspection.event_type == "Full inspection"
    assert inspection.overall_judgement == Rating.GOOD
    assert inspection.previous_judgement == Rating.NOT_YET_INSPECTED
    assert inspection.source == Inspection.Source.IMPORT
    assert inspection.recorded_on == AS_OF
    assert inspection.recorded_by is None
    assert not inspection.is_downgrade

    assert oak.history.first().history_change_reason == "Rated Good"
    assert oak.history.last().history_change_reason == ofsted.CREATED_REASON

    for line in [
        "Rows read: 7",
        "Settings created: 7",
        "Settings updated: 0",
        "Settings unchanged: 0",
        "Inspections recorded: 5",
        "Downgrades: 0",
        "Unknown provision types: 1",
        "Unknown provision type: 'Short break scheme' × 1, recorded as Other",
    ]:
        assert line in output.splitlines()


def test_an_ofsted_file_with_one_judgement_changed_from_good_to_inadequate_produces_exactly_one_new_inspection_reported_as_a_downgrade():  # noqa: E501
    # The second file is the first with one row's judgement (and its dates) changed.
    first = CURRENT.read_text().splitlines()
    second = DOWNGRADE.read_text().splitlines()
    assert [a for a, b in zip(first, second, strict=True) if a != b] == [first[3]]
    run(CURRENT)
    before = set(Inspection.objects.values_list("pk", flat=True))

    output = run(DOWNGRADE, as_of="2026-11-03")

    new = Inspection.objects.exclude(pk__in=before)
    assert new.count() == 1
    inspection = new.get()
    assert inspection.setting.urn == "SC100001"
    assert inspection.inspection_date == date(2026, 10, 12)
    assert inspection.publication_date == date(2026, 10, 30)
    assert (inspection.previous_judgement, inspection.overall_judgement) == (
        Rating.GOOD,
        Rating.INADEQUATE,
    )
    assert inspection.is_downgrade is True
    assert inspection.recorded_on == date(2026, 11, 3)
    oak = Setting.objects.get(urn="SC100001")
    assert (oak.current_rating, oak.current_rating_date) == (Rating.INADEQUATE, date(2026, 10, 12))
    lines = output.splitlines()
    assert "Downgrade: URN SC100001 Oak House: Good → Inadequate (inspected 12/10/2026)" in lines
    assert "Downgrades: 1" in lines
    assert "Inspections recorded: 1" in lines
    assert "Settings unchanged: 7" in lines
    assert sum(line.startswith("Downgrade:") for line in lines) == 1


def test_the_summary_hands_back_the_downgrades_from_the_inspection_service(monkeypatch):
    run(CURRENT)
    calls = []
    record = services.inspection_record

    def spy(**kwargs):
        calls.append(kwargs)
        return record(**kwargs)

    monkeypatch.setattr(services, "inspection_record", spy)

    summary = ofsted.import_file(DOWNGRADE, as_of=AS_OF, stdout=io.StringIO())

    assert len(calls) == 1
    assert calls[0]["source"] == Inspection.Source.IMPORT
    assert calls[0]["actor"] is None
    assert calls[0]["recorded_on"] == AS_OF
    assert len(summary.downgrades) == 1
    result = summary.downgrades[0]
    assert isinstance(result, services.InspectionResult)
    assert (result.created, result.downgrade, result.became_current) == (True, True, True)
    assert result.inspection.setting.urn == "SC100001"
    assert summary.downgrade_lines() == [
        "Downgrade: URN SC100001 Oak House: Good → Inadequate (inspected 12/10/2026)"
    ]


def test_importing_the_same_file_again_changes_nothing():
    run(CURRENT)
    inspections = list(Inspection.objects.order_by("pk").values_list("pk", flat=True))
    history = history_rows()

    output = run(CURRENT, as_of="2026-11-09")

    lines = output.splitlines()
    for line in [
        "Rows read: 7",
        "Settings created: 0",
        "Settings updated: 0",
        "Settings unchanged: 7",
        "Inspections recorded: 0",
        "Downgrades: 0",
    ]:
        assert line in lines
    assert list(Inspection.objects.order_by("pk").values_list("pk", flat=True)) == inspections
    assert history_rows() == history
    assert not Inspection.objects.filter(recorded_on=date(2026, 11, 9)).exists()


def test_changed_register_details_are_saved_with_history_and_unchanged_settings_are_not(tmp_path):
    run(CURRENT)
    oak = Setting.objects.get(urn="SC100001")
    oak.address_line_1 = "1 Oak Lane"  # known to the authority; Ofsted withholds it
    oak.save()
    ash_history = Setting.objects.get(urn="SC100002").history.count()
    path = edited(tmp_path, CURRENT, 4, ",Active,Oak House,", ",Suspended,Oak House,")
    path = edited(
        tmp_path, path, 4, ",Private,4,Brightwood Care Ltd,", ",Private,5,Acorn Care Ltd,"
    )

    output = run(path)

    oak = Setting.objects.get(urn="SC100001")
    assert oak.registration_status == RegistrationStatus.SUSPENDED
    assert oak.places == 5
    assert oak.provider.name == "Acorn Care Ltd"
    assert oak.address_line_1 == "1 Oak Lane"
    assert oak.postcode == ""
    assert oak.history.first().history_change_reason == (
        "Updated from Ofsted data file: registration status, places, provider"
    )
    assert Setting.objects.get(urn="SC100002").history.count() == ash_history
    assert "Settings updated: 1" in output.splitlines()
    assert "Settings unchanged: 6" in output.splitlines()


def test_an_older_format_file_is_read_through_the_header_aliases():
    run(CURRENT)

    output = run(OLDER)

    elm = Setting.objects.get(urn="SC200001")
    # Byte-order mark, "Setting name", "Owner name", a curly apostrophe in the type.
    assert elm.name == "Elm Cottage"
    assert elm.provision_type == ProvisionType.CHILDRENS_HOME
    assert elm.provider.name == "Elmtree Homes Ltd"
    assert (elm.ofsted_region, elm.local_authority, elm.places) == ("South East", "Kent", 3)
    assert elm.web_link == ""
    # "Latest full inspection date" and "Latest full inspection: Overall experiences ..."
    inspection = elm.inspections.get()
    assert (inspection.inspection_date, inspection.overall_judgement) == (
        date(2021, 6, 14),
        Rating.GOOD,
    )
    assert inspection.event_type == "Full inspection"
    assert inspection.publication_date is None
    birch = Setting.objects.get(urn="SC200002")
    assert birch.current_rating == Rating.REQUIRES_IMPROVEMENT
    assert birch.provider.sector == Provider.Sector.LOCAL_AUTHORITY
    # An existing URN under a new owner and name; "Not yet inspected" records nothing.
    fostering = Setting.objects.get(urn="1200003")
    assert fostering.name == "Elmtree Fostering"
    assert fostering.provider == elm.provider
    assert fostering.web_link == "https://reports.ofsted.gov.uk/provider/44/1200003"
    assert fostering.current_rating == Rating.REQUIRES_IMPROVEMENT
    assert fostering.inspections.count() == 1
    lines = output.splitlines()
    assert "Settings created: 2" in lines
    assert "Settings updated: 1" in lines
    assert "Inspections recorded: 2" in lines


def test_a_file_saved_from_excel_in_windows_1252_is_read(tmp_path):
    path = tmp_path / "cp1252.csv"
    path.write_bytes(
        "URN,Provision type,Name,Inspection date,Overall experiences and progress of "
        "children and young people\r\nSC400001,Children\u2019s home,Caf\u00e9 House,"
        "01/02/2026,Good\r\n".encode("cp1252")
    )

    run(path)

    setting = Setting.objects.get(urn="SC400001")
    assert (setting.name, setting.provision_type) == ("Caf\u00e9 House", "childrens_home")
    assert setting.current_rating == Rating.GOOD


def test_a_missing_required_column_is_named_and_nothing_is_saved():
    with pytest.raises(CommandError) as error:
        run(MISSING_URN)

    assert "missing required column: URN" in str(error.value)
    assert str(MISSING_URN) in str(error.value)
    assert Setting.objects.count() == 0


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        (
            ",Overall experiences and progress of children and young people",
            ",Overall judgement of something else",
            "missing required column: Overall experiences and progress of children and "
            "young people",
        ),
        (",Inspection date,", ",Date,", "missing required column: Inspection date"),
        (",Provision type,", ",Kind,", "missing required column: Provision type"),
        (",Name,", ",Title,", "missing required column: Name"),
    ],
)
def test_each_required_column_is_named_when_missing(tmp_path, old, new, named):
    path = edited(tmp_path, CURRENT, 3, old, new)

    with pytest.raises(CommandError) as error:
        run(path)

    assert f"{path} line 3: {named}" in str(error.value)
    assert Setting.objects.count() == 0


@pytest.mark.parametrize(
    ("line", "old", "new", "reason"),
    [
        (9, "15/09/2025", "31/09/2025", "Inspection date '31/09/2025' is not a date as DD/MM/YYYY"),
        (9, "15/09/2025", "2025-09-15", "Inspection date '2025-09-15' is not a date as DD/MM/YYYY"),
        (9, ",Inadequate", ",Adequate", "unknown judgement 'Adequate'"),
        (9, ",Private,3,", ",Private,three,", "Places 'three' is not a whole number"),
        (9, ",Cancelled,", ",Closed,", "unknown registration status 'Closed'"),
        (9, ",15/09/2025,", ",,", "a judgement of 'Inadequate' with no inspection date"),
        (9, ",SC100006,", ",SC100002,", "URN SC100002 appears twice (first on line 5)"),
        # Refused by the model as the row is saved, after earlier rows were written.
        (9, "CT9 1AA", "CT9 1AA EXTRA", "Postcode: Ensure this value has at most 10 characters"),
    ],
)
def test_a_bad_row_stops_the_import_naming_file_and_line_and_nothing_is_saved(
    tmp_path, line, old, new, reason
):
    path = edited(tmp_path, CURRENT, line, old, new)

    with pytest.raises(CommandError) as error:
        run(path)

    assert str(error.value).startswith(f"{path} line {line}: {reason}")
    assert error.value.returncode == 1
    assert Setting.objects.count() == 0
    assert Provider.objects.count() == 0
    assert Inspection.objects.count() == 0
    assert history_rows() == (0, 0, 0)


def test_a_bad_row_leaves_an_earlier_import_as_it_was(tmp_path):
    run(CURRENT)
    history = history_rows()
    path = edited(tmp_path, DOWNGRADE, 9, ",Private,3,", ",Private,3.5,")

    with pytest.raises(CommandError, match=r"line 9: Places '3\.5' is not a whole number"):
        run(path)

    assert history_rows() == history
    assert Setting.objects.get(urn="SC100001").current_rating == Rating.GOOD


def test_as_of_is_the_day_recorded():
    run(CURRENT, as_of="2026-10-20")

    assert set(Inspection.objects.values_list("recorded_on", flat=True)) == {date(2026, 10, 20)}


def test_as_of_defaults_to_today_in_london():
    with time_machine.travel("2026-06-30 23:30 +0000", tick=False):
        run(CURRENT, as_of=None)

    assert set(Inspection.objects.values_list("recorded_on", flat=True)) == {date(2026, 7, 1)}


@pytest.mark.parametrize("value", ["20/10/2026", "2026-13-01", "yesterday", "20261020"])
def test_an_invalid_as_of_is_refused(value):
    with pytest.raises(CommandError, match="--as-of must be a date as YYYY-MM-DD"):
        run(CURRENT, as_of=value)

    assert Setting.objects.count() == 0


def test_a_judgement_older_than_the_latest_recorded_does_not_change_the_current_rating():
    oak = SettingFactory(
        urn="SC100001",
        name="Oak House",
        current_rating=Rating.OUTSTANDING,
        current_rating_date=date(2026, 9, 1),
    )
    InspectionFactory(
        setting=oak, inspection_date=date(2026, 9, 1), overall_judgement=Rating.OUTSTANDING
    )

    output = run(CURRENT)  # Oak House: Good, inspected 12/03/2026

    oak.refresh_from_db()
    assert (oak.current_rating, oak.current_rating_date) == (Rating.OUTSTANDING, date(2026, 9, 1))
    older = oak.inspections.get(inspection_date=date(2026, 3, 12))
    assert older.overall_judgement == Rating.GOOD
    assert older.is_downgrade is False
    assert "Downgrades: 0" in output.splitlines()


def test_progress_is_printed_every_500_rows_and_lookups_are_not_per_row(
    tmp_path, django_assert_max_num_queries
):
    header = CURRENT.read_text().splitlines()[2]
    rows = [
        f"https://reports.ofsted.gov.uk/provider/44/SC{500000 + n},SC{500000 + n},Children's home,"
        f"01/01/2020,Active,Home {n},,Town,,South East,South East,Kent,Private,3,"
        f"Provider {n % 40} Ltd,Full inspection,01/03/2026,01/04/2026,Good"
        for n in range(1001)
    ]
    path = tmp_path / "large.csv"
    path.write_text("\n".join([header, *rows]) + "\n")

    output = run(path)

    lines = output.splitlines()
    assert lines[:2] == ["500 of 1001 rows imported", "1000 of 1001 rows imported"]
    assert "Settings created: 1001" in lines
    assert Provider.objects.count() == 40
    # A second import of the same file looks everything up in a handful of queries.
    with django_assert_max_num_queries(10):
        output = run(path)
    assert "Settings unchanged: 1001" in output.splitlines()


# --- Dates from the future (issue 24, finding 1) ------------------------------------------


@pytest.mark.parametrize(
    ("inspected", "refused"),
    [("01/11/2026", False), ("02/11/2026", False), ("03/11/2026", True), ("12/03/2062", True)],
)
def test_a_judgement_dated_after_the_day_received_is_refused_and_nothing_is_saved(
    tmp_path, inspected, refused
):
    path = edited(tmp_path, CURRENT, 4, "12/03/2026", inspected)  # Oak House
    if refused:
        with pytest.raises(CommandError, match=r"line 4: .*after 02/11/2026"):
            run(path)  # as of 2 November 2026
        assert Setting.objects.count() == 0 and Inspection.objects.count() == 0
    else:
        run(path)
        oak = Setting.objects.get(urn="SC100001")
        assert oak.current_rating_date == date(2026, 11, int(inspected[:2]))


@pytest.mark.parametrize(("as_of", "refused"), [("2026-11-02", False), ("2026-11-03", True)])
def test_as_of_after_today_is_refused(as_of, refused):
    with time_machine.travel("2026-11-02 12:00 +0000", tick=False):
        if refused:
            with pytest.raises(CommandError, match="--as-of cannot be after today"):
                run(CURRENT, as_of=as_of)
            assert Setting.objects.count() == 0
        else:
            run(CURRENT, as_of=as_of)
            assert Setting.objects.exists()


def test_as_of_far_in_the_future_is_refused_not_a_traceback():
    with pytest.raises(CommandError, match="--as-of cannot be after today"):
        run(CURRENT, as_of="9999-12-31")
