"""`import_903` again: the episodes the file no longer has are listed; `--prune` removes them."""

import io
import shutil
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from placements.models import Child, Placement
from placements.tests.factories import PlacementFactory
from returns import prune, ssda903
from returns.tests.test_ssda903 import FIXTURE, copy_fixture, edit
from visits.tests.factories import VisitFactory

pytestmark = pytest.mark.django_db

EPISODES = 64


def run(directory, *options) -> str:
    out = io.StringIO()
    call_command("import_903", str(directory), *options, stdout=out)
    return out.getvalue()


def corrected(tmp_path) -> Path:
    """The fixture with K400103's second episode's start put right: 12/08 -> 13/08/2025
    (episodes.csv line 6), so the episode held from 12/08/2025 is no longer in the file."""
    directory = copy_fixture(tmp_path)
    edit(directory, "episodes.csv", 6, "DECOM", "13/08/2025")
    edit(directory, "episodes.csv", 5, "DEC", "13/08/2025")
    return directory


def starts(child_id: str) -> list[date]:
    return list(
        Placement.objects.filter(child__child_id=child_id)
        .order_by("decom")
        .values_list("decom", flat=True)
    )


def test_collection_years_turn_on_the_first_of_april():
    assert prune.collection_year_of(date(2026, 3, 31)) == 2025
    assert prune.collection_year_of(date(2026, 4, 1)) == 2026
    assert prune.collection_year_of(date(2025, 4, 1)) == 2025
    assert prune.year_label(2025) == "2025-26"


def test_the_first_import_has_nothing_to_compare():
    output = run(FIXTURE)
    assert "Episodes in 2025-26 the files no longer have: none." in output


def test_reimport_lists_what_the_file_no_longer_has_and_removes_nothing(tmp_path):
    run(FIXTURE)
    output = run(corrected(tmp_path))
    assert (
        "Episodes in 2025-26 the database holds for these children that the files no longer "
        "have: 1." in output
    )
    assert "- CHILD K400103, DECOM 12/08/2025, open, PLACE U6: would be removed with --prune." in (
        output
    )
    assert "Nothing was removed: run again with --prune to remove them." in output
    assert Placement.objects.count() == EPISODES + 1
    assert starts("K400103") == [date(2025, 5, 15), date(2025, 8, 12), date(2025, 8, 13)]


def test_prune_removes_them_with_history(tmp_path):
    run(FIXTURE)
    stale = Placement.objects.get(child__child_id="K400103", decom=date(2025, 8, 12))
    output = run(corrected(tmp_path), "--prune")
    assert "- CHILD K400103, DECOM 12/08/2025, open, PLACE U6: removed." in output
    assert "Removed 1 of them." in output
    assert Placement.objects.count() == EPISODES
    assert starts("K400103") == [date(2025, 5, 15), date(2025, 8, 13)]
    gone = Placement.history.filter(id=stale.pk).latest("history_date")
    assert (gone.history_type, gone.history_change_reason) == ("-", prune.REMOVED_REASON)
    # Once removed, importing the same files again finds nothing to remove.
    assert "Episodes in 2025-26 the files no longer have: none." in run(
        corrected(tmp_path / "again"), "--prune"
    )


def test_prune_on_a_file_with_an_error_removes_nothing(tmp_path):
    run(FIXTURE)
    directory = corrected(tmp_path)
    edit(directory, "episodes.csv", 65, "CIN", "N9")
    with pytest.raises(CommandError, match="Nothing from the files was saved"):
        run(directory, "--prune")
    assert Placement.objects.count() == EPISODES
    assert starts("K400103") == [date(2025, 5, 15), date(2025, 8, 12)]


def test_only_the_files_children_in_the_files_year_are_compared(tmp_path):
    run(FIXTURE)
    k101 = Child.objects.get(child_id="K400101")
    # K400101's file has one episode, from 03/09/2023, open. These are not in the file:
    ended_before = PlacementFactory(
        child=k101, decom=date(2023, 1, 2), dec=date(2025, 3, 31), rec="X1"
    )  # ended the day before 2025-26 began: another year's
    ended_on_first_day = PlacementFactory(
        child=k101, decom=date(2023, 2, 2), dec=date(2025, 4, 1), rec="X1"
    )
    starts_last_day = PlacementFactory(child=k101, decom=date(2026, 3, 31))
    starts_after = PlacementFactory(child=k101, decom=date(2026, 4, 1))
    not_in_file = PlacementFactory(decom=date(2025, 6, 1))  # a child the file does not have
    output = run(FIXTURE, "--prune")
    assert "Removed 2 of them." in output
    remaining = set(Placement.objects.values_list("pk", flat=True))
    assert ended_on_first_day.pk not in remaining and starts_last_day.pk not in remaining
    assert {ended_before.pk, starts_after.pk, not_in_file.pk} <= remaining
    assert Placement.objects.count() == EPISODES + 3


def test_year_names_another_collection_year(tmp_path):
    run(FIXTURE)
    k101 = Child.objects.get(child_id="K400101")
    earlier = PlacementFactory(child=k101, decom=date(2023, 1, 2), dec=date(2024, 6, 1))
    this_year = PlacementFactory(child=k101, decom=date(2025, 6, 1), dec=date(2025, 7, 1))
    output = run(FIXTURE, "--year", "2024")
    assert "Episodes in 2024-25 the database holds" in output
    assert "DECOM 02/01/2023 to 01/06/2024, PLACE K2: would be removed" in output
    assert "01/06/2025" not in output
    run(FIXTURE, "--year", "2024", "--prune")
    assert not Placement.objects.filter(pk=earlier.pk).exists()
    assert Placement.objects.filter(pk=this_year.pk).exists()
    with pytest.raises(CommandError, match="--year 25 is not a collection year"):
        run(FIXTURE, "--year", "25")


def test_an_episode_with_visits_recorded_is_kept_and_said_so(tmp_path):
    run(FIXTURE)
    stale = Placement.objects.get(child__child_id="K400103", decom=date(2025, 8, 12))
    VisitFactory(child=stale.child, placement=stale, on=date(2025, 9, 1))
    VisitFactory(child=stale.child, placement=stale, on=date(2025, 10, 1))
    k101 = Child.objects.get(child_id="K400101")
    removable = PlacementFactory(child=k101, decom=date(2025, 6, 1), dec=date(2025, 7, 1))
    listed = run(corrected(tmp_path))
    assert "PLACE U6: kept: 2 visits recorded against it; correct it by hand." in listed
    output = run(corrected(tmp_path / "again"), "--prune")
    assert "PLACE U6: kept: 2 visits recorded against it; correct it by hand." in output
    assert "Removed 1 of them." in output
    assert Placement.objects.filter(pk=stale.pk).exists()
    assert not Placement.objects.filter(pk=removable.pk).exists()


def test_the_year_is_the_latest_date_in_the_files(tmp_path):
    directory = tmp_path / "in"
    shutil.copytree(FIXTURE, directory)
    files = ssda903.read_directory(directory)
    assert prune.file_year(files) == 2025


@pytest.mark.parametrize(
    "year", ["abc", "-1", "0", "1900", "99999999999999999999", "2025; DROP TABLE", "", "2025.5"]
)
def test_a_hostile_year_is_refused_and_nothing_is_removed(tmp_path, year):
    run(FIXTURE)
    directory = corrected(tmp_path)
    with pytest.raises(CommandError):
        run(directory, "--prune", "--year", year)
    assert Placement.objects.count() == EPISODES
    assert starts("K400103") == [date(2025, 5, 15), date(2025, 8, 12)]
