"""Load the demo data: the sources and claims of the two seed documents (demo/*.csv)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from interchange.services import data_import, import_files_in_folder, write_report

DEMO_DIR = Path(settings.BASE_DIR) / "demo"


class Command(BaseCommand):
    help = "Load the demo data from demo/*.csv (the same path as import_data). Running it again changes nothing."

    def handle(self, *args, **options):
        report = data_import(paths=import_files_in_folder(DEMO_DIR))
        write_report(self, report)
        if not report.ok:
            raise CommandError("the demo data did not load:\n" + "\n".join(report.errors))
