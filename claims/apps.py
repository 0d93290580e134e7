from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims, questions and metals"

    def ready(self):
        # Connects the receivers that keep question summaries up to date.
        from . import signals  # noqa: F401
