"""Export the whole database as interchange files (or the sources as CSL-JSON or BibTeX)."""

from django.core.management.base import CommandError

from interchange import registry
from interchange.formats import XlsxLimitError
from interchange.services import data_export

from ._bulk import BulkDataCommand


class Command(BulkDataCommand):
    help = (
        "Write actors, sources, metals, questions and claims to DIR as CSV (default) or XLSX; "
        "import_data reads the folder back. --format csl-json or bibtex writes the sources as a "
        "reference list instead. All or nothing: on any failure DIR is left as it was."
    )

    def add_arguments(self, parser):
        parser.add_argument("dir", help="Folder to write to (created if missing).")
        parser.add_argument(
            "--format",
            choices=registry.export_formats(),
            default="csv",
            help="File format (default csv).",
        )
        parser.add_argument(
            "--only",
            action="append",
            choices=registry.stems(),
            help="Write only this file (repeatable); by default all five.",
        )

    def handle(self, *args, dir, format, only, **options):
        try:
            paths = data_export(folder=dir, file_format=format, only=only)
        except XlsxLimitError as error:
            raise CommandError(f"{error} Run it again with --format csv.") from None
        except OSError as error:
            raise CommandError(
                f"cannot write the export to {dir} ({error.strerror or error}): nothing was written."
            ) from None
        for path in paths:
            self.stdout.write(f"wrote {path}")
