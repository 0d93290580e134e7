"""The core app: what every other app builds on (fields, text rule, history, search, admin base).

It has no models of its own (core.models is abstract) and knows no domain, so every app may
depend on it and it on none (the import-linter layers in pyproject.toml).
"""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self):
        # Connects the receiver that stamps imports' history rows with their reason and user.
        from . import history  # noqa: F401
