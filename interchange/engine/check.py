"""Checking one batch's rows, in plain Python, before anything is written.

Each row becomes a model instance (from the row already in the database, or blank), its cells
parsed by the resource's widgets and its natural keys resolved through the key maps; then the
model's own checks run as `full_clean` would make them, without a query per row: field
validation, required relations, the compiled check constraints (constraints.py), the resource's
own check of whole rows (`row_check`) and, across the batch and the database, the conditional
unique constraints. A row with a problem becomes a `Problem` on its line and is not written; a
row that changes nothing is counted and dropped. A late column's cell (late.py) is parsed here,
and applied once the whole file is written.

`importer` is the file's run.BulkImporter: the plan of the resource's columns and the run's state.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from import_export.results import RowResult

from core.text import LIST_SEPARATOR

from ..problems import Problem, missing_message, plain
from ..widgets import split_list, text_cell


@dataclass
class Item:
    """A checked row to write."""

    kind: str
    line: int
    key: str
    instance: models.Model
    original: dict | None  # the stored values ({attname: value}), None for a new row
    links: dict
    original_links: dict
    pending: list
    late: dict  # late attribute → value, where the cell changes what the record has


def check_row(importer, line, key, row, existing):
    """The row's Item to write, or None when it has problems (reported) or changes nothing."""
    model = importer.model
    result = importer.result
    errors, hints = {}, {}
    # Positional values, as Django builds instances from query results: much cheaper than
    # keywords or defaults looked up field by field, on every row of a large file.
    if existing is None:
        original, original_links, original_late = None, {}, {}
        instance = model(*importer.blank_values) if importer.blank_values else model()
    else:
        original, original_links, original_late = existing
        values = [original[name] for name in importer.attnames]
        instance = model.from_db(None, importer.attnames, values)
    for resource_field in importer.values:
        if resource_field.column_name not in importer.present:
            continue
        try:
            value = resource_field.clean(row)
        except ValueError as error:
            errors[resource_field.attribute] = [str(error)]
            continue
        setattr(instance, resource_field.attribute, value)
    pending = []  # references to records this batch creates: set once they have an id
    for relation in importer.fks:
        if relation.column not in importer.present:
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
    for relation in importer.m2ms:
        if relation.column not in importer.present:
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
    late = {}
    for resource_field in importer.late:
        if resource_field.column_name not in importer.present:
            continue
        try:
            value = resource_field.widget.parse(row[resource_field.column_name], key)
        except ValueError as error:
            errors[resource_field.attribute] = [str(error)]
            continue
        if value != original_late.get(resource_field.attribute, ()):
            late[resource_field.attribute] = value
    errors = _validate(importer, instance, errors, pending)
    if not errors and importer.row_check is not None:
        errors = {name: [message] for name, message in importer.row_check(instance).items()}
    if errors:
        report(importer, line, errors, hints)
        if importer.keep_rows:
            result.rows.append(_row_result(RowResult.IMPORT_TYPE_INVALID, None, row))
        return None
    if original is None:
        kind = RowResult.IMPORT_TYPE_NEW
    elif pending or late or _changed(importer, instance, original, links, original_links):
        kind = RowResult.IMPORT_TYPE_UPDATE
    else:
        kind = RowResult.IMPORT_TYPE_SKIP
    if kind == RowResult.IMPORT_TYPE_NEW:
        if importer.self_keys is not None:
            importer.self_keys.ids[key] = None  # known from here on; the id comes with the write
        result.created += 1
    elif kind == RowResult.IMPORT_TYPE_UPDATE:
        result.updated += 1
    else:
        result.unchanged += 1
    if importer.keep_rows:
        changes = []
        if kind == RowResult.IMPORT_TYPE_UPDATE:
            changes = changed_cells(importer, row, instance, original, links, original_links, late)
        result.rows.append(_row_result(kind, instance, row, changes))
    if kind == RowResult.IMPORT_TYPE_SKIP:
        return None
    return Item(kind, line, key, instance, original, links, original_links, pending, late)


def _changed(importer, instance, original, links, original_links):
    for f in importer.concrete:
        if getattr(instance, f.attname) != original[f.attname]:
            return True
    for relation in importer.m2ms:
        if relation.attribute in links:
            ids = relation.keymap.ids
            wanted = {ids[k] for k in links[relation.attribute]}
            if wanted != set(original_links.get(relation.attribute, {})):
                return True
    return False


