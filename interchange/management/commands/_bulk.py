"""What the bulk data commands (import_data, export_data) share."""

import gc

from django.core.management.base import BaseCommand


class BulkDataCommand(BaseCommand):
    # As Django's dumpdata and loaddata: a data command skips the system checks (about half a
    # second of start-up on every run; migrate and runserver run them).
    requires_system_checks = []

    def run_from_argv(self, argv):
        # Run as a process of its own (manage.py, not call_command): what Django loaded lives to
        # its end. Frozen out of the garbage collector's reach, it is not walked again by each
        # full collection the rows set off (a tenth of a 100k-row import: docs/performance.md).
        gc.collect()
        gc.freeze()
        super().run_from_argv(argv)
