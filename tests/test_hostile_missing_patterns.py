"""Hostile input into the patterns of missing: the period filter of a child's and a setting's
patterns and of the missing figures (GET: never a server error, nothing unescaped, a refused
period explained beside its field), and a hostile ``missing.csv`` given to ``import_903``
(refused with the file and line, saving nothing, or imported).
"""

from __future__ import annotations

import csv
import io
import tempfile
from datetime import date, time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from missing.models import EpisodeKind, MissingEpisode
from placements.models import Child, Placement
from placements.tests.factories import ChildFactory, PlacementFactory, SettingFactory
from tests.hostile import (
    HOSTILE,
    HOSTILE_IMPORT,
    LINE,
    SCRIPT,
    check_escaped,
    hostile_date_parts,
    hostile_date_text,
    hostile_text,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(social_worker, team_manager):
    home = SettingFactory(name=f"Oak {SCRIPT}")
    child = ChildFactory(
        team=social_worker.team, social_worker=social_worker, first_name=SCRIPT, last_name="x"
    )
    placement = PlacementFactory(child=child, setting=home, decom=date(2025, 1, 6))
    MissingEpisode.objects.create(
        child=child,
        placement=placement,
        kind=EpisodeKind.MISSING,
        start_date=date(2026, 6, 1),
        start_time=time(22),
        end_date=date(2026, 6, 2),
        where_found_detail=SCRIPT,
    )
    return {
        "urls": [
            (social_worker, reverse("missing:child_patterns", args=[child.pk])),
            (social_worker, reverse("missing:setting_patterns", args=[home.pk])),
            (team_manager, reverse("missing:figures")),
        ],
        "team": str(social_worker.team.pk),
    }


@st.composite
def period_query(draw, team: str) -> dict:
    query: dict = {}
    for name in ("start", "end"):
        if draw(st.integers(0, 6)) == 0:
            continue
        for i, part in enumerate(draw(hostile_date_parts())):
            query[f"{name}_{i}"] = part
        if draw(st.integers(0, 8)) == 0:
            query[name] = draw(hostile_text(200))
    if draw(st.booleans()):
        query["team"] = draw(st.one_of(st.just(team), hostile_text(200), st.just("99999999")))
    if draw(st.integers(0, 4)) == 0:
        query["page"] = draw(st.one_of(st.just("2"), hostile_text(100)))
    if draw(st.integers(0, 6)) == 0:
        query["format"] = "csv"
    return query


@pytest.mark.parametrize("which", [0, 1, 2], ids=["child", "setting", "figures"])
def test_the_period_filter_survives_hostile_input(world, which):
    user, url = world["urls"][which]
    client = Client()
    client.force_login(user)

    @HOSTILE
    @given(query=period_query(world["team"]))
    @example(query={"start_0": "1", "start_1": "1", "start_2": "1", "end_0": "31",
                    "end_1": "12", "end_2": "9999"})  # fmt: skip
    @example(query={"start_0": "1", "start_1": "1", "start_2": "9" * 30})
    def run(query):
        response = client.get(url, query)
        assert response.status_code == 200, (url, query, response.status_code)
        if response.get("Content-Type", "").startswith("text/csv"):
            assert b"".join(response.streaming_content).startswith(b"level,name,urn,")
            return
        html = response.content.decode()
        check_escaped(html, url)
        form = response.context["form"]
        if form.is_bound and form.errors:
            assert "There is a problem" in html
            assert "govuk-error-message" in html

    run()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            {"start_0": "1", "start_1": "6", "start_2": "2026", "end_0": "1", "end_1": "1",
             "end_2": "2026"},
            "The end of the period must be on or after its start",
        ),
        (
            {"start_0": "1", "start_1": "1", "start_2": "2020", "end_0": "1", "end_1": "1",
             "end_2": "2026"},
            "Choose a period of 3 years or less",
        ),
        ({"start_0": "30", "start_1": "2", "start_2": "2026"}, "Enter a real date"),
        ({"team": SCRIPT}, "Select a valid choice"),
    ],
)  # fmt: skip
def test_a_refused_period_is_explained_beside_the_field(world, query, message):
    user, url = world["urls"][2]
    client = Client()
    client.force_login(user)

    response = client.get(url, query)

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html and "govuk-error-message" in html
    check_escaped(html, url)


# --- A hostile missing.csv -------------------------------------------------------------


HEADER = ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]
EPISODES = ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
            "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"]  # fmt: skip
MISSING = ["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"]
GOOD_HEADER = ["C900001", "1", "17/05/2012", "WBRI", "", "", ""]
GOOD_EPISODE = ["C900001", "06/01/2025", "S", "C2", "N1", "K2", "PR4", "", "", "", "", "", ""]
GOOD_MISSING = ["C900001", "17/05/2012", "M", "01/06/2025", "03/06/2025"]

cell = hostile_text(300)


@st.composite
def missing_files(draw) -> list[list[str]]:
    rows = [list(MISSING)]
    if draw(st.integers(0, 6)) == 0:
        rows[0][draw(st.integers(0, 4))] = draw(cell)
    for _ in range(draw(st.integers(1, 4))):
        rows.append(
            [
                draw(st.one_of(st.just("C900001"), st.just("C999999"), cell)),
                draw(st.one_of(st.just("17/05/2012"), hostile_date_text())),
                draw(st.one_of(st.sampled_from(["M", "A", "m", "X", ""]), cell)),
                draw(st.one_of(st.sampled_from(["01/06/2025", "02/06/2025"]), hostile_date_text())),
                draw(st.one_of(st.sampled_from(["", "03/06/2025"]), hostile_date_text())),
            ][: draw(st.integers(3, 6))]
        )
    return rows


def _csv(rows) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def counts() -> tuple:
    return (Child.objects.count(), Placement.objects.count(), MissingEpisode.objects.count())


def test_import_903_survives_a_hostile_missing_csv():
    @HOSTILE_IMPORT
    @given(rows=missing_files())
    @example(rows=[MISSING, GOOD_MISSING, ["C900001", "17/05/2012", "M", "02/06/2025", ""]])
    @example(rows=[MISSING, ["C900001", "17/05/2012", "M", "01/06/2025", "31/12/9999"]])
    @example(rows=[MISSING, ["C900001", "17/05/2012", "A" * 131_073, "01/06/2025", ""]])
    @example(rows=[MISSING, [SCRIPT, "17/05/2012", "M", "01/06/2025", ""]])
    def run(rows):
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "header.csv").write_text(_csv([HEADER, GOOD_HEADER]))
            (Path(tmp) / "episodes.csv").write_text(_csv([EPISODES, GOOD_EPISODE]))
            (Path(tmp) / "missing.csv").write_text(_csv(rows), encoding="utf-8")
            with transaction.atomic():
                before = counts()
                try:
                    call_command("import_903", tmp, stdout=io.StringIO())
                except CommandError as error:
                    text = str(error)
                    assert "missing.csv" in text, text[:300]
                    assert LINE.search(text), text[:300]
                    assert "Nothing from the files was saved." in text
                    assert counts() == before
                else:
                    imported = MissingEpisode.objects.filter(child__child_id="C900001")
                    assert imported.count() <= len(rows) - 1
                    for ep in imported:
                        assert ep.end_date is None or ep.end_date >= ep.start_date
                transaction.set_rollback(True)

    run()
