"""The base of every model's interchange resource (see docs/csv-format.md).

`InterchangeResource` is the base of every model's resource, in every domain app. It adds to
django-import-export what a curator's file needs, for the admin and the command line alike:

1. Before any row is read, the header is checked: a missing required column, a column the format
   does not have and a column named twice are errors.
2. Rows are checked and written in bulk by interchange/engine/ (the fields and widgets declared
   on each resource parse the cells); every problem, a key written on two rows among them,
   becomes a `Problem` with the file's line number, the column and a plain reason
   (`result.problems`), instead of a traceback or a field label.
3. Exports load their relations in a fixed number of queries and list a record before the rows
   that refer to it (an actor's parent, a group's member groups), so an export always re-imports.
   (A late column's cells may name any row: they are applied after the whole file, see
   interchange/engine/late.py.)
"""

import difflib
import itertools
from collections import Counter
from functools import partial

from django.db import transaction
from import_export import resources
from import_export.results import Error

from core.text import LIST_SEPARATOR

from .batches import recording
from .engine.keys import any_of, through
from .engine.late import LateColumn
from .engine.run import BulkImporter, BulkResult
from .formats import line_numbers
from .problems import Problem
from .signals import records_imported
from .widgets import (
    ChoiceWidget,
    CodeWidget,
    NaturalKeyListWidget,
    NaturalKeyWidget,
    TextWidget,
)

EXPORT_CHUNK = 5000


class InterchangeResource(resources.ModelResource):
    #: Columns a file must have (the key and what a new record cannot do without).
    required_columns = ()
    #: Named model constraints → (column, plain message) for a row that breaks one.
    constraint_messages = {}

    def __init__(self, *, progress=None, **kwargs):
        super().__init__(**kwargs)
        # Called as progress(rows_done, rows_total) after each row (the command's progress bar).
        self.progress = progress

    # ----------------------------------------------------------------------- import

    def row_check(self):
        """The resource's own check of whole rows, or None: made once per file.

        A function of a row's instance, once its cells are read and the model's own checks have
        passed, that returns {field name: plain message} ({} when the row is right): what only
        the domain knows (a claim's figure within its question's bounds). A factory, called once
        per file by the engine, so that what the check reads is read once per file and not kept
        past it. (References to records the same batch creates are not set yet.)
        """
        return None

    def before_write(self, rows, user):
        """Set what the domain derives on the rows about to be written; by default nothing.

        Called by the engine once per batch, just before the batch is written, once the engine
        has set its own fields (timestamps, a changed row's version + 1, a new row's
        `created_by`): `rows` is the batch's new and changed rows, in the file's order, as
        (instance, original) pairs, `original` the row's stored values ({attname: value}), None
        for a new row; `user` the importing user, or None (a command run without one). Every
        field the hook sets is written, file column or not. No query per row: what it needs
        from the database is read for the whole batch (or once per file). References to records
        the same batch creates are not set yet.
        """

    @classmethod
    def column_names(cls):
        return [field.column_name for field in cls().get_import_fields()]

    def check_header(self, headers):
        """Problems with the header row, found before any row is read, in one pass over it."""
        counts = Counter(headers or [])
        known = self.column_names()
        problems = []
        missing = [column for column in self.required_columns if column not in counts]
        if missing:
            names = ", ".join(f"'{column}'" for column in missing)
            plural = "s" if len(missing) > 1 else ""
            problems.append(Problem(f"missing required column{plural} {names}", line=1))
        for column, count in counts.items():
            if count > 1:
                problems.append(Problem(f"column '{column}' appears more than once", line=1))
            if column not in known:
                problems.append(Problem(_unknown_column(column, known), line=1))
        return problems

    def import_rows(self, header, rows, *, total=0, keep_rows=False):
        """Check and write `rows` ((line, cells) pairs) in bulk: see interchange/engine/.

        The one import path: the admin (through `import_data`), `import_data` and `load_demo`
        (through interchange.services.data_import) all come here. Rows with problems are not written;
        the caller rolls the transaction back when there is any problem.
        """
        problems = self.check_header(header)
        if problems:
            return BulkResult(problems=problems)
        importer = BulkImporter(self, keep_rows=keep_rows, progress=self.progress)
        return importer.run(list(header), rows, total=total)

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        """The admin's entry point: a Dataset in, an import-export Result (with `problems`) out.

        Runs in its own transaction, rolled back on a dry run (the preview) or on any problem. A
        confirmed import is recorded as an ImportBatch (interchange/batches.py), with the
        `file_name` and `user` the admin passes.
        """
        lines = line_numbers(dataset)
        rows = zip(lines, (list(row) for row in dataset), strict=True)
        with transaction.atomic():
            if dry_run:
                outcome = self.import_rows(list(dataset.headers or []), rows, keep_rows=True)
            else:
                files = [kwargs.get("file_name") or f"{self._meta.model._meta.model_name} file"]
                with recording(files=files, user=kwargs.get("user")) as recorder:
                    outcome = self.import_rows(list(dataset.headers or []), rows, keep_rows=True)
            if dry_run or outcome.problems:
                transaction.set_rollback(True)
            elif outcome.created or outcome.updated:
                records_imported.send(sender=self._meta.model, batch=recorder.batch)
        result = self.get_result_class()()
        result.total_rows = len(dataset)
        result.diff_headers = list(dataset.headers or [])
        for problem in outcome.problems:
            result.append_base_error(Error(ValueError(str(problem))))
        if not outcome.problems:
            for row in outcome.rows:
                result.append_row_result(row)
                result.increment_row_result_total(row)
        result.problems = outcome.problems
        return result

    # ----------------------------------------------------------------------- export

    def with_related(self, queryset):
        """The queryset with what the export renders loaded in a fixed number of queries."""
        return queryset

    # Resources whose rows must come after the rows they refer to (an actor's parent, a group's
    # member groups) reorder the whole table in `iter_queryset`; they are small tables, exported
    # through import-export as a whole. The others stream.
    streams_export = True

    def export_rows(self, queryset=None, *, chunk_size=EXPORT_CHUNK):
        """The export's header, then its rows (lists of text), in constant memory.

        The same cells as import-export's `export()` (tests/interchange/test_export_data.py compares
        them), without building a model instance per row:

        1. One query per chunk of `chunk_size` rows (a server-side cursor on PostgreSQL) reads the
           columns, with the natural keys of foreign keys joined in (`source__slug`).
        2. Per chunk, one query per many-to-many column reads the chunk's links as ids, turned
           into natural keys by a map of the related table read once (actors, metals: small),
           and one query per late column (a claim's links) its cells (LateColumn.cells).
        3. Each cell is rendered by its field's widget (plain text passes straight through).
        """
        queryset = self.get_queryset() if queryset is None else queryset
        headers = self.get_export_headers()
        yield headers
        if not self.streams_export:
            yield from self.export(queryset=queryset)
            return
        plan = _export_plan(self)
        lookups = [lookup for kind, lookup, _ in plan if kind == "value"]
        renders = [render for kind, _, render in plan if kind == "value"]
        # (position, cells of a chunk's ids → {id: cell}) of the columns read per chunk.
        per_chunk = []
        for position, (kind, lookup, extra) in enumerate(plan):
            if kind == "m2m":
                keys = _keys_of(self._meta.model, lookup, extra)
                per_chunk.append((position, partial(_links, self._meta.model, lookup, keys)))
            elif kind == "late":
                per_chunk.append((position, extra.cells))
        if not queryset.query.order_by:
            queryset = queryset.order_by("pk")
        rows = queryset.values_list("pk", *lookups)
        rows = rows.iterator(chunk_size=chunk_size)
        while chunk := list(itertools.islice(rows, chunk_size)):
            ids = [row[0] for row in chunk]
            columns = [(position, cells_of(ids)) for position, cells_of in per_chunk]
            for row in chunk:
                # One comprehension per row rather than a call per cell: this runs for every
                # cell of the largest tables.
                cells = [
                    ("" if value is None else value) if render is None else render(value)
                    for value, render in zip(row[1:], renders, strict=True)
                ]
                for position, owners in columns:
                    cells.insert(position, owners.get(row[0], ""))
                yield cells

    def filter_export(self, queryset, **kwargs):
        return self.with_related(queryset)

    def get_queryset(self):
        # In the order the records were made: a file imported into an empty database exports in
        # its own order again.
        return self.with_related(super().get_queryset().order_by("pk"))


