"""The driver of an import: a resource's plan, and one file's rows taken through it batch by batch.

`BulkImporter` is built once per file from the resource: which columns are plain values and which
are natural keys (keys.py), the compiled check constraints (constraints.py), the conditional
unique constraints. `run` then reads the rows BATCH_SIZE at a time; for each batch it fetches the
rows already in the database in one query, checks every row (check.py) and writes the good ones
(write.py). What has to wait for the whole file (a key written twice, a missing key that turns up
further down, the cells of a resource's late columns: late.py) is settled at the end.
"""

import itertools
from dataclasses import dataclass, field, replace

from django.db import connection, models
from django.utils import timezone

from core.history import current_change_context
from core.models import Versioned

from ..batches import current_recorder
from ..problems import Problem, missing_message
from ..widgets import NaturalKeyListWidget, NaturalKeyWidget
from .check import blank_values, check_row, check_uniques
from .constraints import Condition
from .keys import KeyMap, Relation, any_of, through
from .late import LateColumn
from .write import write

BATCH_SIZE = 2000


@dataclass
class BulkResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # RowResults, only with keep_rows


class BulkImporter:
    """Import rows into the resource's model; see interchange/engine/__init__.py for the steps.

    Its attributes are the plan (set here, from the resource) and, once `run` starts, the state of
    the file's run; check.py and write.py read both.
    """

    def __init__(self, resource, *, keep_rows=False, progress=None):
        self.model = model = resource._meta.model
        self.opts = model._meta
        self.keep_rows = keep_rows
        self.progress = progress
        self.key_attribute = resource.get_import_id_fields()[0]
        self.key_column = resource.fields[self.key_attribute].column_name
        self.columns = {f.attribute: f.column_name for f in resource.fields.values()}
        self.constraint_messages = resource.constraint_messages
        keymaps = {}

        def keymap(related, key):
            return keymaps.setdefault((related, key), KeyMap(related, key))

        # Checks of whole rows that only the resource knows (a claim's figure within its
        # question's bounds): made once per file, so that what they read is read once.
        self.row_check = resource.row_check()
        self.self_keys = None
        self.values, self.fks, self.m2ms, self.late = [], [], [], []
        for resource_field in resource.get_import_fields():
            widget = resource_field.widget
            if isinstance(widget, LateColumn):
                self.late.append(resource_field)
                continue
            model_field = self.opts.get_field(resource_field.attribute)
            if isinstance(widget, NaturalKeyWidget | NaturalKeyListWidget):
                relation = Relation(
                    resource_field,
                    model_field,
                    keymap(widget.model, widget.field),
                    widget.label,
                    widget.model is model,
                )
                if relation.is_self:
                    self.self_keys = relation.keymap
                (self.m2ms if model_field.many_to_many else self.fks).append(relation)
            else:
                self.values.append(resource_field)
        self.concrete = [f for f in self.opts.concrete_fields if not f.primary_key]
        self.attnames = [f.attname for f in self.opts.concrete_fields]
        self.blank_values = blank_values(self.opts)
        fk_names = [f.name for f in self.opts.concrete_fields if f.is_relation]
        # Fields `clean_fields` leaves alone: relations are checked against the key maps instead.
        self.not_cleaned = {*fk_names, *(r.attribute for r in self.m2ms)}
        self.checks = [
            (c.name, Condition(c.condition, self.opts))
            for c in self.opts.constraints
            if isinstance(c, models.CheckConstraint)
        ]
        self.uniques = [
            c
            for c in self.opts.constraints
            if isinstance(c, models.UniqueConstraint)
            and list(c.fields) != [self.key_attribute]
            and len(c.fields) == 1
        ]
        self.unique_conditions = {
            c.name: Condition(c.condition, self.opts) for c in self.uniques if c.condition
        }
        self.history = getattr(model, "history", None)
        # What the engine sets on each row it writes (write.py): a changed row's version, a new
        # row's creator, and whatever the resource's hook sets.
        self.versioned = issubclass(model, Versioned)
        self.created_by = None
        if "created_by" not in self.columns:
            for f in self.opts.concrete_fields:
                if f.name == "created_by":
                    self.created_by = f.attname
        self.before_write = resource.before_write
        self._keys_of = {}

    def run(self, header, rows, *, total=0):
        """Import `rows` ((line, cells) pairs under `header`); returns a BulkResult.

        The header must be checked already (InterchangeResource.check_header).
        """
        self.result = BulkResult()
        self.header = header
        self.present = set(header)
        self.key_index = header.index(self.key_column)
        self.lines = {}  # key → the line it is on: duplicates, and "is on line N" for self-references
        self.duplicates = []
        self.hints = []  # (problem index, label, keys) of self-references, completed at the end
        self.unique_seen = {c.name: {} for c in self.uniques}
        # attribute → (line, key, id, value) of each written row whose late cell changes something.
        self.late_rows = {f.attribute: [] for f in self.late if f.column_name in self.present}
        self.now = timezone.now()
        self.reason, self.user = current_change_context()
        self.recorder = current_recorder()
        self.late_cells = {}  # the preview's old cells of late columns, per batch
        done = 0
        rows = iter(rows)
        while batch := list(itertools.islice(rows, BATCH_SIZE)):
            self._batch(batch)
            if self.progress:
                for n in range(done + 1, done + len(batch) + 1):
                    self.progress(n, max(total, n))
            done += len(batch)
        problems = self.result.problems
        for index, label, keys in self.hints:
            # Only now is it known whether a missing key is further down the file.
            problem = problems[index]
            problems[index] = replace(problem, message=missing_message(label, keys, self.lines))
        if not self.duplicates:
            self._late()
        if self.duplicates:
            # A key written twice makes the file ambiguous: that alone is reported, and no row
            # counts as imported, as when the keys were checked before any row.
            self.result = BulkResult(problems=self.duplicates, rows=[])
        self.result.problems.sort(key=lambda p: p.line or 0)
        if self.recorder is not None:
            result = self.result
            self.recorder.flush()  # what the late columns wrote
            self.recorder.count(
                model=self.model,
                created=result.created,
                updated=result.updated,
                unchanged=result.unchanged,
            )
        return self.result

    def keys_of(self, keymap):
        """id → natural key of a key map, for the preview's old cells: made once per file."""
        keys = self._keys_of.get(id(keymap))
        if keys is None:
            keys = self._keys_of[id(keymap)] = {v: k for k, v in keymap.ids.items()}
        return keys

    def _batch(self, batch):
        key_index = self.key_index
        rows = []
        for line, cells in batch:
            key = str(cells[key_index]).strip()
            if key and key in self.lines:
                self.duplicates.append(
                    Problem(
                        f"{self.key_column} '{key}' is also on line {self.lines[key]}: "
                        "each record once",
                        line=line,
                        column=self.key_column,
                    )
                )
                continue
            if key:
                self.lines[key] = line
            rows.append((line, key, dict(zip(self.header, cells, strict=True))))
        existing = self._existing([key for _, key, _ in rows if key])
        todo = []
        for line, key, row in rows:
            item = check_row(self, line, key, row, existing.get(key))
            if item is not None:
                todo.append(item)
        check_uniques(self, todo)
        write(self, todo)
        for item in todo:
            for attribute, value in item.late.items():
                self.late_rows[attribute].append((item.line, item.key, item.instance.pk, value))

    def _late(self):
        """The late columns' cells, now that every row of the file is written (late.LateColumn)."""
        problems = self.result.problems
        for resource_field in self.late:
            rows = self.late_rows.get(resource_field.attribute)
            if not rows:
                continue
            widget = resource_field.widget
            resolved, found = widget.check(self, rows)
            column = resource_field.column_name
            problems.extend(Problem(message, line=line, column=column) for line, message in found)
            if not problems:
                widget.write(self, resolved)

    def _existing(self, keys):
        """key → (field values, {m2m attribute: {related id: link id}}, {late attribute: value})
        of the keys in the db."""
        if not keys:
            return {}
        found = {}
        pk = self.opts.pk.attname
        keys = any_of(keys, self.opts.get_field(self.key_attribute))
        queryset = self.model._default_manager.filter(**{f"{self.key_attribute}__in": keys})
        if connection.vendor == "postgresql":
            # Locked until the import commits: a form saved meanwhile waits, then finds the
            # version the import wrote and is refused, instead of the import overwriting it.
            # (NO KEY: rows that refer to these may still be written.)
            queryset = queryset.select_for_update(no_key=True)
        for values in queryset.order_by().values(*self.attnames):
            found[values[pk]] = (values, {}, {})
        if found:
            for relation in self.m2ms:
                if relation.column not in self.present:
                    continue
                link_model, source, target = through(relation.model_field)
                links = link_model.objects.filter(**{f"{source}__in": list(found)})
                for link_id, owner, related in links.values_list("pk", source, target):
                    found[owner][1].setdefault(relation.attribute, {})[related] = link_id
            for resource_field in self.late:
                if resource_field.column_name in self.present:
                    widget = resource_field.widget
                    for owner, value in widget.current(list(found)).items():
                        found[owner][2][resource_field.attribute] = value
                    if self.keep_rows:
                        self.late_cells[resource_field.attribute] = widget.cells(list(found))
        return {values[self.key_attribute]: (values, *rest) for values, *rest in found.values()}
