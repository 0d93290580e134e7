"""Decimals in the admin as their sources state them: 70, not 70.000000.

Figures are stored with six decimal places; Django's admin shows every one of them, in forms and
lists alike. `StatedNumbersAdmin` (for a ModelAdmin or an inline) shows them through the one
number formatter, core.numbers.number: in form inputs, in list columns, and on the read-only
pages of those who may only view.
"""

from decimal import Decimal

from django import forms
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from .numbers import number


class StatedNumberInput(forms.NumberInput):
    """A number input showing a stored Decimal with exactly its digits (28.500000 → 28.5), and
    what was typed as it was typed."""

    def format_value(self, value):
        if isinstance(value, Decimal):
            return number(value, grouping=False)
        return super().format_value(value)


def stated_column(field):
    """A list column (or read-only field) showing the model's decimal `field` as stated, sorted
    by it."""

    @admin.display(description=field.verbose_name, ordering=field.name)
    def column(obj):
        value = getattr(obj, field.attname)
        return None if value is None else number(value)

    # The column's CSS class (field-<name>) and header stay the field's own.
    column.__name__ = field.name
    return column


class StatedNumbersAdmin:
    """Decimal fields shown as stated: in forms (StatedNumberInput), in the changelist (its
    decimal columns through stated_column) and on a read-only form (the same columns)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.DecimalField):
            kwargs.setdefault("widget", StatedNumberInput)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_list_display(self, request):
        return [self._stated(name) for name in super().get_list_display(request)]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._view_only(request, obj):
            return fieldsets
        # View only: every field is shown by the admin's display of values, which gives a decimal
        # all its places; a column of ours shows it instead.
        return [
            (title, {**options, "fields": [self._stated_row(row) for row in options["fields"]]})
            for title, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self._view_only(request, obj):
            return readonly
        # Read-only, so left out of the form (an inline's form would look for such a field).
        decimals = [f.name for f in self.opts.fields if isinstance(f, models.DecimalField)]
        return [*readonly, *(self._stated(name) for name in decimals)]

    def _view_only(self, request, obj):
        """Whether the page shows `obj` (an inline's: its parent) to someone who may not change
        it. An add page is never view-only."""
        return obj is not None and not self.has_change_permission(request, obj)

    def _stated_row(self, row):
        if isinstance(row, list | tuple):
            return type(row)(self._stated(name) for name in row)
        return self._stated(row)

    def _stated(self, name):
        if not isinstance(name, str):
            return name
        try:
            field = self.opts.get_field(name)
        except FieldDoesNotExist:  # a method, a property, "__str__"
            return name
        if not isinstance(field, models.DecimalField):
            return name
        columns = self.__dict__.setdefault("_stated_columns", {})
        if name not in columns:
            columns[name] = stated_column(field)
        return columns[name]