def _export_plan(resource):
    """(kind, lookup, renderer) per exported column: how `export_rows` reads and writes it.

    kind is "value", "m2m" or "late"; for a many-to-many column the third item is the related
    natural key, for a late column its widget. A renderer of None means the value is text already
    (or None, written as an empty cell).
    """
    plan = []
    for field in resource.get_export_fields():
        widget = field.widget
        if isinstance(widget, LateColumn):
            plan.append(("late", field.attribute, widget))
        elif isinstance(widget, NaturalKeyListWidget):
            plan.append(("m2m", field.attribute, widget.field))
        elif isinstance(widget, NaturalKeyWidget):
            plan.append(("value", f"{field.attribute}__{widget.field}", None))
        elif type(widget) in (TextWidget, CodeWidget, ChoiceWidget):
            plan.append(("value", field.attribute, None))
        else:
            plan.append(("value", field.attribute, widget.render))
    return plan


def _keys_of(model, attribute, key):
    """{id: natural key} of every record a many-to-many field of `model` can point at."""
    related = model._meta.get_field(attribute).related_model
    return dict(related._default_manager.order_by().values_list("pk", key).iterator())


def _links(model, attribute, keys, ids):
    """{owner id: cell} of one many-to-many field for the owners in `ids`: its `|`-separated
    natural keys, sorted so that an export is the same file however the links were written."""
    link_model, source, target = through(model._meta.get_field(attribute))
    links = {}
    owner_ids = any_of(ids, model._meta.pk)
    pairs = (
        link_model.objects.filter(**{f"{source}__in": owner_ids})
        .order_by()
        .values_list(source, target)
    )
    for owner, target_id in pairs:
        links.setdefault(owner, []).append(keys[target_id])
    return {owner: LIST_SEPARATOR.join(sorted(names)) for owner, names in links.items()}


def _unknown_column(column, known):
    close = difflib.get_close_matches(column.lower(), known, n=1, cutoff=0.6)
    if close:
        return f"unknown column '{column}' — did you mean '{close[0]}'?"
    return f"unknown column '{column}': the columns are {', '.join(known)}"


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
