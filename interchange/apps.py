"""The interchange app: no models; installed before import_export so its admin templates win."""

from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "interchange"
    verbose_name = "Import and export"
