from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self):
        # Connects the receiver that stamps imports' history rows with their reason and user.
        from . import history  # noqa: F401
