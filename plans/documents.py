"""A plan's document: a PDF or Word file, checked by what it holds, not only by its name.

The name's suffix says what the person meant to send; the first bytes say what it is. Both
must agree on one of three kinds (a renamed program, a web page or an image saved as
".pdf" is refused), and the type stored with the document (and sent back with it by the
download view) is the kind found, never the browser's claim.
"""

from __future__ import annotations

import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError

PDF = "application/pdf"
DOC = "application/msword"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

#: The suffixes taken, and the type each must be.
SUFFIXES = {".pdf": PDF, ".doc": DOC, ".docx": DOCX}
#: The file input's ``accept``: a hint to the browser's picker, checked again here.
ACCEPT = ",".join([*SUFFIXES, *dict.fromkeys(SUFFIXES.values())])

_PDF_MAGIC = b"%PDF-"
#: The OLE2 compound file header of a Word 97-2003 document.
_OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_ZIP_MAGIC = b"PK\x03\x04"
#: The part every Word (OOXML) document has; other ZIPs (a spreadsheet) lack it.
_DOCX_PART = "word/document.xml"

WRONG_TYPE = "The selected file must be a PDF or Word document (.pdf, .doc or .docx)"
NAME_MAX = 200


@dataclass(frozen=True)
class Checked:
    name: str  # the person's file name, made safe to show and to send back
    content_type: str
    size: int


def max_bytes() -> int:
    return settings.PLAN_ATTACHMENT_MAX_BYTES


def megabytes() -> str:
    """The limit as people say it: "10 MB" (or "512 KB" for a limit under a megabyte)."""
    size = max_bytes()
    unit, name = (1024 * 1024, "MB") if size >= 1024 * 1024 else (1024, "KB")
    amount = size / unit
    return f"{amount:g} {name}" if amount == int(amount) else f"{amount:.1f} {name}"


def too_large_message() -> str:
    return f"The selected file must be {megabytes()} or smaller"


def safe_name(name: str) -> str:
    """The file's own name (no folders), without control or direction characters, at most
    NAME_MAX characters with its suffix kept: shown on pages and sent back on download."""
    base = PurePath(name.replace("\\", "/")).name
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] not in ("C", "Z") or ch == " ")
    base = " ".join(base.split()).strip(". ") or "document"
    if len(base) > NAME_MAX:
        suffix = PurePath(base).suffix[:8]
        base = base[: NAME_MAX - len(suffix)] + suffix
    return base


def _kind_of(upload) -> str | None:
    """The type the bytes are, of the three taken, or None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(_PDF_MAGIC):
        return PDF
    if head == _OLE2_MAGIC:
        return DOC
    if head.startswith(_ZIP_MAGIC):
        try:
            # Only the ZIP's directory is read: nothing is extracted.
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return None
        finally:
            upload.seek(0)
        return DOCX if _DOCX_PART in names else None
    return None


def check(upload) -> Checked:
    """The upload if it is a PDF or Word document under the limit, by its name and by its
    content; a ValidationError (for the field) otherwise."""
    if upload.size > max_bytes():
        raise ValidationError(too_large_message(), code="too_large")
    name = safe_name(upload.name or "")
    expected = SUFFIXES.get(PurePath(name).suffix.lower())
    if expected is None:
        raise ValidationError(WRONG_TYPE, code="wrong_type")
    found = _kind_of(upload)
    if found != expected:
        what = {PDF: "a PDF", DOC: "a Word document", DOCX: "a Word document"}[expected]
        raise ValidationError(
            f"The selected file is not {what}: its contents are not what its name says. "
            + WRONG_TYPE,
            code="wrong_content",
        )
    return Checked(name=name, content_type=found, size=upload.size)
