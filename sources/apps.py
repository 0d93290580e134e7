from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = "Sources and actors"

    def ready(self):
        # Connects the receiver that stamps imports' history rows with their reason and user.
        from . import history  # noqa: F401
