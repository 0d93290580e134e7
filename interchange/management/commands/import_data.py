"""Import interchange files: one file (actors.csv … claims.csv, or .xlsx) or a folder of them."""

from pathlib import Path

from django.core.management.base import CommandError

from interchange import registry
from interchange.services import data_import, import_files_in_folder, write_report

from ._bulk import BulkDataCommand
from ._progress import Progress


class Command(BulkDataCommand):
    help = (
        "Import interchange files, all or nothing: one file named like actors.csv, sources.csv, "
        "metals.csv, questions.csv or claims.csv (or .xlsx), or a folder holding any of them. "
        "See docs/csv-format.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A file, or a folder of interchange files.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check everything and report what would change, but save nothing.",
        )

    def handle(self, *args, path, dry_run, **options):
        path = Path(path)
        if path.is_dir():
            paths = import_files_in_folder(path)
            if not paths:
                raise CommandError(f"{path} holds none of {', '.join(registry.file_names())}.")
        elif path.is_file():
            paths = [path]
        else:
            raise CommandError(f"{path} does not exist.")
        report = data_import(paths=paths, dry_run=dry_run, progress=Progress(self.stderr._out))
        write_report(self, report)
        if not report.ok:
            raise CommandError(
                f"{len(report.errors)} error(s): nothing was saved. Fix the rows above and run "
                "the import again."
            )
