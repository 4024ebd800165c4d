from django.core.management.base import BaseCommand, CommandError

from plans import importers


class Command(BaseCommand):
    help = (
        "Import a child's plans and assessments from a CSV with the header child,kind,date,by "
        "(child: the 903 CHILD id; kind: care_plan, placement_plan, health_assessment, pep, "
        "pathway_plan or updated_assessment; date: DD/MM/YYYY or YYYY-MM-DD; by: who "
        "completed it). Nothing is saved if any row is bad; importing the same file again "
        "adds nothing. The children's duties are recomputed at the end."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file of plans and assessments")

    def handle(self, *args, file, **opts):
        try:
            summary = importers.import_plans(file, stdout=self.stdout)
        except importers.PlanImportError as exc:
            raise CommandError(f"{exc}\nNothing from the file was saved.") from None
        for line in summary.lines():
            self.stdout.write(line)
