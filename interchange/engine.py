"""The import engine every interchange file goes through: admin, `import_data` and `load_demo`.

A file's rows are read as a stream and handled in batches (BATCH_SIZE rows), so a 100,000-row
claims.csv imports at a good fraction of PostgreSQL's own COPY and in bounded memory:

1. The header is checked before any row (missing required columns, unknown or repeated columns).
2. For each batch, one query fetches the rows already in the database under the batch's keys (and
   their many-to-many links); natural keys of other records (slugs, symbols) are looked up in maps
   loaded once per file (`KeyMap`), so no row costs a query of its own.
3. Each row is checked in plain Python, with the same messages as ever: the resource's fields and
   widgets parse the cells (interchange/widgets.py), natural keys must exist, the model's field
   validation runs (`clean_fields`), its check constraints are evaluated in Python (`_Condition`) and
   its conditional unique constraints are checked against the batch and the database.
4. The batch is written in bulk: new rows inserted (COPY on PostgreSQL, bulk_create elsewhere),
   changed rows updated, many-to-many links replaced where they changed, and one history row per
   created or changed record, its links included, with the change reason and user of the
   surrounding `core.history.change_reason` block.
5. Rows with problems are not written; the caller (an outer transaction) rolls everything back if
   there is any problem, so an import is still all or nothing.

Only the problems and the key maps are kept from batch to batch (and, for the admin's preview,
one small result per row when `keep_rows` is set).
"""

import itertools
import re
from dataclasses import dataclass, field, replace
from operator import ge, gt, le, lt

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, models
from django.db.models import F, Q
from django.db.models.constants import LOOKUP_SEP
from django.db.models.expressions import RawSQL
from django.utils import timezone
from import_export.results import RowResult

from core.history import current_change_context

from .problems import Problem, missing_message, plain
from .widgets import (
    NaturalKeyListWidget,
    NaturalKeyWidget,
    split_list,
    text_cell,
)

BATCH_SIZE = 2000


@dataclass
class BulkResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # RowResults, only with keep_rows


class KeyMap:
    """Natural key → id for one model, loaded in one query when first needed."""

    def __init__(self, model, key):
        self.model, self.key = model, key
        self._ids = None

    @property
    def ids(self):
        if self._ids is None:
            self._ids = dict(self.model._default_manager.values_list(self.key, "pk").iterator())
        return self._ids


class _Relation:
    """A foreign key or many-to-many column of a resource, resolved through a KeyMap."""

    def __init__(self, resource_field, model_field, keymap, label, is_self):
        self.column = resource_field.column_name
        self.attribute = resource_field.attribute
        self.model_field = model_field
        self.keymap = keymap
        self.label = label
        self.is_self = is_self


