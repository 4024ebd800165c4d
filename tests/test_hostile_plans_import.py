"""Hostile input into `import_plans FILE` and the IRO's followed sections of the worktray
(`/worktray/?follow=…`).

The import: every example either imports or stops with a CommandError naming the file and
a line (or the whole file), and a refused file saves nothing. The worktray: whatever
`follow` says, never a server error and nothing rendered unescaped.
"""

from __future__ import annotations

import csv
import io
import tempfile
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from placements.tests.factories import ChildFactory, PlacementFactory
from plans import importers
from plans.models import Plan, PlanKind
from tests.hostile import (
    HOSTILE,
    HOSTILE_IMPORT,
    LINE,
    SCRIPT,
    check_escaped,
    hostile_date_text,
    hostile_text,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 10, tzinfo=ZoneInfo("Europe/London"))
HEADER = ["child", "kind", "date", "by"]
WHOLE_FILE = ("there are no plans in the file",)
cell = hostile_text(2_000)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(social_worker, iro):
    child = ChildFactory(
        child_id="H1001", team=social_worker.team, social_worker=social_worker, iro=iro
    )
    PlacementFactory(child=child, decom=date(2025, 1, 6))
    return {"child": child, "iro": iro, "social_worker": social_worker}


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


@st.composite
def plan_rows(draw):
    header = draw(
        st.one_of(st.just(HEADER), st.just([h.upper() for h in HEADER]), st.lists(cell, max_size=5))
    )
    rows = [header]
    for _ in range(draw(st.integers(0, 4))):
        row = [
            draw(st.one_of(st.sampled_from(["H1001", "NOPE"]), cell)),
            draw(st.one_of(st.sampled_from(PlanKind.values), cell)),
            draw(st.one_of(st.sampled_from(["01/02/2025", "2025-06-01"]), hostile_date_text())),
            draw(st.one_of(st.just("Dr Lee"), hostile_text())),
        ]
        if draw(st.integers(0, 6)) == 0:
            row = row[: draw(st.integers(0, 3))] + draw(st.lists(cell, max_size=2))
        rows.append(row)
    return rows


def test_import_plans_survives_hostile_csv(world, monkeypatch):
    monkeypatch.setattr(importers, "refresh_for_children", lambda ids: None)

    @HOSTILE_IMPORT
    @given(rows=plan_rows())
    @example(rows=[HEADER, ["H1001", "pep", "2025-06-01", "a\x00"]])
    @example(rows=[HEADER, ["H1001", "x" * 131_073, "2025-06-01", "Dr Lee"]])
    @example(rows=[HEADER, ["H1001", "pep", "31/12/9999", SCRIPT]])
    def run(rows):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "plans.csv"
            path.write_text(_csv(rows), encoding="utf-8")
            with transaction.atomic():
                before = Plan.objects.count()
                try:
                    call_command("import_plans", str(path), stdout=io.StringIO())
                except CommandError as error:
                    text = str(error)
                    assert str(path) in text, text[:300]
                    assert LINE.search(text) or any(p in text for p in WHOLE_FILE), text[:300]
                    assert Plan.objects.count() == before, "rows saved despite the error"
                transaction.set_rollback(True)

    run()


def test_the_followed_sections_survive_hostile_query_strings(world):
    client = Client()
    client.force_login(world["iro"])
    url = reverse("duties:worktray")

    @HOSTILE
    @given(follow=hostile_text(500), fmt=st.sampled_from(["", "csv"]))
    @example(follow=SCRIPT, fmt="")
    @example(follow="reports-awaited", fmt="")
    def run(follow, fmt):
        params = {"follow": follow.replace("\x00", "")}
        if fmt:
            params["format"] = fmt
        response = client.get(url, params)
        assert response.status_code == 200
        if not response.streaming:
            check_escaped(response.content.decode(), f"worktray follow={follow!r}")

    run()
