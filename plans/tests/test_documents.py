"""A plan's document: PDF or Word by content and name, under the size limit (refused beside
the field, nothing saved), stored under a random name, kept when replaced, and served only
by the download view to whoever may see the child."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.urls import reverse

from placements.models import AccessLog
from placements.tests.factories import ChildFactory, PlacementFactory
from plans import documents
from plans.models import Plan

from .helpers import DOC_BYTES, EXE_BYTES, PDF_BYTES, beside, docx_bytes, form_data, pdf, upload

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 11, tzinfo=ZoneInfo("Europe/London"))
TEN_MB = 10 * 1024 * 1024


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def child(social_worker):
    child = ChildFactory(team=social_worker.team, social_worker=social_worker)
    PlacementFactory(child=child, decom=date(2026, 1, 5))
    return child


def _post(client, child, document, **extra):
    return client.post(
        reverse("plans:plan_new", args=[child.pk]), {**form_data(**extra), "attachment": document}
    )


def _refused(response, message):
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    group = beside(html, "attachment")
    assert "govuk-error-message" in group and message in group, group[:2000]
    assert not Plan.objects.exists()


# --- Accepted ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "stored_type"),
    [
        ("Care plan March.pdf", PDF_BYTES, documents.PDF),
        ("care-plan.DOC", DOC_BYTES, documents.DOC),
        ("care-plan.docx", docx_bytes(), documents.DOCX),
    ],
)
def test_a_pdf_or_word_document_is_stored_under_a_random_name(
    client, social_worker, child, name, content, stored_type
):
    client.force_login(social_worker)
    # The browser's claim is not what is stored: the type found in the bytes is.
    response = _post(client, child, upload(name, content, content_type="text/html"))
    assert response.status_code == 302
    plan = Plan.objects.get()
    assert plan.attachment_name == name
    assert plan.attachment_type == stored_type
    assert plan.attachment_size == len(content)
    stored = plan.attachment.name
    assert stored.startswith(f"plans/{child.pk}/") and name.split(".")[0] not in stored
    assert default_storage.open(stored).read() == content
    assert plan.history.get().history_change_reason == "Recorded; document attached"


def test_a_document_of_exactly_the_limit_is_taken(client, social_worker, child, settings):
    settings.PLAN_ATTACHMENT_MAX_BYTES = 4096
    client.force_login(social_worker)
    assert _post(client, child, pdf(size=4096)).status_code == 302
    assert Plan.objects.get().attachment_size == 4096


# --- Refused ----------------------------------------------------------------------------------


def test_a_program_renamed_as_a_pdf_is_refused(client, social_worker, child):
    client.force_login(social_worker)
    _refused(
        _post(client, child, upload("care plan.pdf", EXE_BYTES)),
        "The selected file is not a PDF: its contents are not what its name says.",
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plan.docx", docx_bytes(part="xl/workbook.xml")),  # a spreadsheet renamed
        ("plan.docx", b"PK\x03\x04 not really a zip at all"),
        ("plan.doc", PDF_BYTES),  # a PDF named as Word
        ("plan.pdf", DOC_BYTES),
        ("plan.pdf", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_contents_that_are_not_what_the_name_says_are_refused(
    client, social_worker, child, name, content
):
    client.force_login(social_worker)
    _refused(_post(client, child, upload(name, content)), "its contents are not what its name says")


@pytest.mark.parametrize("name", ["plan.exe", "plan.html", "plan.pdf.exe", "plan", "plan.txt"])
def test_a_name_that_is_not_pdf_or_word_is_refused(client, social_worker, child, name):
    client.force_login(social_worker)
    _refused(_post(client, child, upload(name, PDF_BYTES)), documents.WRONG_TYPE)


def test_ten_megabytes_and_one_byte_is_refused_beside_the_field(client, social_worker, child):
    client.force_login(social_worker)
    _refused(
        _post(client, child, pdf(size=TEN_MB + 1)), "The selected file must be 10 MB or smaller"
    )


def test_an_empty_file_is_refused(client, social_worker, child):
    client.force_login(social_worker)
    _refused(_post(client, child, upload("plan.pdf", b"")), "The selected file is empty")


def test_the_limit_is_a_setting(client, social_worker, child, settings):
    settings.PLAN_ATTACHMENT_MAX_BYTES = 2 * 1024 * 1024
    client.force_login(social_worker)
    _refused(
        _post(client, child, pdf(size=2 * 1024 * 1024 + 1)),
        "The selected file must be 2 MB or smaller",
    )


def test_a_body_far_over_the_limit_is_refused_before_it_is_read(
    client, social_worker, child, settings
):
    """The request-body limit is raised for the plan forms by the document's limit and a
    little room for the other fields; beyond that, a 413 as anywhere."""
    settings.PLAN_ATTACHMENT_MAX_BYTES = 1024
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    client.force_login(social_worker)
    response = _post(client, child, pdf(size=1024 * 1024))
    assert response.status_code == 413
    assert not Plan.objects.exists()


def test_the_upload_room_is_only_on_the_plan_forms(client, social_worker, child, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    client.force_login(social_worker)
    big = pdf(size=128 * 1024)
    assert _post(client, child, big).status_code == 302  # under 10 MB: taken here
    big.seek(0)
    other = client.post(reverse("reviews:report_sent", args=[child.pk]), {"file": big})
    assert other.status_code == 413


def test_a_hostile_file_name_is_made_safe(client, social_worker, child):
    client.force_login(social_worker)
    name = "..\\..\\etc/\u202egnp.pdf\x00"
    _post(client, child, upload(name + "x.pdf", PDF_BYTES))
    plan = Plan.objects.get()
    assert plan.attachment_name == "gnp.pdfx.pdf"
    assert "/" not in plan.attachment_name and "\u202e" not in plan.attachment_name


# --- Replaced, downloaded --------------------------------------------------------------------


def test_a_replaced_document_is_kept_and_the_history_names_it(
    client, social_worker, team_manager, child
):
    client.force_login(social_worker)
    _post(client, child, pdf("first.pdf"))
    plan = Plan.objects.get()
    first = plan.attachment.name
    client.force_login(team_manager)
    edit = reverse("plans:plan_edit", args=[plan.pk])
    assert "Current document" in client.get(edit).content.decode()
    response = client.post(edit, {**form_data(), "attachment": upload("second.docx", docx_bytes())})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.attachment.name != first and plan.attachment_name == "second.docx"
    assert default_storage.exists(first)  # the old file is kept for the history
    versions = list(plan.history.order_by("history_date"))
    assert [v.attachment for v in versions] == [first, plan.attachment.name]
    assert versions[-1].history_change_reason == "Changed; document replaced"
    # A change without a new document keeps the document.
    client.post(edit, form_data(summary="No new file"))
    plan.refresh_from_db()
    assert plan.attachment_name == "second.docx"


def test_the_download_is_an_attachment_with_its_checked_type(client, social_worker, iro, child):
    child.iro = iro
    child.save()
    client.force_login(social_worker)
    _post(client, child, upload("Care plan.docx", docx_bytes()))
    plan = Plan.objects.get()
    client.force_login(iro)  # reads what they may not record
    response = client.get(reverse("plans:plan_document", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == documents.DOCX
    assert response["Content-Disposition"] == 'attachment; filename="Care plan.docx"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert response.content == docx_bytes()
    assert response["Content-Length"] == str(len(docx_bytes()))
    assert AccessLog.objects.filter(user=iro, child=child, action=AccessLog.Action.EXPORT).exists()
    # The plans page links the download view, never the storage's own address.
    html = client.get(reverse("plans:child_plans", args=[child.pk])).content.decode()
    assert reverse("plans:plan_document", args=[plan.pk]) in html
    assert plan.attachment.name not in html and "/media/" not in html


def test_the_download_answers_404_to_another_team_and_without_a_document(
    client, social_worker, other_team_worker, child
):
    client.force_login(social_worker)
    _post(client, child, pdf())
    plan = Plan.objects.get()
    client.force_login(other_team_worker)
    assert client.get(reverse("plans:plan_document", args=[plan.pk])).status_code == 404
    bare = Plan.objects.create(child=child, kind="pep", completed_on=date(2026, 2, 2))
    client.force_login(social_worker)
    assert client.get(reverse("plans:plan_document", args=[bare.pk])).status_code == 404
    assert client.get("/media/" + plan.attachment.name).status_code == 404


def test_safe_name_keeps_the_suffix_of_a_long_name():
    name = documents.safe_name("a" * 300 + ".docx")
    assert len(name) == documents.NAME_MAX and name.endswith(".docx")
    assert documents.safe_name("\x00\x01") == "document"
