"""The core app: what every other app builds on (fields, text rule, history, search, admin base).

Its one table is the data version (core.dataversion); it knows no domain, so every app may
depend on it and it on none (the import-linter layers in pyproject.toml).
"""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self):
        # Connects the receiver that stamps imports' history rows with their reason and user.
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate, pre_migrate

        from . import dataversion, history  # noqa: F401

        # Every connection marks its writes, so that each commit publishes a new data version.
        connection_created.connect(dataversion.install)
        pre_migrate.connect(dataversion.migrating)
        post_migrate.connect(dataversion.migrated, sender=self)
