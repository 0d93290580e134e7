"""The claims app: metals, questions, claims and their summaries, and how they are compared.

Its ready() connects the receivers that keep the summaries fresh and registers its interchange
files after the sources app's, since claims refer to actors and sources by key.
"""

from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims, questions and metals"

    def ready(self):
        from interchange import registry

        # Connects the receivers that keep question summaries up to date.
        from . import signals  # noqa: F401
        from .resources import ClaimResource, MetalResource, QuestionResource

        # The interchange files of this app, after the sources app's actors and sources.
        registry.register("metals", MetalResource, order=30)
        registry.register("questions", QuestionResource, order=40)
        registry.register("claims", ClaimResource, order=50)
