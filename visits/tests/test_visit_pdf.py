"""The visit as a PDF that looks like the paper Purposeful Visiting Form."""

import shutil
import subprocess
from datetime import date

import pytest
from django.urls import reverse

from placements.tests.factories import ChildFactory, PlacementFactory, SettingFactory
from visits import services
from visits.models import VisitKind
from visits.tests.test_visit_form import NOW, SCRIPT, finished_visit, frozen_clock  # noqa: F401

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


def pdf_text(content: bytes, tmp_path, *, layout: bool = True) -> str:
    """The PDF's text; with `layout`, a table's row on one line, else in reading order."""
    path = tmp_path / "visit.pdf"
    path.write_bytes(content)
    options = ["-layout"] if layout else []
    return subprocess.run(
        ["pdftotext", *options, str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def child(social_worker):
    child = ChildFactory(
        team=social_worker.team,
        social_worker=social_worker,
        first_name="Ava",
        last_name="Ownteam",
        date_of_birth=date(2012, 5, 17),
    )
    PlacementFactory(
        child=child, setting=SettingFactory(name="Willow House"), decom=date(2025, 1, 6)
    )
    return child


@pytest.fixture
def draft(child, social_worker):
    return services.visit_start(
        child=child, kind=VisitKind.PURPOSEFUL, actor=social_worker, now=NOW
    )


@pytest.mark.django_db
def test_the_pdf_follows_the_paper_form(client, social_worker, draft, tmp_path):
    client.force_login(social_worker)
    visit = finished_visit(
        client,
        draft,
        escalate_to_line_manager="yes",
        seen_alone="no",
        others_present="Her key worker, Jo Bloggs",
    )
    response = client.get(reverse("visits:visit_pdf", args=[visit.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert (
        f"visit-{visit.child.child_id}-2026-03-09-{visit.pk}.pdf"
        in (response["Content-Disposition"])
    )
    text = pdf_text(response.content, tmp_path, layout=False)
    flat = " ".join(text.split())
    assert visit.child.child_id in flat
    assert "OFFICIAL-SENSITIVE" in flat
    assert "Purposeful Visiting Form" in flat and "Purposeful visit" in flat
    headings = [
        "Name and role of visiting professional",
        "Child or young person name",
        "Overview of visit",
        "Venue",
        "Visit within timescales?",
        "Where was the child or young person seen?",
        "Was the child or young person seen alone?",
        "Communication",
        "Visit record",
        "What issues were discussed?",
        "What is working well?",
        "What are you worried about?",
        "What needs to happen?",
        "Overview of setting or provision from the visit",
        "Reviewing of documents",
        "Document name",
        "Individual care plan",
        "Visiting log",
        "Additional information",
        "Does it need to be escalated to your line manager?",
        "Visiting professional’s signature",
        "Date of signature",
    ]
    positions = [flat.index(heading) for heading in headings]
    assert positions == sorted(positions), "the sections are in the paper form's order"
    assert "09/03/2026" in flat and "14:30" in flat
    assert "Her key worker, Jo Bloggs" in flat
    assert "Sam Worker" in flat
    assert "☒" in flat and "☐" in flat
    assert "Page 1 of" in flat


@pytest.mark.django_db
def test_the_pdf_ticks_the_answers(client, social_worker, draft, tmp_path):
    client.force_login(social_worker)
    visit = finished_visit(client, draft, within_timescales="yes", seen_alone="yes")
    text = pdf_text(client.get(reverse("visits:visit_pdf", args=[visit.pk])).content, tmp_path)
    lines = {" ".join(line.split()) for line in text.splitlines()}
    # Daily logs were seen, the incident reports were not, the visiting log is blank.
    assert any(line.startswith("Daily logs ☒ ☐") for line in lines), lines
    assert any(line.startswith("Incident reports ☐ ☒") for line in lines), lines
    assert any(line.startswith("Visiting log ☐ ☐") for line in lines), lines
    flat = " ".join(text.split())
    assert "☒ Yes ☐ No" in flat  # within timescales, seen alone
    assert "☐ Yes ☒ No" in flat  # escalate to line manager
    assert "☒ In person ☐ Virtually" in flat


@pytest.mark.django_db
def test_free_text_is_printed_as_text(client, social_worker, draft, tmp_path):
    client.force_login(social_worker)
    visit = finished_visit(client, draft, worried_about=SCRIPT, venue="<b>Bold</b> & Co")
    text = " ".join(
        pdf_text(client.get(reverse("visits:visit_pdf", args=[visit.pk])).content, tmp_path).split()
    )
    assert SCRIPT in text  # escaped, so shown as typed rather than read as markup
    assert "<b>Bold</b> & Co" in text


@pytest.mark.django_db
def test_a_draft_prints_as_a_draft(client, social_worker, draft, tmp_path):
    client.force_login(social_worker)
    response = client.get(reverse("visits:visit_pdf", args=[draft.pk]))
    assert response.status_code == 200
    text = " ".join(pdf_text(response.content, tmp_path).split())
    assert "DRAFT: not finished or signed" in text


@pytest.mark.django_db
def test_another_teams_worker_cannot_print_it(client, other_team_worker, draft):
    client.force_login(other_team_worker)
    assert client.get(reverse("visits:visit_pdf", args=[draft.pk])).status_code == 404


@pytest.mark.django_db
def test_an_amended_version_says_so(client, social_worker, draft, tmp_path):
    client.force_login(social_worker)
    original = finished_visit(client, draft)
    amendment = services.visit_amend(visit=original, reason="Wrong time", actor=social_worker)
    finished_visit(client, amendment, visit_time="15:45")
    old = " ".join(
        pdf_text(
            client.get(reverse("visits:visit_pdf", args=[original.pk])).content, tmp_path
        ).split()
    )
    assert "AMENDED: this version was replaced" in old
    new = " ".join(
        pdf_text(
            client.get(reverse("visits:visit_pdf", args=[amendment.pk])).content, tmp_path
        ).split()
    )
    assert "Reason: Wrong time" in new and "15:45" in new
