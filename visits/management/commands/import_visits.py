from django.core.management.base import BaseCommand, CommandError

from visits import importers


class Command(BaseCommand):
    help = (
        "Import historical visits from a CSV with the header "
        "child,date,kind,seen_alone,bedroom_seen,by (child: the 903 CHILD id; date: "
        "YYYY-MM-DD; kind: statutory, purposeful, iro, commissioning or service_manager; "
        "yes/no flags; by: the visitor's username or name). Nothing is saved if any row is "
        "bad; importing the same file again adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file of visits")

    def handle(self, *args, file, **opts):
        try:
            summary = importers.import_visits(file, stdout=self.stdout)
        except importers.VisitImportError as exc:
            raise CommandError(f"{exc}\nNothing from the file was saved.") from None
        for line in summary.lines():
            self.stdout.write(line)
