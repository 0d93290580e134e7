"""Interchange files for actors and sources: actors.csv and sources.csv (see docs/csv-format.md)."""

from import_export import fields

from interchange.resources import InterchangeResource, parents_first
from interchange.widgets import (
    ChoiceWidget,
    CodeWidget,
    DateWidget,
    LinesWidget,
    NaturalKeyWidget,
    TextWidget,
)

from .models import Actor, Source


class ActorResource(InterchangeResource):
    slug = fields.Field(attribute="slug", column_name="slug", widget=CodeWidget())
    kind = fields.Field(
        attribute="kind", column_name="kind", widget=ChoiceWidget(Actor.Kind.choices, "kind")
    )
    parent = fields.Field(
        attribute="parent", column_name="parent", widget=NaturalKeyWidget(Actor, "slug", "actor")
    )
    aliases = fields.Field(attribute="aliases", column_name="aliases", widget=LinesWidget())
    country = fields.Field(attribute="country", column_name="country", widget=CodeWidget())
    wikidata_id = fields.Field(
        attribute="wikidata_id", column_name="wikidata_id", widget=CodeWidget()
    )
    description = fields.Field(
        attribute="description", column_name="description", widget=TextWidget()
    )

    required_columns = ("slug", "name", "kind")
    constraint_messages = {"actor_not_own_parent": ("parent", "an actor cannot be its own parent")}

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

    def with_related(self, queryset):
        return queryset.select_related("parent")

    streams_export = False

    def iter_queryset(self, queryset):
        # A parent before its children, so the file imports top to bottom into an empty database.
        return parents_first(queryset, lambda actor: [actor.parent_id])


class SourceResource(InterchangeResource):
    slug = fields.Field(attribute="slug", column_name="slug", widget=CodeWidget())
    kind = fields.Field(
        attribute="kind", column_name="kind", widget=ChoiceWidget(Source.Kind.choices, "kind")
    )
    publisher = fields.Field(
        attribute="publisher",
        column_name="publisher",
        widget=NaturalKeyWidget(Actor, "slug", "actor"),
    )
    authors = fields.Field(attribute="authors", column_name="authors", widget=LinesWidget())
    published = fields.Field(attribute="published", column_name="published", widget=CodeWidget())
    url = fields.Field(attribute="url", column_name="url", widget=CodeWidget())
    accessed = fields.Field(
        attribute="accessed", column_name="accessed", widget=DateWidget("accessed")
    )
    language = fields.Field(attribute="language", column_name="language", widget=CodeWidget())
    text = fields.Field(attribute="text", column_name="text", widget=TextWidget())
    notes = fields.Field(attribute="notes", column_name="notes", widget=TextWidget())

    required_columns = ("slug", "title", "kind")
    constraint_messages = {
        "source_url_unique_when_present": ("url", "another source already has this URL"),
    }

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

    def with_related(self, queryset):
        return queryset.select_related("publisher")
