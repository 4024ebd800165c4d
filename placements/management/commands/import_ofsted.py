import re
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from placements import ofsted


def parse_as_of(value: str) -> date:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            return date.fromisoformat(value.strip())
    except ValueError:
        pass
    raise CommandError(
        f"--as-of must be a date as YYYY-MM-DD (for example 2026-10-20), not '{value}'."
    )


class Command(BaseCommand):
    help = (
        "Import Ofsted's provider-level management information for children's social care "
        "(CSV): new URNs become settings, changed register details are updated and new "
        "judgements are recorded as inspections. Nothing is saved if any row is bad."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The provider-level CSV as Ofsted publishes it")
        parser.add_argument(
            "--as-of",
            dest="as_of",
            help="The day commissioning received the data, YYYY-MM-DD (default: today)",
        )

    def handle(self, *args, file, as_of, **opts):
        today = timezone.localdate()
        received = parse_as_of(as_of) if as_of is not None else today
        if received > today:
            raise CommandError(
                f"--as-of cannot be after today ({today:%Y-%m-%d}): it is the day "
                "commissioning received the data."
            )
        try:
            summary = ofsted.import_file(file, as_of=received, stdout=self.stdout)
        except ofsted.OfstedImportError as exc:
            raise CommandError(f"{exc}\nNothing from the file was saved.") from None
        for line in summary.lines():
            self.stdout.write(line)
