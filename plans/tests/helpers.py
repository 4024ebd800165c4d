"""Documents and form data for the plan tests."""

from __future__ import annotations

import io
import zipfile
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

PDF_BYTES = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
DOC_BYTES = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 64


def docx_bytes(part: str = "word/document.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<w:document/>")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf(name: str = "care plan.pdf", size: int | None = None):
    content = PDF_BYTES if size is None else PDF_BYTES + b"0" * (size - len(PDF_BYTES))
    return upload(name, content)


def form_data(
    kind: str = "care_plan", on: date = date(2026, 3, 3), by: str = "Sam Worker", **extra
) -> dict:
    return {
        "kind": kind,
        "completed_on_0": str(on.day),
        "completed_on_1": str(on.month),
        "completed_on_2": str(on.year),
        "completed_by_name": by,
        "summary": "Stays with her carers; contact with her brother fortnightly.",
        **extra,
    }


def beside(html: str, field: str) -> str:
    """The HTML of a field's form group (to its next sibling's): where its error must be."""
    start = html.index(f'id="div_id_{field}"')
    end = html.find('id="div_id_', start + 1)
    return html[start : end if end != -1 else len(html)]
