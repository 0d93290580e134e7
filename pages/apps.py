"""The public pages app: read-only views over sources and claims, with their templates and
static files. It has no models, and it is the top layer: it may import every other app, and none
imports it (import-linter's contract in pyproject.toml)."""

from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Public pages"
