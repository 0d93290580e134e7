"""Export the whole database as interchange files (or the sources as CSL-JSON or BibTeX)."""

from django.core.management.base import BaseCommand

from claims.services import EXPORT_FORMATS, STEMS, data_export
from project.processes import freeze_loaded_objects


class Command(BaseCommand):
    help = (
        "Write actors, sources, metals, questions and claims to DIR as CSV (default) or XLSX; "
        "import_data reads the folder back. --format csl-json or bibtex writes the sources as a "
        "reference list instead."
    )

    # As Django's dumpdata and loaddata: a data command skips the system checks (about half a
    # second of start-up on every run; migrate and runserver run them).
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("dir", help="Folder to write to (created if missing).")
        parser.add_argument(
            "--format", choices=EXPORT_FORMATS, default="csv", help="File format (default csv)."
        )
        parser.add_argument(
            "--only",
            action="append",
            choices=STEMS,
            help="Write only this file (repeatable); by default all five.",
        )

    def handle(self, *args, dir, format, only, **options):
        freeze_loaded_objects()  # a bulk process: see project.processes
        for path in data_export(folder=dir, file_format=format, only=only):
            self.stdout.write(f"wrote {path}")
