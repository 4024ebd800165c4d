"""`import_visits FILE`: historical visits, all or nothing, with line-numbered errors."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from accounts.tests.factories import UserFactory
from placements.tests.factories import ChildFactory, PlacementFactory, SettingFactory
from visits import importers
from visits.models import Visit, VisitKind

LONDON = ZoneInfo("Europe/London")
HEADER = "child,date,kind,seen_alone,bedroom_seen,by\n"


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime(2026, 3, 10, 10, 0, tzinfo=LONDON), tick=False):
        yield


@pytest.fixture
def refreshed(monkeypatch):
    """What the duties engine was asked to recompute."""
    calls = []
    monkeypatch.setattr(importers, "after_visits_recorded", lambda ids: calls.append(list(ids)))
    return calls


@pytest.fixture
def children(db):
    first = ChildFactory(child_id="A1001", date_of_birth=date(2012, 5, 17))
    second = ChildFactory(child_id="A1002", date_of_birth=date(2010, 1, 2))
    old_home, new_home = SettingFactory(name="Oak House"), SettingFactory(name="Elm House")
    PlacementFactory(
        child=first, setting=old_home, decom=date(2024, 1, 8), dec=date(2025, 6, 1), rec="E3"
    )
    PlacementFactory(child=first, setting=new_home, decom=date(2025, 6, 1))
    return first, second


@pytest.fixture
def worker(db):
    return UserFactory(username="jsmith", first_name="Jo", last_name="Smith", job_title="SW")


def write(tmp_path, body: str, name="visits.csv"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def run(path) -> str:
    out = StringIO()
    call_command("import_visits", str(path), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_imports_history(tmp_path, children, worker, refreshed):
    first, second = children
    path = write(
        tmp_path,
        "A1001,2025-05-20,statutory,yes,no,jsmith\n"
        "A1001,2025-07-01,PURPOSEFUL,Y,True,Pat Former\n"
        "\n"
        "A1002,2026-03-10,iro,n,FALSE,JSmith\n",
    )
    output = run(path)
    assert "3 rows read." in output
    assert "3 visits imported, for 2 children." in output
    visits = {v.visited_at.date(): v for v in Visit.objects.all()}
    assert len(visits) == 3
    statutory = visits[date(2025, 5, 20)]
    assert statutory.child == first and statutory.kind == VisitKind.STATUTORY
    assert statutory.status == Visit.Status.FINISHED and statutory.source == Visit.Source.IMPORT
    assert statutory.visited_at == datetime(2025, 5, 20, 12, 0, tzinfo=LONDON)
    assert statutory.seen_alone is True and statutory.bedroom_seen is False
    assert statutory.visitor == worker and statutory.visitor_name == "Jo Smith"
    assert statutory.visitor_role == "SW"
    assert statutory.placement.setting.name == "Oak House"
    assert statutory.setting.name == "Oak House"
    purposeful = visits[date(2025, 7, 1)]
    assert purposeful.visitor is None and purposeful.visitor_name == "Pat Former"
    assert purposeful.placement.setting.name == "Elm House"
    assert purposeful.seen_alone is True and purposeful.bedroom_seen is True
    iro = visits[date(2026, 3, 10)]
    assert iro.child == second and iro.visitor == worker
    assert iro.placement is None and iro.setting is None
    assert statutory.history.get().history_change_reason == "Imported from the previous system"
    assert refreshed == [sorted([first.pk, second.pk])]


@pytest.mark.django_db
def test_importing_twice_adds_nothing(tmp_path, children, worker, refreshed):
    path = write(
        tmp_path,
        "A1001,2025-05-20,statutory,yes,no,jsmith\n"
        "A1001,2025-05-20,statutory,yes,no,jsmith\n"
        "A1001,2025-07-01,purposeful,no,no,Pat Former\n",
    )
    first = run(path)
    assert "2 visits imported" in first and "1 rows skipped: repeated in the file." in first
    second = run(path)
    assert "0 visits imported" in second
    assert "3 rows skipped: already imported." in second
    assert Visit.objects.count() == 2
    assert len(refreshed) == 1  # nothing new the second time: nothing to recompute


@pytest.mark.django_db
def test_a_browser_visit_on_the_same_day_is_not_a_duplicate(tmp_path, children, worker):
    Visit.objects.create(
        child=children[0],
        kind=VisitKind.STATUTORY,
        status=Visit.Status.FINISHED,
        visitor=worker,
        visitor_name="Jo Smith",
        visitor_role="SW",
        visited_at=datetime(2025, 5, 20, 12, 0, tzinfo=LONDON),
    )
    run(write(tmp_path, "A1001,2025-05-20,statutory,yes,no,jsmith\n"))
    assert Visit.objects.filter(source=Visit.Source.IMPORT).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("Z9999,2025-05-20,statutory,yes,no,jsmith", "unknown child 'Z9999'"),
        ("A1001,20/05/2025,statutory,yes,no,jsmith", "date must be YYYY-MM-DD, not '20/05/2025'"),
        ("A1001,2025-02-30,statutory,yes,no,jsmith", "2025-02-30 is not a date"),
        ("A1001,2026-03-11,statutory,yes,no,jsmith", "date 2026-03-11 is in the future"),
        (
            "A1001,2011-01-01,statutory,yes,no,jsmith",
            "date 2011-01-01 is before the child was born",
        ),
        ("A1001,2025-05-20,lado,yes,no,jsmith", "kind must be one of statutory, purposeful"),
        ("A1001,2025-05-20,statutory,maybe,no,jsmith", "seen_alone must be yes or no, not 'maybe'"),
        ("A1001,2025-05-20,statutory,yes,,jsmith", "bedroom_seen must be yes or no, not ''"),
        ("A1001,2025-05-20,statutory,yes,no,", "by is blank"),
        ("A1001,2025-05-20,statutory,yes,no", "expected 6 values, found 5"),
        ("A1001,2025-05-20,statutory,yes,no," + "x" * 151, "by is longer than 150 characters"),
    ],
)
def test_a_bad_row_is_reported_by_line_and_nothing_is_saved(
    tmp_path, children, worker, refreshed, row, reason
):
    path = write(tmp_path, "A1001,2025-05-20,iro,yes,no,jsmith\n\n" + row + "\n")
    with pytest.raises(CommandError) as error:
        run(path)
    message = str(error.value)
    assert f"{path} line 4: {reason}" in message
    assert "Nothing from the file was saved." in message
    assert not Visit.objects.exists()
    assert refreshed == []


@pytest.mark.django_db
def test_every_bad_row_is_reported(tmp_path, children):
    path = write(
        tmp_path,
        "Z1,2025-05-20,statutory,yes,no,a\nA1001,2025-05-20,statutory,yes,no,a\nZ2,x,y,z,w,\n",
    )
    with pytest.raises(CommandError) as error:
        run(path)
    assert f"{path} line 2: unknown child 'Z1'" in str(error.value)
    assert f"{path} line 4: unknown child 'Z2'" in str(error.value)
    assert "line 3" not in str(error.value)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header",
    [
        "child,date,kind,seen_alone,bedroom_seen\n",
        "date,child,kind,seen_alone,bedroom_seen,by\n",
        "",
    ],
)
def test_the_header_must_be_exact(tmp_path, children, header):
    path = tmp_path / "visits.csv"
    path.write_text(header + "A1001,2025-05-20,statutory,yes,no,jsmith\n" if header else "")
    with pytest.raises(CommandError) as error:
        run(path)
    assert (
        f"{path} line 1: the header must be exactly child,date,kind,seen_alone,bedroom_seen,by"
        in (str(error.value))
    )
    assert not Visit.objects.exists()


@pytest.mark.django_db
def test_a_header_with_a_byte_order_mark_and_capitals_is_read(tmp_path, children):
    path = tmp_path / "visits.csv"
    path.write_bytes(
        b"\xef\xbb\xbfChild,Date,Kind,Seen_alone,Bedroom_seen,By\r\n"
        b"A1001,2025-05-20,statutory,yes,no,Pat Former\r\n"
    )
    assert "1 visits imported" in run(path)


@pytest.mark.django_db
def test_a_missing_file_is_an_error(tmp_path):
    with pytest.raises(CommandError) as error:
        run(tmp_path / "nope.csv")
    assert "nope.csv: cannot read the file" in str(error.value)


@pytest.mark.django_db
def test_progress_every_thousand_rows(tmp_path, children, refreshed):
    first, _ = children
    start = date(2016, 1, 1).toordinal()
    rows = "".join(
        f"A1001,{date.fromordinal(start + n).isoformat()},statutory,yes,no,Pat\n"
        for n in range(2100)
    )
    output = run(write(tmp_path, rows))
    assert "visits.csv: 1,000 rows read" in output and "visits.csv: 2,000 rows read" in output
    assert "visits.csv: 1,000 visits saved" in output and "visits.csv: 2,100 visits saved" in output
    assert "2,100 visits imported, for 1 children." in output
    assert Visit.objects.count() == 2100
    assert refreshed == [[first.pk]]
