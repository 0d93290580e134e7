"""The sources app: registers actors.csv and sources.csv, and the CSL-JSON and BibTeX exports,
with the interchange engine."""

from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = "Sources and actors"

    def ready(self):
        # The interchange files of this app, and the sources as reference lists (export_data).
        from interchange import registry

        from . import citations
        from .resources import ActorResource, SourceResource

        registry.register("actors", ActorResource, order=10)
        registry.register("sources", SourceResource, order=20)
        registry.register_export("csl-json", citations.write_csl_json, file_name="sources.json")
        registry.register_export("bibtex", citations.write_bibtex, file_name="sources.bib")