class BulkImporter:
    """Import rows into the resource's model; see the module docstring for the steps."""

    def __init__(self, resource, *, keep_rows=False, progress=None):
        self.resource = resource
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

        self.self_keys = None
        self.values, self.fks, self.m2ms = [], [], []
        for resource_field in resource.get_import_fields():
            widget = resource_field.widget
            model_field = self.opts.get_field(resource_field.attribute)
            if isinstance(widget, NaturalKeyWidget | NaturalKeyListWidget):
                relation = _Relation(
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
        self.blank_values = _blank_values(self.opts)
        self.fk_names = [f.name for f in self.opts.concrete_fields if f.is_relation]
        # Fields `clean_fields` leaves alone: relations are checked against the key maps instead.
        self.not_cleaned = {*self.fk_names, *(r.attribute for r in self.m2ms)}
        self.checks = [
            (c.name, _Condition(c.condition, self.opts))
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
            c.name: _Condition(c.condition, self.opts) for c in self.uniques if c.condition
        }
        self.history = getattr(model, "history", None)

    # ----------------------------------------------------------------------- reading

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
        self.now = timezone.now()
        self.reason, self.user = current_change_context()
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
        if self.duplicates:
            # A key written twice makes the file ambiguous: that alone is reported, and no row
            # counts as imported, as when the keys were checked before any row.
            self.result = BulkResult(problems=self.duplicates, rows=[])
        self.result.problems.sort(key=lambda p: p.line or 0)
        return self.result

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
            item = self._check_row(line, key, row, existing.get(key))
            if item is not None:
                todo.append(item)
        self._check_uniques(todo)
        self._write(todo)

    def _existing(self, keys):
        """key → (field values, {m2m attribute: {related id: link id}}) of the keys in the db."""
        if not keys:
            return {}
        found = {}
        pk = self.opts.pk.attname
        keys = any_of(keys, self.opts.get_field(self.key_attribute))
        queryset = self.model._default_manager.filter(**{f"{self.key_attribute}__in": keys})
        for values in queryset.order_by().values(*self.attnames):
            found[values[pk]] = (values, {})
        if found:
            for relation in self.m2ms:
                if relation.column not in self.present:
                    continue
                through, source, target = _through(relation.model_field)
                links = through.objects.filter(**{f"{source}__in": list(found)})
                for link_id, owner, related in links.values_list("pk", source, target):
                    found[owner][1].setdefault(relation.attribute, {})[related] = link_id
        return {values[self.key_attribute]: (values, links) for values, links in found.values()}

    # ----------------------------------------------------------------------- checking

    def _check_row(self, line, key, row, existing):
        errors, hints = {}, {}
        # Positional values, as Django builds instances from query results: much cheaper than
        # keywords or defaults looked up field by field, on every row of a large file.
        if existing is None:
            original, original_links = None, {}
            instance = self.model(*self.blank_values) if self.blank_values else self.model()
        else:
            original, original_links = existing
            values = [original[name] for name in self.attnames]
            instance = self.model.from_db(None, self.attnames, values)
        for resource_field in self.values:
            if resource_field.column_name not in self.present:
                continue
            try:
                value = resource_field.clean(row)
            except ValueError as error:
                errors[resource_field.attribute] = [str(error)]
                continue
            setattr(instance, resource_field.attribute, value)
        pending = []  # references to records this batch creates: set once they have an id
        for relation in self.fks:
            if relation.column not in self.present:
                continue
            text = text_cell(row[relation.column])
            ids = relation.keymap.ids
            if not text:
                related_id = None
            elif text not in ids:
                errors[relation.attribute] = [missing_message(relation.label, [text], {})]
                if relation.is_self:
                    hints[relation.attribute] = (relation.label, [text])
                continue
            else:
                related_id = ids[text]
                if related_id is None:
                    pending.append((relation.model_field.attname, text))
            setattr(instance, relation.model_field.attname, related_id)
        links = {}
        for relation in self.m2ms:
            if relation.column not in self.present:
                continue
            keys = list(dict.fromkeys(split_list(row[relation.column])))
            ids = relation.keymap.ids
            missing = [k for k in keys if k not in ids]
            if missing:
                errors[relation.attribute] = [missing_message(relation.label, missing, {})]
                if relation.is_self:
                    hints[relation.attribute] = (relation.label, missing)
                continue
            links[relation.attribute] = keys
        errors = self._validate(instance, errors, pending)
        if errors:
            self._report(line, errors, hints)
            if self.keep_rows:
                self.result.rows.append(_row_result(RowResult.IMPORT_TYPE_INVALID, None, row))
            return None
        if original is None:
            kind = RowResult.IMPORT_TYPE_NEW
        elif pending or self._changed(instance, original, links, original_links):
            kind = RowResult.IMPORT_TYPE_UPDATE
        else:
            kind = RowResult.IMPORT_TYPE_SKIP
        if kind == RowResult.IMPORT_TYPE_NEW:
            if self.self_keys is not None:
                self.self_keys.ids[key] = None  # known from here on; the id comes with the write
            self.result.created += 1
        elif kind == RowResult.IMPORT_TYPE_UPDATE:
            self.result.updated += 1
        else:
            self.result.unchanged += 1
        if self.keep_rows:
            self.result.rows.append(_row_result(kind, instance, row))
        if kind == RowResult.IMPORT_TYPE_SKIP:
            return None
        return _Item(kind, line, key, instance, links, original_links, pending)

    def _changed(self, instance, original, links, original_links):
        for f in self.concrete:
            if getattr(instance, f.attname) != original[f.attname]:
                return True
        for relation in self.m2ms:
            if relation.attribute in links:
                ids = relation.keymap.ids
                wanted = {ids[k] for k in links[relation.attribute]}
                if wanted != set(original_links.get(relation.attribute, {})):
                    return True
        return False

    def _validate(self, instance, errors, pending):
        """The model's own checks, as `full_clean` makes them, without a query per row."""
        exclude = self.not_cleaned.union(errors)
        try:
            instance.clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for relation in self.fks:
            model_field = relation.model_field
            if (
                relation.attribute not in errors
                and not model_field.null
                and getattr(instance, model_field.attname) is None
                and not pending
            ):
                errors[relation.attribute] = ["This field cannot be null."]
        skip = set(errors)
        for name, condition in self.checks:
            if condition.holds(instance, skip) is False:
                errors.setdefault(NON_FIELD_ERRORS, []).append(_violated(name))
        return errors

    def _report(self, line, errors, hints=None):
        hints = hints or {}
        for attribute, messages in errors.items():
            for message in messages:
                if isinstance(message, ValidationError):
                    message = message.messages[0]
                if attribute == NON_FIELD_ERRORS:
                    column = ""
                else:
                    column = self.columns.get(attribute, attribute)
                named = _CONSTRAINT.search(message)
                if named and named["name"] in self.constraint_messages:
                    column, message = self.constraint_messages[named["name"]]
                self.result.problems.append(Problem(plain(message), line=line, column=column))
                if attribute in hints:
                    label, keys = hints[attribute]
                    self.hints.append((len(self.result.problems) - 1, label, keys))

    def _check_uniques(self, todo):
        """Conditional unique constraints (a source's URL): against this file and the database."""
        if not self.uniques or not todo:
            return
        bad = {}
        for constraint in self.uniques:
            attname = self.opts.get_field(constraint.fields[0]).attname
            seen = self.unique_seen[constraint.name]
            condition = self.unique_conditions.get(constraint.name)
            candidates = {}
            for index, item in enumerate(todo):
                if condition is not None and not condition.holds(item.instance, set()):
                    continue
                value = getattr(item.instance, attname)
                if seen.get(value, item.key) != item.key:
                    bad.setdefault(index, constraint.name)
                    continue
                seen[value] = item.key
                candidates.setdefault(value, []).append(index)
            if candidates:
                taken = self.model._default_manager.filter(**{f"{attname}__in": list(candidates)})
                for value, owner in taken.values_list(attname, self.key_attribute):
                    for index in candidates.get(value, []):
                        if todo[index].key != owner:
                            bad.setdefault(index, constraint.name)
        for index in sorted(bad, reverse=True):
            item = todo.pop(index)
            self._report(item.line, {NON_FIELD_ERRORS: [_violated(bad[index])]})
            if item.kind == RowResult.IMPORT_TYPE_NEW:
                self.result.created -= 1
            else:
                self.result.updated -= 1

    # ----------------------------------------------------------------------- writing

    def _write(self, todo):
        if not todo:
            return
        new = [item for item in todo if item.kind == RowResult.IMPORT_TYPE_NEW]
        changed = [item for item in todo if item.kind == RowResult.IMPORT_TYPE_UPDATE]
        stamped = [f for f in self.concrete if getattr(f, "auto_now", False)]
        created = [f for f in self.concrete if getattr(f, "auto_now_add", False)]
        for item in todo:
            for f in stamped:
                setattr(item.instance, f.attname, self.now)
            if item.kind == RowResult.IMPORT_TYPE_NEW:
                for f in created:
                    setattr(item.instance, f.attname, self.now)
        _insert(self.model, [item.instance for item in new])
        ids = self.self_keys.ids if self.self_keys is not None else {}
        if self.self_keys is not None:
            for item in new:
                ids[item.key] = item.instance.pk
        # References to records created in this batch (an actor's parent a few lines up).
        late = [item for item in new if item.pending]
        for item in todo:
            for attname, text in item.pending:
                setattr(item.instance, attname, ids[text])
        if late:
            names = sorted({attname for item in late for attname, _ in item.pending})
            self.model._default_manager.bulk_update(
                [item.instance for item in late], names, batch_size=500
            )
        if changed:
            names = [
                f.name
                for f in self.concrete
                if f in stamped or self.columns.get(f.name) in self.present
            ]
            self.model._default_manager.bulk_update(
                [item.instance for item in changed], names, batch_size=500
            )
        links = self._write_links(todo)
        self._write_history(new, changed, links)

    def _write_links(self, items):
        """Replace the m2m links that changed; returns {(attribute, owner id): {related: link}}."""
        result = {}
        for relation in self.m2ms:
            through, source, target = _through(relation.model_field)
            ids = relation.keymap.ids
            delete, add = [], []  # add: (owner, related) pairs, the columns of a new link
            for item in items:
                owner = item.instance.pk
                old = item.original_links.get(relation.attribute, {})
                if relation.attribute not in item.links:
                    result[(relation.attribute, owner)] = dict(old)
                    continue
                wanted = [ids[k] for k in item.links[relation.attribute]]
                if not old:  # the common case of a new record: every link is new
                    result[(relation.attribute, owner)] = {}
                    add.extend((owner, related) for related in wanted)
                    continue
                result[(relation.attribute, owner)] = {t: old[t] for t in wanted if t in old}
                delete.extend(link for related, link in old.items() if related not in wanted)
                add.extend((owner, related) for related in wanted if related not in old)
            if delete:
                through.objects.filter(pk__in=delete).delete()
            new_ids = _insert_rows(through, [source, target], add)
            for (owner, related), link in zip(add, new_ids, strict=True):
                result[(relation.attribute, owner)][related] = link
        # Links of fields the file has no column for are in the history too.
        for model_field in self._history_m2m_fields():
            if any(r.model_field == model_field for r in self.m2ms):
                continue
            through, source, target = _through(model_field)
            changed = [item.instance.pk for item in items]
            for owner in changed:
                result[(model_field.name, owner)] = {}
            links = through.objects.filter(**{f"{source}__in": changed})
            for link, owner, related in links.values_list("pk", source, target):
                result[(model_field.name, owner)][related] = link
        return result

    def _history_m2m_fields(self):
        if self.history is None:
            return []
        return getattr(self.history.model, "_history_m2m_fields", [])

    def _write_history(self, new, changed, links):
        """One history row per created (+) or changed (~) record, and one per link it has.

        Written as plain rows, as simple-history would save them one by one, without its signals:
        the reason and user come from the surrounding `change_reason` block.
        """
        if self.history is None:
            return
        history_model = self.history.model
        tracked = [f.attname for f in history_model.tracked_fields]
        user_id = getattr(self.user, "pk", None)
        names = ["history_date", "history_type", "history_change_reason", "history_user_id"]
        owners, rows = [], []
        for history_type, items in (("+", new), ("~", changed)):
            for item in items:
                values = item.instance.__dict__
                owners.append(item.instance.pk)
                rows.append(
                    (self.now, history_type, self.reason, user_id, *[values[n] for n in tracked])
                )
        history_ids = _insert_rows(history_model, [*names, *tracked], rows)
        for model_field in self._history_m2m_fields():
            through, source, target = _through(model_field)
            history_m2m = _history_m2m_model(history_model, through)
            link_rows = [
                (link, history_id, owner, related)
                for owner, history_id in zip(owners, history_ids, strict=True)
                for related, link in links.get((model_field.name, owner), {}).items()
            ]
            _insert_rows(history_m2m, ["id", "history_id", source, target], link_rows)


@dataclass
class _Item:
    """A checked row to write."""

    kind: str
    line: int
    key: str
    instance: models.Model
    links: dict
    original_links: dict
    pending: list


_CONSTRAINT = re.compile(r"Constraint “(?P<name>[^”]+)” is violated")


def _violated(name):
    return f"Constraint “{name}” is violated."


def _row_result(kind, instance, row):
    """What the admin's preview and its log entries need of a row."""
    result = RowResult()
    result.import_type = kind
    result.instance = instance
    result.diff = list(row.values())
    if instance is not None:
        result.add_instance_info(instance)
    return result


def _blank_values(opts):
    """Every concrete field's default, in order, as `Model()` would set them; None when a default
    is callable and so must be made afresh for each instance."""
    fields = opts.concrete_fields
    if any(f.has_default() and callable(f.default) for f in fields):
        return None
    return tuple(f.get_default() for f in fields)


def any_of(values, model_field):
    """`values` of `model_field` for an `__in` lookup of a batch's worth of keys or ids.

    On PostgreSQL, one array parameter unnested: the planner looks each value up in the index,
    where an IN list of thousands of values makes it scan the whole table, once per batch (and
    Django prepares each value of such a list one by one).
    """
    if connection.vendor != "postgresql":
        return values
    db_type = model_field.rel_db_type(connection)
    return RawSQL(f"SELECT unnest(%s::{db_type}[])", [list(values)])


def _through(model_field):
    """The link model of a many-to-many field and the attnames of its two foreign keys."""
    through = model_field.remote_field.through
    source = through._meta.get_field(model_field.m2m_field_name()).attname
    target = through._meta.get_field(model_field.m2m_reverse_field_name()).attname
    return through, source, target


def _history_m2m_model(history_model, through):
    for relation in history_model._meta.related_objects:
        if relation.related_model.__name__ == f"Historical{through.__name__}":
            return relation.related_model
    raise LookupError(f"no history model for {through.__name__}")


def _insert(model, objs):
    """Insert model instances and set their primary keys: COPY on PostgreSQL, bulk_create elsewhere."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs, batch_size=500)
        return
    attnames = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
    rows = [[obj.__dict__[name] for name in attnames] for obj in objs]
    pk = model._meta.pk.attname
    for obj, new_id in zip(objs, _insert_rows(model, attnames, rows), strict=True):
        setattr(obj, pk, new_id)
        obj._state.adding = False


def _insert_rows(model, attnames, rows):
    """Insert rows (sequences of values for `attnames`); returns their new primary keys, in order.

    Links and history rows are many per record and only their ids are needed afterwards, so they
    are written as plain values: COPY on PostgreSQL, with no model instance built at all; elsewhere
    (SQLite) bulk_create, which needs instances. `attnames` must name every column but the primary
    key, as saving a model would.
    """
    if not rows:
        return []
    opts = model._meta
    if connection.vendor != "postgresql":
        objs = [model(**dict(zip(attnames, row, strict=True))) for row in rows]
        model._default_manager.bulk_create(objs, batch_size=500)
        return [obj.pk for obj in objs]
    unnamed = {f.attname for f in opts.concrete_fields if not f.primary_key} - set(attnames)
    if unnamed:
        raise ValueError(f"{opts.label}: no value for {', '.join(sorted(unnamed))}")
    table, pk = opts.db_table, opts.pk
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(c) for c in [pk.column, *(opts.get_field(a).column for a in attnames)]
    )
    with connection.cursor() as cursor:
        # Ids from the table's own sequence, so the rows that refer to these get them at once.
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [quote(table), pk.column, len(rows)],
        )
        ids = [new_id for (new_id,) in cursor.fetchall()]
        with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
            for new_id, row in zip(ids, rows, strict=True):
                copy.write_row((new_id, *row))
    return ids


class _Condition:
    """A constraint's condition (a Q tree), prepared once per import and evaluated per row.

    `holds(instance, skip)` answers as SQL would: True, False or None. None (unknown) is what SQL
    gives for a comparison with NULL, and a CHECK passes on it. A condition on a field in `skip`
    (one with an error already) is not evaluated, as in full_clean. The tree is walked once here,
    not once per row: which fields each branch refers to, and the attribute each lookup reads.
    """

    def __init__(self, condition, opts):
        self.referenced = frozenset(_referenced(condition))
        self.tests = [
            _Condition(child, opts) if isinstance(child, Q) else _Lookup(child, opts)
            for child in condition.children
        ]
        # One False decides an AND, one True an OR; otherwise any unknown part makes it unknown.
        self.decisive = condition.connector != Q.AND
        self.negated = condition.negated

    def holds(self, instance, skip):
        if skip and not self.referenced.isdisjoint(skip):
            return None
        outcome = not self.decisive
        for test in self.tests:
            result = test.holds(instance, skip)
            if result is None:
                outcome = None
            elif result == self.decisive:
                outcome = result
                break
        if self.negated and outcome is not None:
            outcome = not outcome
        return outcome


class _Lookup:
    """One `field__operator=expected` of a condition; `expected` may be another field (F)."""

    def __init__(self, child, opts):
        lookup, expected = child
        name, _, operator = lookup.partition(LOOKUP_SEP)
        self.attname = _attname(name, opts)
        self.operator = operator or "exact"
        self.other = _attname(expected.name, opts) if isinstance(expected, F) else None
        self.expected = expected

    def holds(self, instance, skip):
        value = getattr(instance, self.attname)
        if self.other is None:
            return _compare(value, self.operator, self.expected)
        # A column compared with a column: NULL on either side is unknown in SQL.
        expected = getattr(instance, self.other)
        if value is None or expected is None:
            return None
        return _compare(value, self.operator, expected)


def _referenced(condition):
    names = set()
    for child in condition.children:
        if isinstance(child, Q):
            names |= _referenced(child)
        else:
            names.add(child[0].split(LOOKUP_SEP)[0])
            if isinstance(child[1], F):
                names.add(child[1].name)
    return names


def _attname(name, opts):
    return "pk" if name == "pk" else opts.get_field(name).attname


_ORDER = {"gte": ge, "gt": gt, "lte": le, "lt": lt}


def _compare(value, operator, expected):
    if operator == "isnull":
        return (value is None) == bool(expected)
    if operator == "exact" and expected is None:
        return value is None
    if value is None or expected is None:
        return None
    if operator == "exact":
        return value == expected
    if operator == "in":
        return value in expected
    return _ORDER[operator](value, expected)
