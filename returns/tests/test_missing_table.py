"""The SSDA903 ``Missing`` table: ``missing.csv`` in (``import_903``) and out
(``export_903``), returns.missing_table."""

import csv
import io
import shutil
from datetime import date, time
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command

from missing.models import EpisodeKind, MissingEpisode, ReportedBy
from placements.models import Child, Placement
from placements.tests.factories import ChildFactory, PlacementFactory

FIXTURE = Path(__file__).parent / "data" / "903"
HEADING = "CHILD,DOB,MISSING,MIS_START,MIS_END"

pytestmark = pytest.mark.django_db


def run_import(directory, *args) -> str:
    out = io.StringIO()
    call_command("import_903", str(directory), *args, stdout=out)
    return out.getvalue()


def run_export(directory, year=2025) -> str:
    out = io.StringIO()
    call_command("export_903", "--year", str(year), "--out", str(directory), stdout=out)
    return out.getvalue()


def with_missing(tmp_path, *rows: str) -> Path:
    """The fixture return with ``missing.csv`` of these rows."""
    target = tmp_path / "in"
    shutil.copytree(FIXTURE, target, dirs_exist_ok=True)
    (target / "missing.csv").write_text("\n".join((HEADING, *rows)) + "\n")
    return target


def episodes(child_id: str) -> list[tuple]:
    return list(
        MissingEpisode.objects.filter(child__child_id=child_id)
        .order_by("start_date")
        .values_list("kind", "start_date", "end_date")
    )


# --- Import --------------------------------------------------------------------------------


def test_import_records_the_episodes_as_imported_from_the_placement_then():
    output = run_import(FIXTURE)

    assert "Missing episodes: 8 created, 0 updated, 0 unchanged." in output
    assert episodes("K400101") == [
        ("M", date(2025, 3, 30), date(2025, 4, 2)),
        ("M", date(2025, 6, 14), date(2025, 6, 15)),
        ("A", date(2025, 8, 2), date(2025, 8, 2)),
        ("M", date(2026, 3, 20), None),  # no MIS_END: still open
    ]
    assert set(MissingEpisode.objects.values_list("reported_by", flat=True)) == {ReportedBy.IMPORT}
    assert MissingEpisode.history.count() == 8
    # Missing from the placement the child was in on the day: K400102 moved on 07/10/2025.
    moved = MissingEpisode.objects.get(child__child_id="K400102")
    assert moved.placement == Placement.objects.get(child=moved.child, decom=date(2025, 10, 7))
    short_stay = MissingEpisode.objects.get(child__child_id="K400104")
    assert short_stay.placement.decom == date(2025, 6, 20)  # the 12-day T1 placement


def test_importing_the_same_file_again_changes_nothing():
    run_import(FIXTURE)
    history = MissingEpisode.history.count()

    output = run_import(FIXTURE)

    assert "Missing episodes: 0 created, 0 updated, 8 unchanged." in output
    assert MissingEpisode.history.count() == history


def test_a_return_without_missing_csv_imports_as_before(tmp_path):
    target = tmp_path / "in"
    shutil.copytree(FIXTURE, target)
    (target / "missing.csv").unlink()

    output = run_import(target)

    assert "Missing episodes" not in output
    assert not MissingEpisode.objects.exists()


def test_a_changed_end_updates_the_episode_and_a_blank_one_keeps_the_end_recorded(tmp_path):
    run_import(FIXTURE)
    ep = MissingEpisode.objects.get(child__child_id="K400102")
    ep.end_time = time(21, 15)
    ep.save()
    open_one = MissingEpisode.objects.get(child__child_id="K400101", start_date=date(2026, 3, 20))
    open_one.end_date, open_one.end_time = date(2026, 3, 22), time(8, 0)  # returned since
    open_one.save()
    ended_one = MissingEpisode.objects.get(child__child_id="K400108")
    changed = with_missing(
        tmp_path,
        "K400101,12/05/2012,M,20/03/2026,",  # open in the file: ended here, kept
        "K400102,03/11/2009,A,05/11/2025,10/11/2025",  # kind and end corrected
        "K400108,17/03/2009,M,01/01/2026,05/01/2026",  # the same
    )

    output = run_import(changed)

    assert "Missing episodes: 0 created, 1 updated, 2 unchanged." in output
    assert "Missing episodes the file has open but recorded here as ended: 1" in output
    ep.refresh_from_db()
    assert (ep.kind, ep.end_date, ep.end_time) == ("A", date(2025, 11, 10), None)
    assert ep.history.first().history_change_reason == "Updated from SSDA903 import"
    open_one.refresh_from_db()
    assert (open_one.end_date, open_one.end_time) == (date(2026, 3, 22), time(8, 0))
    ended_one.refresh_from_db()
    assert ended_one.end_date == date(2026, 1, 5)


def test_an_end_on_the_same_date_keeps_its_time(tmp_path):
    run_import(FIXTURE)
    ep = MissingEpisode.objects.get(child__child_id="K400102")
    ep.end_time = time(21, 15)
    ep.save()

    run_import(FIXTURE)

    ep.refresh_from_db()
    assert (ep.end_date, ep.end_time) == (date(2025, 11, 9), time(21, 15))


def test_prune_leaves_missing_episodes_the_file_no_longer_has(tmp_path):
    run_import(FIXTURE)
    fewer = with_missing(tmp_path, "K400102,03/11/2009,M,05/11/2025,09/11/2025")

    run_import(fewer, "--prune")

    assert MissingEpisode.objects.count() == 8


