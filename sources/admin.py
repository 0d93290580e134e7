"""The admin of actors and sources: the reference-list actions (CSL-JSON, BibTeX) on sources, and
merging two actors or two sources that are one (sources.services.records_merge).

A source's page lists its claims: claims/admin.py registers that page again with its claims,
since sources may not import claims (docs/architecture.md).
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import display_for_field
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import Truncator, capfirst

from core.admin import shortened
from core.admin_filters import AutocompleteFilter, AutocompleteFiltersAdmin
from interchange.admin import InterchangeAdmin

from .citations import to_bibtex, to_csl_json
from .documents import ACCEPTED, DocumentError, check_size, document_text
from .models import Actor, Source
from .resources import ActorResource, SourceResource
from .services import record_uses, records_merge

# How much of a title or name the lists show: the rest is in the cell's tooltip and on its page.
TITLE_SHOWN = 90
NAME_SHOWN = 40


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


class MergeForm(forms.Form):
    """The merge page's choice of the record that stays, and the versions the page showed, so a
    change made meanwhile is refused rather than merged unseen (records_merge)."""

    keep = forms.ChoiceField(
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the one that stays."},
    )

    def __init__(self, *args, records, **kwargs):
        super().__init__(*args, **kwargs)
        self.records = records
        self.fields["keep"].choices = [(str(record.pk), str(record)) for record in records]
        for record in records:
            self.fields[f"version_{record.pk}"] = forms.IntegerField(
                widget=forms.HiddenInput, initial=record.version
            )

    def chosen(self):
        """(keep, remove), each with the version the page showed."""
        for record in self.records:
            record.version = self.cleaned_data[f"version_{record.pk}"]
        keep = next(r for r in self.records if str(r.pk) == self.cleaned_data["keep"])
        remove = next(r for r in self.records if r is not keep)
        return keep, remove


@admin.action(
    description="Merge the two selected %(verbose_name_plural)s", permissions=["change", "delete"]
)
def merge_selected(modeladmin, request, queryset):
    """Admin action: merge two records that are one, after a page choosing which one stays."""
    opts = modeladmin.opts
    records = list(queryset.order_by("pk")[:3])
    if len(records) != 2:
        modeladmin.message_user(
            request,
            f"Select exactly two {opts.verbose_name_plural} to merge: the duplicate and the "
            "one that stays.",
            messages.ERROR,
        )
        return None
    form = MergeForm(request.POST if "post" in request.POST else None, records=records)
    if form.is_valid():
        keep, remove = form.chosen()
        refusal = _may_not_repoint(request, remove)
        if refusal:
            modeladmin.message_user(request, refusal, messages.ERROR)
        else:
            try:
                merge = records_merge(keep=keep, remove=remove, user=request.user)
            except ValidationError as error:
                modeladmin.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                modeladmin.message_user(request, _merged_message(merge), messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse(
                        f"{modeladmin.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                        args=[merge.kept.pk],
                    )
                )
        # Refused: the page again, with the records as they are now.
        records = list(queryset.order_by("pk"))
        form = MergeForm(records=records)
    return TemplateResponse(
        request,
        "admin/sources/merge_confirmation.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": f"Merge two {opts.verbose_name_plural}",
            "opts": opts,
            "form": form,
            "records": records,
            "rows": _compared(modeladmin, records),
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        },
    )


def _may_not_repoint(request, remove):
    """Why this user may not merge `remove` away, or "": every record re-pointed is changed."""
    lacking = sorted(
        {
            str(use.model._meta.verbose_name_plural)
            for use in record_uses(remove)
            if not request.user.has_perm(
                f"{use.model._meta.app_label}.change_{use.model._meta.model_name}"
            )
        }
    )
    if not lacking:
        return ""
    return (
        f"Merging “{remove}” away changes the {', '.join(lacking)} that refer to it, which your "
        "account may not change. Nothing was changed."
    )


def _merged_message(merge):
    moved = ", ".join(f"{use.label}: {use.count}" for use in merge.uses) or "none"
    message = f"Merged “{merge.removed}” into “{merge.kept}”: re-pointed {moved}."
    if merge.taken:
        message += f" Took from it: {', '.join(merge.taken)}."
    return message


def _compared(modeladmin, records):
    """The merge page's rows: (label, [value of each record]), its fields then its uses."""
    opts = modeladmin.opts
    rows = []
    for name in modeladmin.merge_fields:
        field = opts.get_field(name)
        rows.append((capfirst(field.verbose_name), [_shown(r, field) for r in records]))
    uses = [{use.label: use.count for use in record_uses(r)} for r in records]
    for label in sorted({label for counts in uses for label in counts}):
        rows.append((f"Used by {label}", [counts.get(label, 0) for counts in uses]))
    return rows


