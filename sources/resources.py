"""CSV interchange for actors and sources (see docs/csv-format.md and DESIGN.md).

`InterchangeResource` is the base of every model's resource, in both apps. It adds to
django-import-export what a curator's file needs, for the admin and the command line alike:

1. Before any row is read, the header is checked: a missing required column, a column the format
   does not have, a column named twice and a key written on two rows are errors.
2. Every problem becomes a `Problem` with the file's line number, the column and a plain reason
   (`result.problems`), instead of a traceback or a model's field label.
3. Exports load their relations in a fixed number of queries and list a record before the rows
   that refer to it (an actor's parent, a group's member groups), so an export always re-imports.
"""

import difflib
import re
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from import_export import fields, resources
from import_export.results import Error
from import_export.widgets import ManyToManyWidget

from .models import Actor, Source
from .widgets import (
    ChoiceWidget,
    CodeWidget,
    DateWidget,
    LinesWidget,
    NaturalKeyWidget,
    TextWidget,
)

_CONSTRAINT = re.compile(r"Constraint “(?P<name>[^”]+)” is violated")
_PLAIN_DJANGO = {
    "This field cannot be blank.": "a value is required",
    "This field cannot be null.": "a value is required",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where (line and column, when known) and why, in plain words."""

    message: str
    line: int | None = None
    column: str = ""

    def __str__(self):
        where = ", ".join(
            part
            for part in (
                f"line {self.line}" if self.line else "",
                f"column {self.column}" if self.column else "",
            )
            if part
        )
        return f"{where}: {self.message}" if where else self.message


class InterchangeResource(resources.ModelResource):
    #: Columns a file must have (the key and what a new record cannot do without).
    required_columns = ()
    #: Named model constraints → (column, plain message) for a row that breaks one.
    constraint_messages = {}

    def __init__(self, *, progress=None, **kwargs):
        super().__init__(**kwargs)
        # Called as progress(rows_done, rows_total) after each row (the command's progress bar).
        self.progress = progress
        self._total = 0

    # ----------------------------------------------------------------------- import

    @classmethod
    def column_names(cls):
        return [field.column_name for field in cls().get_import_fields()]

    def key_column(self):
        return self.fields[self.get_import_id_fields()[0]].column_name

    def check_columns(self, dataset):
        """Problems with the header and the keys, found before any row is imported."""
        headers = list(dataset.headers or [])
        known = self.column_names()
        problems = []
        missing = [column for column in self.required_columns if column not in headers]
        if missing:
            names = ", ".join(f"'{column}'" for column in missing)
            plural = "s" if len(missing) > 1 else ""
            problems.append(Problem(f"missing required column{plural} {names}", line=1))
        for column in dict.fromkeys(headers):
            if headers.count(column) > 1:
                problems.append(Problem(f"column '{column}' appears more than once", line=1))
            if column not in known:
                problems.append(Problem(_unknown_column(column, known), line=1))
        if problems:
            return problems
        key = self.key_column()
        lines = _line_numbers(dataset)
        first_seen = {}
        for line, value in zip(lines, dataset[key], strict=True):
            value = str(value).strip()
            if value and value in first_seen:
                problems.append(
                    Problem(
                        f"{key} '{value}' is also on line {first_seen[value]}: each record once",
                        line=line,
                        column=key,
                    )
                )
            first_seen.setdefault(value, line)
        return problems

    def import_data(self, dataset, **kwargs):
        problems = self.check_columns(dataset)
        if problems:
            result = self.get_result_class()()
            result.total_rows = len(dataset)
            for problem in problems:
                result.append_base_error(Error(ValueError(str(problem))))
            result.problems = problems
            return result
        self._point_self_references_at(dataset)
        self._total = len(dataset)
        result = super().import_data(dataset, **kwargs)
        result.problems = self.describe(result, _line_numbers(dataset))
        return result

    def import_instance(self, instance, row, **kwargs):
        """Set the row's values on the instance, checking its many-to-many keys at the same time.

        import-export reads many-to-many cells only when saving, after validation, so an unknown
        key would surface as a bare error without a column, and only once every other cell of the
        row is right. Here they are checked with the rest, and kept for `save_m2m`.
        """
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        self._m2m_values = {}
        for field in self.get_import_fields():
            if not isinstance(field.widget, ManyToManyWidget) or field.column_name not in row:
                continue
            try:
                self._m2m_values[field.attribute] = field.clean(row)
            except ValueError as error:
                errors[field.attribute] = [str(error)]
        if errors:
            raise ValidationError(errors)

    def save_m2m(self, instance, row, **kwargs):
        for attribute, values in self._m2m_values.items():
            getattr(instance, attribute).set(values)

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        if self.progress:
            self.progress(kwargs.get("row_number", 0), self._total)

    def _point_self_references_at(self, dataset):
        """Tell widgets that refer to this model where each key of this file is, for their errors."""
        key = self.key_column()
        keys = dict(
            zip((str(v).strip() for v in dataset[key]), _line_numbers(dataset), strict=True)
        )
        for field in self.fields.values():
            widget = field.widget
            if getattr(widget, "model", None) is self._meta.model and hasattr(
                widget, "keys_in_file"
            ):
                widget.keys_in_file = keys

    def describe(self, result, line_numbers):
        """Every error of an import result as a Problem, in line order."""
        problems = [Problem(_plain(str(error.error))) for error in result.base_errors]

        def line(number):
            return line_numbers[number - 1] if 0 < number <= len(line_numbers) else number + 1

        for number, errors in result.row_errors():
            for error in errors:
                problems.append(Problem(_plain(str(error.error)), line=line(number)))
        columns = {field.attribute: field.column_name for field in self.fields.values()}
        for row in result.invalid_rows:
            for key, messages in row.error_dict.items():
                for message in messages:
                    column = columns.get(key, "" if key == NON_FIELD_ERRORS else key)
                    found = _CONSTRAINT.search(message)
                    if found and found["name"] in self.constraint_messages:
                        column, message = self.constraint_messages[found["name"]]
                    problems.append(Problem(_plain(message), line=line(row.number), column=column))
        return sorted(problems, key=lambda p: p.line or 0)

    # ----------------------------------------------------------------------- export

    def with_related(self, queryset):
        """The queryset with what the export renders loaded in a fixed number of queries."""
        return queryset

    def filter_export(self, queryset, **kwargs):
        return self.with_related(queryset)

    def get_queryset(self):
        return self.with_related(super().get_queryset())


def _line_numbers(dataset):
    lines = getattr(dataset, "line_numbers", None)
    if lines is None or len(lines) != len(dataset):
        lines = list(range(2, len(dataset) + 2))  # a header, then one line per row
    return lines


def _unknown_column(column, known):
    close = difflib.get_close_matches(column.lower(), known, n=1, cutoff=0.6)
    if close:
        return f"unknown column '{column}' — did you mean '{close[0]}'?"
    return f"unknown column '{column}': the columns are {', '.join(known)}"


def _plain(message):
    return _PLAIN_DJANGO.get(message, message)


def parents_first(objects, parent_ids):
    """Objects in their order, except that each comes after the objects it refers to.

    `parent_ids(obj)` gives the ids obj refers to; ids outside `objects` are ignored. A cycle (which
    the model's checks should prevent) is broken by falling back to the given order.
    """
    objects = list(objects)
    by_id = {obj.pk: obj for obj in objects}
    placed, ordered = set(), []

    def place(obj, path):
        if obj.pk in placed or obj.pk in path:
            return
        path.add(obj.pk)
        for parent_id in parent_ids(obj):
            if parent_id in by_id:
                place(by_id[parent_id], path)
        placed.add(obj.pk)
        ordered.append(obj)

    for obj in objects:
        place(obj, set())
    return ordered


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
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def with_related(self, queryset):
        return queryset.select_related("parent")

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
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def with_related(self, queryset):
        return queryset.select_related("publisher")
