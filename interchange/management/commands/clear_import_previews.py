"""Delete the admin's import uploads whose preview was never confirmed (see interchange/uploads.py).

    python manage.py clear_import_previews              # older than IMPORT_PREVIEW_MAX_AGE
    python manage.py clear_import_previews --max-age 0  # all of them, e.g. before a restart

Every new upload does the same for the expired ones; this is for a cron job on a quiet site.
"""

from django.core.management.base import BaseCommand, CommandError

from interchange.uploads import folder, remove_expired


class Command(BaseCommand):
    help = "Delete admin import uploads older than IMPORT_PREVIEW_MAX_AGE (or --max-age) seconds."

    def add_arguments(self, parser):
        parser.add_argument(
            "--max-age", type=int, help="seconds (default: settings.IMPORT_PREVIEW_MAX_AGE)"
        )

    def handle(self, *args, max_age, **options):
        # A negative age is a slip (it would delete every upload, previews open right now
        # included, as only --max-age 0 should): refused rather than taken for 0.
        if max_age is not None and max_age < 0:
            raise CommandError(f"--max-age must be 0 or more seconds, not {max_age}.")
        removed = remove_expired(max_age=max_age)
        self.stdout.write(f"{removed} import upload(s) deleted from {folder()}.")