def _shown(record, field):
    value = getattr(record, field.name)
    if isinstance(value, str) and len(value) > 300:
        # A source's text: its opening and its length are enough to tell two apart.
        return f"{Truncator(value).chars(200)} ({len(value):,} characters)"
    return display_for_field(value, field, "—")


class ParentFilter(AutocompleteFilter):
    field_name = "parent"


class PublisherFilter(AutocompleteFilter):
    field_name = "publisher"


@admin.register(Actor)
class ActorAdmin(AutocompleteFiltersAdmin, InterchangeAdmin):
    resource_classes = [ActorResource]
    actions = [merge_selected]
    merge_fields = ["name", "slug", "kind", "country", "parent", "aliases", "wikidata_id"]
    list_display = ["name", "slug", "kind", "country", "parent_name", "wikidata_id"]
    list_filter = ["kind", "country", ParentFilter]
    search_fields = ["name", "slug", "aliases"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "country", "parent"]}),
        ("Identity", {"fields": ["aliases", "wikidata_id", "description"]}),
    ]

    # As SourceAdmin.publisher_name: a foreign key's cell would never wrap.
    @admin.display(description="parent", ordering="parent__name")
    def parent_name(self, actor):
        return shortened(actor.parent.name, NAME_SHOWN) if actor.parent_id else None


class SourceForm(forms.ModelForm):
    """A source's form, whose text may also come from an uploaded document (sources.documents):
    a file given replaces the text in the form; a refused one makes the form invalid, so nothing
    is saved."""

    document = forms.FileField(
        required=False,
        help_text=f"Or take the text from a file: {ACCEPTED}, at most "
        f"{filesizeformat(settings.IMPORT_MAX_UPLOAD_SIZE)}. A web page keeps its article, "
        "without menus and boilerplate. The file's text replaces whatever is in Text above.",
    )

    # No Meta: the admin's form factory gives the model and the fields of the fieldsets.

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("document")
        if upload:
            try:
                # Refused by its size before it is read into memory.
                check_size(upload.size, name=upload.name, max_size=settings.IMPORT_MAX_UPLOAD_SIZE)
                cleaned["text"] = document_text(
                    upload.read(),
                    name=upload.name,
                    content_type=upload.content_type or "",
                    max_size=settings.IMPORT_MAX_UPLOAD_SIZE,
                )
            except DocumentError as error:
                self.add_error("document", str(error))
        return cleaned


@admin.register(Source)
class SourceAdmin(AutocompleteFiltersAdmin, InterchangeAdmin):
    form = SourceForm
    resource_classes = [SourceResource]
    actions = [export_csl_json, export_bibtex, merge_selected]
    merge_fields = ["title", "slug", "kind", "publisher", "published", "url", "language", "text"]
    list_display = ["short_title", "kind", "publisher_name", "published", "language"]
    list_filter = ["kind", "language", PublisherFilter]
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
        ("Content", {"fields": ["text", "document", "notes"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_change_permission(request, obj):
            return fieldsets
        # Who may only view the source sees its text as text: the upload is no field of the record
        # (the admin would look for one to show).
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "document"]})
            for name, options in fieldsets
        ]

    @admin.display(description="title", ordering="title")
    def short_title(self, source):
        return shortened(source.title, TITLE_SHOWN)

    # The admin would show the publisher on one line however long its name (it never wraps a
    # foreign key's cell), pushing the columns after it off a 1,400 px window.
    @admin.display(description="publisher", ordering="publisher__name")
    def publisher_name(self, source):
        return shortened(source.publisher.name, NAME_SHOWN) if source.publisher_id else None
