"""Signals of the shared plumbing, for the apps above it to act on."""

from django.dispatch import Signal

#: A record left the building as a PDF (``core.exports.pdf_response``): ``request``,
#: ``context`` (the template's, with the ``child`` where there is one) and ``filename``.
#: The access log (``placements.receivers``) writes it down.
record_exported = Signal()
