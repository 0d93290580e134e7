"""CSV interchange for actors and sources (see docs/csv-format.md and DESIGN.md)."""

from import_export import fields, resources

from .models import Actor, Source
from .widgets import LinesWidget, NaturalKeyWidget, TextWidget


class ActorResource(resources.ModelResource):
    parent = fields.Field(
        attribute="parent", column_name="parent", widget=NaturalKeyWidget(Actor, "slug", "actor")
    )
    aliases = fields.Field(attribute="aliases", column_name="aliases", widget=LinesWidget())
    country = fields.Field(attribute="country", column_name="country", widget=TextWidget())
    wikidata_id = fields.Field(
        attribute="wikidata_id", column_name="wikidata_id", widget=TextWidget()
    )
    description = fields.Field(
        attribute="description", column_name="description", widget=TextWidget()
    )

    class Meta:
        model = Actor
        import_id_fields = ("slug",)
        fields = (
            "slug",
            "name",
            "kind",
            "country",
            "parent",
            "aliases",
            "wikidata_id",
            "description",
        )
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self):
        return super().get_queryset().select_related("parent")


class SourceResource(resources.ModelResource):
    publisher = fields.Field(
        attribute="publisher",
        column_name="publisher",
        widget=NaturalKeyWidget(Actor, "slug", "actor"),
    )
    authors = fields.Field(attribute="authors", column_name="authors", widget=LinesWidget())
    published = fields.Field(attribute="published", column_name="published", widget=TextWidget())
    url = fields.Field(attribute="url", column_name="url", widget=TextWidget())
    language = fields.Field(attribute="language", column_name="language", widget=TextWidget())
    text = fields.Field(attribute="text", column_name="text", widget=TextWidget())
    notes = fields.Field(attribute="notes", column_name="notes", widget=TextWidget())

    class Meta:
        model = Source
        import_id_fields = ("slug",)
        fields = (
            "slug",
            "title",
            "kind",
            "publisher",
            "authors",
            "published",
            "url",
            "accessed",
            "language",
            "text",
            "notes",
        )
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self):
        return super().get_queryset().select_related("publisher")
