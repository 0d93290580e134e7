"""Import interchange files: one file (actors.csv … claims.csv, or .xlsx) or a folder of them."""

from pathlib import Path

from django.core.management.base import CommandError

from claims.services import FILE_NAMES, data_import, import_files_in_folder

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
                raise CommandError(f"{path} holds none of {', '.join(FILE_NAMES)}.")
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


def write_report(command, report):
    """One summary line per file, then every error; shared with load_demo."""
    for file_report in report.files:
        command.stdout.write(
            f"{file_report.name}: {file_report.created} created, {file_report.updated} updated, "
            f"{file_report.unchanged} unchanged, {len(file_report.problems)} errors"
        )
    for error in report.errors:
        command.stderr.write(error)
    if report.ok:
        if report.dry_run:
            command.stdout.write("Dry run: nothing was saved.")
        else:
            command.stdout.write(command.style.SUCCESS("Imported."))
