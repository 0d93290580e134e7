from django.contrib import admin
from django.db import models

from core.admin import RecordAdmin

from .admin_import_export import InterchangeAdminMixin, export_bibtex, export_csl_json
from .models import Actor, Source
from .resources import ActorResource, SourceResource


@admin.register(Actor)
class ActorAdmin(InterchangeAdminMixin, RecordAdmin):
    resource_classes = [ActorResource]
    list_display = ["name", "slug", "kind", "country", "parent", "wikidata_id"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "slug", "aliases"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "country", "parent"]}),
        ("Identity", {"fields": ["aliases", "wikidata_id", "description"]}),
    ]


@admin.register(Source)
class SourceAdmin(InterchangeAdminMixin, RecordAdmin):
    resource_classes = [SourceResource]
    actions = [export_csl_json, export_bibtex]
    list_display = ["title", "kind", "publisher", "published", "language"]
    list_filter = ["kind", "language"]
    search_fields = ["title", "slug", "url", "authors"]
    autocomplete_fields = ["publisher"]
    list_select_related = ["publisher"]
    prepopulated_fields = {"slug": ["title"]}
    show_full_result_count = False
    # Django 6.0's default, adopted now: a URL typed without a scheme means https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "publisher", "authors", "published"]}),
        ("Where", {"fields": ["url", "accessed", "language"]}),
        ("Content", {"fields": ["text", "notes"]}),
    ]
