"""Changelist filters that stay fast on tables of a million claims.

Django's related-field filter lists every source or actor in the sidebar: tens of thousands of
links, loaded on every page view. An `AutocompleteFilter` is a searchable list instead, built on
the admin's own autocomplete (select2 asking the related model's admin, with its search fields
and permissions): nothing is read until the curator types, and the chosen record is named in the
URL by its slug (`?source=edm-2026-02-…`), so a filtered list can be bookmarked and linked to.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse


class AutocompleteFilter(admin.SimpleListFilter):
    """Filter by the record a foreign key points at, picked from a searchable list.

    `field_name` is the foreign key (e.g. "source"), which is also the URL parameter; `key` the
    related record's field the URL carries. The admin must be an AutocompleteFiltersAdmin (it
    serves the list) and the related model's admin must have `search_fields`.
    """

    template = "admin/autocomplete_filter.html"
    field_name = ""
    key = "slug"

    def __init__(self, request, params, model, model_admin):
        self.parameter_name = self.field_name
        self.field = model._meta.get_field(self.field_name)
        self.title = self.title or self.field.verbose_name
        self.model_admin = model_admin
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return ()

    def has_output(self):
        return True

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        if value:
            return queryset.filter(**{f"{self.field_name}__{self.key}": value})
        return queryset

    def choices(self, changelist):
        # Used by the template: the list to pick from, the other parameters to keep (a new
        # choice starts again at the first page) and the link that clears this filter.
        value = (self.value() or "").strip()
        yield {
            "select": self._select().render(
                self.parameter_name, value, attrs={"aria-label": self.title}
            ),
            "value": value,
            "other_params": [
                (key, item)
                for key, items in changelist.filter_params.items()
                if key != self.parameter_name
                for item in items
            ],
            "clear_url": changelist.get_query_string(remove=[self.parameter_name]),
        }

    def _select(self):
        value = (self.value() or "").strip()
        label = value
        if value:
            chosen = self.field.related_model._default_manager.filter(**{self.key: value}).first()
            label = str(chosen) if chosen is not None else f"{value} (no such record)"
        opts = self.model_admin.opts
        url = reverse(
            f"{self.model_admin.admin_site.name}:{opts.app_label}_{opts.model_name}_autocomplete_filter"
        )
        return _FilterSelect(self.field, self.model_admin.admin_site, url=url, label=label)


class _FilterSelect(AutocompleteSelect):
    """The admin's autocomplete widget, asking the filter's view and showing the chosen record
    by the label the filter read (the widget itself would look it up by id)."""

    def __init__(self, field, admin_site, *, url, label):
        # select2 sizes itself to the sidebar (a style attribute would break the admin's CSP).
        super().__init__(field, admin_site, attrs={"data-width": "100%"})
        self.url, self.label = url, label

    def get_url(self):
        return self.url

    def optgroups(self, name, value, attr=None):
        options = [self.create_option(name, "", "", False, 0)]  # empty: select2 can clear it
        chosen = [item for item in value if item]
        if chosen:
            options.append(self.create_option(name, chosen[0], self.label, True, 1))
        return [(None, options, 0)]


class FilterAutocompleteView(AutocompleteJsonView):
    """Django's autocomplete view, answering each record by its `key` (the filter's URL value)
    instead of its id, and only for the AutocompleteFilters of the list it serves."""

    list_admin = None

    def process_request(self, request):
        term, model_admin, source_field, _ = super().process_request(request)
        keys = {
            spec.field_name: spec.key
            for spec in self.list_admin.list_filter
            if isinstance(spec, type) and issubclass(spec, AutocompleteFilter)
        }
        if (
            source_field.model is not self.list_admin.opts.concrete_model
            or source_field.name not in keys
        ):
            raise PermissionDenied
        return term, model_admin, source_field, keys[source_field.name]

    def has_perm(self, request, obj=None):
        # Both lists: the one filtered and the one the records are picked from.
        return self.list_admin.has_view_permission(request) and super().has_perm(request, obj)


class AutocompleteFiltersAdmin:
    """A ModelAdmin mixin serving its AutocompleteFilters' lists, with the scripts they need."""

    def get_urls(self):
        view = FilterAutocompleteView.as_view(admin_site=self.admin_site, list_admin=self)
        name = f"{self.opts.app_label}_{self.opts.model_name}_autocomplete_filter"
        own = [path("autocomplete-filter/", self.admin_site.admin_view(view), name=name)]
        # Before the admin's own, which end with a catch-all for object ids.
        return own + super().get_urls()

    @property
    def media(self):
        specs = [
            spec
            for spec in self.list_filter
            if isinstance(spec, type) and issubclass(spec, AutocompleteFilter)
        ]
        if not specs:
            return super().media
        field = self.opts.get_field(specs[0].field_name)
        select2 = AutocompleteSelect(field, self.admin_site).media
        # After jquery.init.js, which makes the django.jQuery it listens with.
        own = forms.Media(
            js=["admin/js/jquery.init.js", "core/autocomplete_filter.js"],
            css={"screen": ["core/autocomplete_filter.css"]},
        )
        return super().media + select2 + own
