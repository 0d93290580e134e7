"""The admin of actors and sources, and the reference-list actions (CSL-JSON, BibTeX) on sources.

A source's page lists its claims: claims/admin.py registers that page again with its claims,
since sources may not import claims (docs/architecture.md).
"""

from django.contrib import admin
from django.db import models
from django.http import HttpResponse

from interchange.admin import InterchangeAdmin

from .citations import to_bibtex, to_csl_json
from .models import Actor, Source
from .resources import ActorResource, SourceResource


def _download(content, filename, content_type):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_csl_json(modeladmin, request, queryset):
    """Admin action: the selected sources as CSL-JSON (for Zotero, Pandoc, citeproc)."""
    sources = queryset.select_related("publisher").order_by("slug")
    return _download(
        to_csl_json(sources), "sources.json", "application/vnd.citationstyles.csl+json"
    )


export_csl_json.short_description = "Export selected sources as CSL-JSON"
export_csl_json.allowed_permissions = ("view",)


def export_bibtex(modeladmin, request, queryset):
    """Admin action: the selected sources as BibTeX (keys are the sources' slugs)."""
    sources = queryset.select_related("publisher").order_by("slug")
    return _download(to_bibtex(sources), "sources.bib", "application/x-bibtex; charset=utf-8")


export_bibtex.short_description = "Export selected sources as BibTeX"
export_bibtex.allowed_permissions = ("view",)


@admin.register(Actor)
class ActorAdmin(InterchangeAdmin):
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
class SourceAdmin(InterchangeAdmin):
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
