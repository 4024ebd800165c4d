"""CSV downloads and PDFs shared by every app's pages."""

import csv
from collections.abc import Callable, Iterable

from django.http import HttpResponse, StreamingHttpResponse
from django.template.loader import render_to_string

from .signals import record_exported


class _Echo:
    def write(self, value):
        return value


def _safe(value) -> str:
    """Neutralise spreadsheet formulas in free text (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_response(
    filename: str, header: list[str], rows: Iterable, row: Callable[[object], list]
) -> StreamingHttpResponse:
    """Stream a CSV of every row, as it is read from the database."""
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(header)
        for item in rows:
            yield writer.writerow([_safe(value) for value in row(item)])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def pdf_response(request, template: str, context: dict, filename: str) -> HttpResponse:
    """Render a template to PDF with WeasyPrint (imported here: it is slow to import)."""
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    # The PDF templates carry their own styles and load nothing.
    pdf = HTML(string=html).write_pdf()
    # Every PDF of a record is an export: the access log writes it down.
    record_exported.send(sender=None, request=request, context=context, filename=filename)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
