"""The interchange app: installed before import_export so its admin templates win."""

from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "interchange"
    verbose_name = "Import and export"

    def ready(self):
        # Connects the receiver that adds history rows saved during an import to its batch.
        from . import batches  # noqa: F401
