"""Import a Zotero CSV export as sources, matching existing sources by URL."""

from django.core.management.base import BaseCommand, CommandError

from sources.zotero import zotero_import


class Command(BaseCommand):
    help = (
        "Import a Zotero CSV export (File → Export Library… → CSV) as sources, all or nothing. "
        "An item whose URL is already a source's only fills in what that source lacks."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file Zotero exported.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change, save nothing."
        )

    def handle(self, *args, path, dry_run, **options):
        report = zotero_import(path=path, dry_run=dry_run)
        self.stdout.write(
            f"sources: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged; publishers: {report.publishers_created} created; "
            f"{len(report.problems)} errors"
        )
        for error in report.errors:
            self.stderr.write(error)
        if not report.ok:
            raise CommandError(f"{len(report.errors)} error(s): nothing was saved.")
        if dry_run:
            self.stdout.write("Dry run: nothing was saved.")