BAD_ROWS = [
    (
        "K499999,12/05/2012,M,14/06/2025,15/06/2025",
        "missing.csv line 3: CHILD K499999 is not in header.csv.",
    ),
    (
        "K400101,12/05/2012,M,14/06/2025,13/06/2025",
        "missing.csv line 3: MIS_END 13/06/2025 is before MIS_START 14/06/2025",
    ),
    (
        "K400101,12/05/2012,M,01/08/2025,03/08/2025",
        "missing.csv line 3: CHILD K400101: the episode from 01/08/2025 to 03/08/2025 overlaps "
        "the one from 14/06/2025, open on line 2.",
    ),
    (
        "K400101,12/05/2012,M,14/06/2025,",
        "missing.csv line 3: CHILD K400101 already has an episode starting 14/06/2025 (line 2).",
    ),
    (
        "K400101,12/05/2012,X,01/09/2025,02/09/2025",
        "missing.csv line 3: MISSING 'X' must be M (missing) or A",
    ),
    (
        "K400101,13/05/2012,M,01/09/2025,02/09/2025",
        "missing.csv line 3: DOB 13/05/2012 is not CHILD K400101's date of birth in header.csv "
        "(12/05/2012, line 2).",
    ),
    (
        "K400101,12/05/2012,M,2025-09-01,",
        "missing.csv line 3: MIS_START '2025-09-01' is not a date as DD/MM/YYYY.",
    ),
    (
        "K400101,12/05/2012,M,07/12/2026,08/12/2026",
        "missing.csv line 3: MIS_END 08/12/2026 is in the future (today is 07/12/2026).",
    ),
    ("K400101,12/05/2012,M,,", "missing.csv line 3: MIS_START is blank."),
]


@pytest.mark.parametrize(("row", "message"), BAD_ROWS)
def test_a_bad_row_is_refused_naming_its_line_and_nothing_is_saved(tmp_path, row, message):
    first = "K400101,12/05/2012,M,14/06/2025,"
    bad = with_missing(tmp_path, first, row)

    with (
        time_machine.travel("2026-12-07 12:00 +00:00", tick=False),
        pytest.raises(CommandError) as refused,
    ):
        run_import(bad)

    assert message in str(refused.value)
    assert "Nothing from the files was saved." in str(refused.value)
    assert not Child.objects.exists()
    assert not MissingEpisode.objects.exists()


def test_an_episode_ending_the_day_the_next_starts_does_not_overlap(tmp_path):
    run_import(
        with_missing(
            tmp_path,
            "K400101,12/05/2012,M,14/06/2025,15/06/2025",
            "K400101,12/05/2012,A,15/06/2025,16/06/2025",
        )
    )
    assert len(episodes("K400101")) == 2


def test_an_overlap_with_an_episode_recorded_here_is_refused_and_nothing_saved(tmp_path):
    child = ChildFactory(child_id="K400101", date_of_birth=date(2012, 5, 12))
    recorded = MissingEpisode.objects.create(
        child=child, kind=EpisodeKind.MISSING, start_date=date(2025, 6, 13),
        start_time=time(22), end_date=date(2025, 6, 16),
    )  # fmt: skip
    bad = with_missing(tmp_path, "K400102,03/11/2009,M,05/11/2025,09/11/2025",
                       "K400101,12/05/2012,M,14/06/2025,15/06/2025")  # fmt: skip

    with pytest.raises(CommandError) as refused:
        run_import(bad)

    assert (
        "missing.csv line 3: CHILD K400101: the episode from 14/06/2025 to 15/06/2025 "
        "overlaps the one recorded here from 13/06/2025 to 16/06/2025; correct one of them."
    ) in str(refused.value)
    assert list(MissingEpisode.objects.all()) == [recorded]
    assert Child.objects.count() == 1


# --- Export --------------------------------------------------------------------------------


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_export_writes_the_years_episodes_an_episode_ending_later_open(tmp_path):
    child = ChildFactory(child_id="E1", date_of_birth=date(2011, 2, 3))
    PlacementFactory(child=child, decom=date(2024, 5, 1))
    lone = ChildFactory(child_id="E2")  # no placement episode in the year
    for start, end in [
        (date(2025, 3, 1), date(2025, 3, 31)),  # ended the day before the year: not in it
        (date(2025, 3, 31), date(2025, 4, 1)),  # into the year
        (date(2026, 3, 31), date(2026, 4, 1)),  # ends after it: written open
        (date(2026, 4, 1), None),  # after the year
    ]:
        MissingEpisode.objects.create(
            child=child, kind=EpisodeKind.AWAY, start_date=start, end_date=end
        )
    MissingEpisode.objects.create(child=lone, kind="M", start_date=date(2025, 6, 1))

    output = run_export(tmp_path)

    assert read_rows(tmp_path / "missing.csv") == [
        {"CHILD": "E1", "DOB": "03/02/2011", "MISSING": "A", "MIS_START": "31/03/2025",
         "MIS_END": "01/04/2025"},
        {"CHILD": "E1", "DOB": "03/02/2011", "MISSING": "A", "MIS_START": "31/03/2026",
         "MIS_END": ""},
    ]  # fmt: skip
    assert "missing.csv: 2 missing episodes" in output
    assert "missing.csv: 1 of them end after 31/03/2026: written open (MIS_END blank)" in output
    assert "missing.csv: 1 missing episodes in 2025-26 of children with no episode in it" in output
