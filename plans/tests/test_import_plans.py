"""`import_plans FILE`: a child's plans and assessments, all or nothing, with line-numbered
errors; the same file again adds nothing."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from accounts.tests.factories import UserFactory
from duties.models import Duty
from placements.tests.factories import ChildFactory, PlacementFactory
from plans import importers
from plans.models import HealthStage, Plan, PlanKind, Source

LONDON = ZoneInfo("Europe/London")
HEADER = "child,kind,date,by\n"
TODAY = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime(2026, 3, 10, 10, 0, tzinfo=LONDON), tick=False):
        yield


@pytest.fixture
def refreshed(monkeypatch):
    """What the duties engine was asked to recompute, call by call."""
    calls = []
    monkeypatch.setattr(importers, "refresh_for_children", lambda ids: calls.append(list(ids)))
    return calls


@pytest.fixture
def children(db):
    """A1001: in care from 8 Jan 2024, two placements end to start, out of care from 1 Dec
    2025 and back from 2 Feb 2026. A1002: in care from 2 Jan 2025."""
    first = ChildFactory(child_id="A1001", date_of_birth=date(2012, 5, 17))
    second = ChildFactory(child_id="A1002", date_of_birth=date(2010, 1, 2))
    PlacementFactory(child=first, decom=date(2024, 1, 8), dec=date(2025, 6, 1), rec="E3")
    PlacementFactory(child=first, decom=date(2025, 6, 1), dec=date(2025, 12, 1), rec="E11")
    PlacementFactory(child=first, decom=date(2026, 2, 2))
    PlacementFactory(child=second, decom=date(2025, 1, 2))
    return first, second


def write(tmp_path, body: str, *, header: str = HEADER, name="plans.csv"):
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


def run(path) -> str:
    out = StringIO()
    call_command("import_plans", str(path), stdout=out)
    return out.getvalue()


def refused(path) -> str:
    with pytest.raises(CommandError) as error:
        run(path)
    assert "Nothing from the file was saved." in str(error.value)
    assert Plan.objects.count() == 0
    return str(error.value)


@pytest.mark.django_db
def test_imports_each_kind_with_both_date_forms(tmp_path, children, refreshed):
    first, second = children
    path = write(
        tmp_path,
        "A1001,care_plan,15/01/2024,Jo Smith\n"
        "A1001,PLACEMENT_PLAN,2025-06-03,Jo Smith\n"
        "\n"
        "A1002,pep,1/2/2025,Ms Patel (designated teacher)\n"
        "A1002,pathway_plan,2026-03-10,Pat Adviser\n"
        "A1002,updated_assessment,09/03/2026,Jo Smith\n",
    )
    output = run(path)
    assert "5 rows read." in output
    assert "5 plans and assessments imported, for 2 children." in output
    assert "0 rows skipped: already recorded." in output
    plans = {(p.child.child_id, p.kind): p for p in Plan.objects.select_related("placement")}
    assert set(plans) == {
        ("A1001", "care_plan"),
        ("A1001", "placement_plan"),
        ("A1002", "pep"),
        ("A1002", "pathway_plan"),
        ("A1002", "updated_assessment"),
    }
    assert plans["A1001", "care_plan"].completed_on == date(2024, 1, 15)
    assert plans["A1002", "pep"].completed_on == date(2025, 2, 1)
    assert plans["A1002", "pep"].completed_by_name == "Ms Patel (designated teacher)"
    assert all(p.source == Source.IMPORT for p in plans.values())
    # The placement plan is for the placement the child was in that day: the second.
    assert plans["A1001", "placement_plan"].placement.decom == date(2025, 6, 1)
    assert plans["A1001", "care_plan"].placement is None
    # Recomputed once, for the children with something new.
    assert refreshed == [sorted([first.pk, second.pk])]


@pytest.mark.django_db
def test_history_names_the_importing_user_and_the_reason(tmp_path, children, refreshed):
    importer = UserFactory(username="migrator")
    path = write(tmp_path, "A1001,care_plan,15/01/2024,Jo Smith\n")
    importers.import_plans(path, actor=importer)
    plan = Plan.objects.get()
    assert plan.recorded_by == importer
    record = plan.history.get()
    assert record.history_user == importer
    assert record.history_type == "+"
    assert record.history_change_reason == importers.CHANGE_REASON


@pytest.mark.django_db
def test_health_assessment_is_initial_when_first_of_the_period_of_care(
    tmp_path, children, refreshed
):
    path = write(
        tmp_path,
        # First period of care (from 8 Jan 2024, across two placements end to start).
        "A1001,health_assessment,05/02/2024,Dr Lee\n"
        "A1001,health_assessment,2025-02-01,Dr Lee\n"
        "A1001,health_assessment,2025-07-01,Dr Lee\n"
        # Just after care ended: still that period's.
        "A1001,health_assessment,2025-12-03,Dr Lee\n"
        # Back in care from 2 Feb 2026: a new period, a new initial assessment.
        "A1001,health_assessment,2026-02-20,Dr Lee\n"
        # Rows out of date order: the stage follows the dates, not the lines.
        "A1002,health_assessment,2026-01-05,Dr Rao\n"
        "A1002,health_assessment,2025-01-20,Dr Rao\n",
    )
    run(path)
    stages = {
        (p.child.child_id, p.completed_on): p.stage
        for p in Plan.objects.filter(kind=PlanKind.HEALTH_ASSESSMENT)
    }
    assert stages == {
        ("A1001", date(2024, 2, 5)): HealthStage.INITIAL,
        ("A1001", date(2025, 2, 1)): HealthStage.REVIEW,
        ("A1001", date(2025, 7, 1)): HealthStage.REVIEW,
        ("A1001", date(2025, 12, 3)): HealthStage.REVIEW,
        ("A1001", date(2026, 2, 20)): HealthStage.INITIAL,
        ("A1002", date(2025, 1, 20)): HealthStage.INITIAL,
        ("A1002", date(2026, 1, 5)): HealthStage.REVIEW,
    }


@pytest.mark.django_db
def test_a_stored_health_assessment_makes_the_imported_one_a_review(tmp_path, children, refreshed):
    first, _ = children
    Plan.objects.create(
        child=first,
        kind=PlanKind.HEALTH_ASSESSMENT,
        stage=HealthStage.INITIAL,
        completed_on=date(2026, 2, 10),
    )
    run(write(tmp_path, "A1001,health_assessment,2026-03-01,Dr Lee\n"))
    imported = Plan.objects.get(source=Source.IMPORT)
    assert imported.stage == HealthStage.REVIEW


@pytest.mark.django_db
def test_importing_the_same_file_again_adds_nothing(tmp_path, children, refreshed):
    first, _ = children
    body = (
        "A1001,care_plan,15/01/2024,Jo Smith\n"
        "A1001,placement_plan,2026-02-02,Jo Smith\n"
        "A1002,health_assessment,2025-01-20,Dr Rao\n"
    )
    path = write(tmp_path, body)
    run(path)
    history = sum(p.history.count() for p in Plan.objects.all())
    output = run(path)
    assert "0 plans and assessments imported, for 0 children." in output
    assert "3 rows skipped: already recorded." in output
    assert Plan.objects.count() == 3
    assert sum(p.history.count() for p in Plan.objects.all()) == history
    assert len(refreshed) == 1  # nothing new: nothing to recompute the second time
    # A file with one new row adds that row alone.
    path = write(tmp_path, body + "A1001,pep,2026-02-10,Ms Patel\n")
    assert "1 plans and assessments imported, for 1 children." in run(path)
    assert refreshed[-1] == [first.pk]


@pytest.mark.django_db
def test_a_record_made_in_the_app_the_same_day_is_not_imported_twice(tmp_path, children, refreshed):
    first, _ = children
    Plan.objects.create(child=first, kind=PlanKind.CARE_PLAN, completed_on=date(2024, 1, 15))
    output = run(write(tmp_path, "A1001,care_plan,2024-01-15,Jo Smith\n"))
    assert "1 rows skipped: already recorded." in output
    assert Plan.objects.count() == 1


@pytest.mark.django_db
def test_the_header_is_the_contract(tmp_path, children, refreshed):
    path = write(tmp_path, "A1001,care_plan,15/01/2024,Jo\n", header="child,kind,when,by\n")
    assert (
        f"{path} line 1: the header must be exactly child,kind,date,by "
        "(found child,kind,when,by)." in refused(path)
    )
    # Case and spaces around the headings do not matter; a byte-order mark neither.
    path = write(tmp_path, "A1001,care_plan,15/01/2024,Jo\n", header="\ufeffChild, Kind ,DATE,by\n")
    assert "1 plans and assessments imported" in run(path)


@pytest.mark.django_db
def test_an_empty_file_or_a_missing_one_is_refused(tmp_path, children, refreshed):
    assert "there are no plans in the file" in refused(write(tmp_path, "\n\n"))
    assert "cannot read the file" in refused(tmp_path / "nope.csv")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("B9999,care_plan,15/01/2024,Jo", "unknown child 'B9999': no child has this 903 CHILD id."),
        (",care_plan,15/01/2024,Jo", "child is blank."),
        ("A10010000000,care_plan,15/01/2024,Jo", "child is longer than 10 characters."),
        ("A1001,care plan,15/01/2024,Jo", "kind must be one of care_plan, placement_plan, "),
        ("A1001,,15/01/2024,Jo", "kind is blank."),
        ("A1001,care_plan,,Jo", "date is blank."),
        ("A1001,care_plan,2024/01/15,Jo", "date must be DD/MM/YYYY or YYYY-MM-DD, not "),
        ("A1001,care_plan,31/02/2024,Jo", "date '31/02/2024' is not a date."),
        ("A1001,care_plan,2024-13-01,Jo", "date '2024-13-01' is not a date."),
        ("A1001,care_plan,11/03/2026,Jo", "date 11/03/2026 is in the future."),
        ("A1001,care_plan,16/05/2012,Jo", "date 16/05/2012 is before the child was born."),
        ("A1001,care_plan,15/01/2024,", "by is blank."),
        ("A1001,care_plan,15/01/2024," + "x" * 121, "by is longer than 120 characters."),
        ("A1001,care_plan,15/01/2024", "expected 4 values, found 3."),
        (
            "A1001,placement_plan,2025-12-15,Jo",
            "a placement plan dated 15/12/2025, but child A1001 was in no placement on that date.",
        ),
        (
            "A1001,placement_plan,2024-01-07,Jo",
            "a placement plan dated 07/01/2024, but child A1001 was in no placement on that date.",
        ),
    ],
)
def test_each_bad_row_is_refused_with_its_line(tmp_path, children, refreshed, row, reason):
    path = write(tmp_path, "A1002,care_plan,2025-01-10,Jo Smith\n\n" + row + "\n")
    message = refused(path)
    assert f"{path} line 4: {reason}" in message
    assert refreshed == []


@pytest.mark.django_db
def test_edges_of_the_dates_are_accepted(tmp_path, children, refreshed):
    """Today, the day of birth, and a placement plan on the first and last day of a
    placement (its end date is the next placement's start)."""
    path = write(
        tmp_path,
        "A1001,care_plan,10/03/2026,Jo\n"
        "A1001,pep,17/05/2012,Jo\n"
        "A1001,placement_plan,08/01/2024,Jo\n"
        "A1001,placement_plan,31/05/2025,Jo\n"
        "A1001,placement_plan,01/06/2025,Jo\n",
    )
    run(path)
    plans = Plan.objects.filter(kind=PlanKind.PLACEMENT_PLAN).select_related("placement")
    assert {(p.completed_on, p.placement.decom) for p in plans} == {
        (date(2024, 1, 8), date(2024, 1, 8)),
        (date(2025, 5, 31), date(2024, 1, 8)),
        (date(2025, 6, 1), date(2025, 6, 1)),
    }


@pytest.mark.django_db
def test_a_row_repeated_in_the_file_is_refused_naming_both_lines(tmp_path, children, refreshed):
    path = write(
        tmp_path,
        "A1001,care_plan,15/01/2024,Jo Smith\n"
        "A1001,pep,15/01/2024,Jo Smith\n"
        # The same day written the other way, by someone else: still the same record.
        "A1001,care_plan,2024-01-15,Pat\n",
    )
    assert f"{path} line 4: repeats line 2 (the same child, kind and date)." in refused(path)


@pytest.mark.django_db
def test_every_error_is_listed_in_line_order_and_nothing_is_saved(tmp_path, children, refreshed):
    path = write(
        tmp_path,
        "A1001,care_plan,15/01/2024,Jo\n"
        "A1001,placement_plan,2025-12-15,Jo\n"
        "nobody,care_plan,15/01/2024,Jo\n"
        "A1001,care_plan,15/01/2024,Jo\n",
    )
    message = refused(path)
    lines = [line for line in message.splitlines() if " line " in line]
    assert [line.split(":")[0] for line in lines] == [f"{path} line {n}" for n in (3, 4, 5)]


@pytest.mark.django_db
def test_a_long_file_shows_progress_and_runs_in_a_bounded_number_of_queries(
    tmp_path, django_assert_num_queries
):
    """5,000 rows for 500 children: read, checked and written in bulk; the query count
    does not grow with the rows (the duties are recomputed separately, once)."""
    children = ChildFactory.create_batch(500, date_of_birth=date(2010, 1, 1))
    for child in children:
        PlacementFactory(child=child, decom=date(2020, 1, 6))
    kinds = list(PlanKind.values)
    lines = []
    for n in range(5_000):
        child = children[n % 500]
        kind = kinds[(n // 500) % len(kinds)]
        day = date(2021 + n // 3000, 1 + (n // 500) % 12, 1 + n % 28)
        lines.append(f"{child.child_id},{kind},{day:%d/%m/%Y},Worker {n}\n")
    path = write(tmp_path, "".join(lines))
    calls = []
    out = StringIO()
    # 3 reads (children, placements, stored plans), then in the transaction (a savepoint
    # under the test's own) 5 batches of 1,000 rows, each one insert of the plans and one of
    # their history: 3 + 2 + 10.
    with django_assert_num_queries(15):
        summary = importers.import_plans(path, stdout=out, refresh=calls.append)
    assert summary.imported == 5_000 and Plan.objects.count() == 5_000
    assert len(calls) == 1 and len(calls[0]) == 500
    progress = out.getvalue().splitlines()
    assert [line for line in progress if "rows read" in line] == [
        f"{path}: {n:,} rows read" for n in range(1000, 5001, 1000)
    ]
    assert [line for line in progress if "plans saved" in line] == [
        f"{path}: {n:,} plans saved" for n in range(1000, 5001, 1000)
    ]


@pytest.mark.django_db
def test_the_childrens_duties_are_recomputed_at_the_end(tmp_path, children):
    """Without a stand-in: the children the file touched have their duties brought up to
    date by the engine (here the LAC review of the child back in care); others do not."""
    first, second = children
    assert not Duty.objects.exists()
    run(write(tmp_path, "A1001,care_plan,15/01/2024,Jo\n"))
    assert Duty.objects.filter(child=first, kind="lac_review", status="open").exists()
    assert not Duty.objects.filter(child=second).exists()