def changed_cells(importer, row, instance, original, links, original_links, late):
    """[(column, old cell, new cell)] of an updated row, in the file's order: for the preview.

    Each cell as the export writes it (its widget's `render`), so that 98 → 97 reads as the
    curator's own file: natural keys for references, `|`-separated sorted keys for lists. The
    old cells come from what the run read already (the batch's stored rows, the key maps), so the
    preview costs no query per row. A late column's new cell is the file's own text.
    """
    changes = {}
    for resource_field in importer.values:
        column = resource_field.column_name
        if column not in importer.present:
            continue
        old, new = original[resource_field.attribute], getattr(instance, resource_field.attribute)
        if old != new:
            render = resource_field.widget.render
            changes[column] = (render(old), render(new))
    for relation in importer.fks:
        attname = relation.model_field.attname
        if relation.column in importer.present and getattr(instance, attname) != original[attname]:
            old = importer.keys_of(relation.keymap).get(original[attname], "")
            changes[relation.column] = (old, text_cell(row[relation.column]))
    for relation in importer.m2ms:
        if relation.attribute not in links:
            continue
        keys = importer.keys_of(relation.keymap)
        old = sorted(keys[i] for i in original_links.get(relation.attribute, {}))
        new = sorted(links[relation.attribute])
        if old != new:
            changes[relation.column] = (LIST_SEPARATOR.join(old), LIST_SEPARATOR.join(new))
    for resource_field in importer.late:
        if resource_field.attribute in late:
            column = resource_field.column_name
            old = importer.late_cells.get(resource_field.attribute, {}).get(instance.pk, "")
            changes[column] = (old, text_cell(row[column]))
    return [(column, *changes[column]) for column in importer.header if column in changes]


def _validate(importer, instance, errors, pending):
    """The model's own checks, as `full_clean` makes them, without a query per row."""
    exclude = importer.not_cleaned.union(errors)
    try:
        instance.clean_fields(exclude=exclude)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    for relation in importer.fks:
        model_field = relation.model_field
        if (
            relation.attribute not in errors
            and not model_field.null
            and getattr(instance, model_field.attname) is None
            and not pending
        ):
            errors[relation.attribute] = ["This field cannot be null."]
    skip = set(errors)
    for name, condition in importer.checks:
        if condition.holds(instance, skip) is False:
            errors.setdefault(NON_FIELD_ERRORS, []).append(_violated(name))
    return errors


def report(importer, line, errors, hints=None):
    """Each error of a row as a Problem on its line, named by column, in plain words."""
    hints = hints or {}
    problems = importer.result.problems
    for attribute, messages in errors.items():
        for message in messages:
            if isinstance(message, ValidationError):
                message = message.messages[0]
            if attribute == NON_FIELD_ERRORS:
                column = ""
            else:
                column = importer.columns.get(attribute, attribute)
            named = _CONSTRAINT.search(message)
            if named and named["name"] in importer.constraint_messages:
                column, message = importer.constraint_messages[named["name"]]
            problems.append(Problem(plain(message), line=line, column=column))
            if attribute in hints:
                label, keys = hints[attribute]
                importer.hints.append((len(problems) - 1, label, keys))


def check_uniques(importer, todo):
    """Conditional unique constraints (a source's URL): against this file and the database.

    Rows that break one are reported and taken out of `todo`.
    """
    if not importer.uniques or not todo:
        return
    bad = {}
    for constraint in importer.uniques:
        attname = importer.opts.get_field(constraint.fields[0]).attname
        seen = importer.unique_seen[constraint.name]
        condition = importer.unique_conditions.get(constraint.name)
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
            taken = importer.model._default_manager.filter(**{f"{attname}__in": list(candidates)})
            for value, owner in taken.values_list(attname, importer.key_attribute):
                for index in candidates.get(value, []):
                    if todo[index].key != owner:
                        bad.setdefault(index, constraint.name)
    for index in sorted(bad, reverse=True):
        item = todo.pop(index)
        report(importer, item.line, {NON_FIELD_ERRORS: [_violated(bad[index])]})
        if item.kind == RowResult.IMPORT_TYPE_NEW:
            importer.result.created -= 1
        else:
            importer.result.updated -= 1


_CONSTRAINT = re.compile(r"Constraint “(?P<name>[^”]+)” is violated")


def _violated(name):
    return f"Constraint “{name}” is violated."


def _row_result(kind, instance, row, changes=()):
    """What the admin's preview and its log entries need of a row.

    `changes` are an updated row's changed cells (changed_cells); `cells` has, per column of
    the file, (cell, changed, old cell): the new cell as the export writes it where it changes.
    """
    result = RowResult()
    result.import_type = kind
    result.instance = instance
    result.diff = list(row.values())
    result.changes = list(changes)
    changed = {column: (old, new) for column, old, new in changes}
    result.cells = [
        (changed[column][1], True, changed[column][0]) if column in changed else (cell, False, "")
        for column, cell in row.items()
    ]
    if instance is not None:
        result.add_instance_info(instance)
    return result


def blank_values(opts):
    """Every concrete field's default, in order, as `Model()` would set them; None when a default
    is callable and so must be made afresh for each instance."""
    fields = opts.concrete_fields
    if any(f.has_default() and callable(f.default) for f in fields):
        return None
    return tuple(f.get_default() for f in fields)
