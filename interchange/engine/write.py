"""Writing one checked batch in bulk: rows, links and history, in a few statements per batch.

New rows are inserted with COPY on PostgreSQL (bulk_create elsewhere) and get their ids at once,
so the rows that refer to them (an actor's parent a few lines up, links, history) can be written
in the same batch; changed rows are updated in bulk; many-to-many links are replaced only where
they changed; and one history row is written per created or changed record, as simple-history
would save it, without a signal per row.

`importer` is the file's run.BulkImporter. `insert_rows` is looked up as this module's global at
each call, so a test can make it fail (tests/interchange/test_write.py).
"""

from django.db import connection
from import_export.results import RowResult

from core import dataversion

from .keys import through


def write(importer, todo):
    """Insert the batch's new rows, update its changed ones, then their links and history.

    Before the write, each row gets what the engine sets itself: its timestamps, on a new row
    the importing user as `created_by` (when the model has one), on a changed row its stored
    version + 1 (core.models.Versioned: an import is a change, so a form opened before it is
    refused); then the resource's `before_write(rows, user)`, once for the batch, with its
    (instance, original) pairs. The bulk update writes the file's columns and every other field
    that one of the batch's rows now has different from its stored value (what before_write set,
    or the engine).
    """
    if not todo:
        return
    model = importer.model
    new = [item for item in todo if item.kind == RowResult.IMPORT_TYPE_NEW]
    changed = [item for item in todo if item.kind == RowResult.IMPORT_TYPE_UPDATE]
    stamped = [f for f in importer.concrete if getattr(f, "auto_now", False)]
    created = [f for f in importer.concrete if getattr(f, "auto_now_add", False)]
    user_id = getattr(importer.user, "pk", None)
    for item in todo:
        for f in stamped:
            setattr(item.instance, f.attname, importer.now)
        if item.kind == RowResult.IMPORT_TYPE_NEW:
            for f in created:
                setattr(item.instance, f.attname, importer.now)
            if importer.created_by is not None:
                setattr(item.instance, importer.created_by, user_id)
        elif importer.versioned:
            item.instance.version = item.original["version"] + 1
    importer.before_write([(item.instance, item.original) for item in todo], importer.user)
    insert(model, [item.instance for item in new])
    ids = importer.self_keys.ids if importer.self_keys is not None else {}
    if importer.self_keys is not None:
        for item in new:
            ids[item.key] = item.instance.pk
    # References to records created in this batch (an actor's parent a few lines up).
    late = [item for item in new if item.pending]
    for item in todo:
        for attname, text in item.pending:
            setattr(item.instance, attname, ids[text])
    if late:
        names = sorted({attname for item in late for attname, _ in item.pending})
        model._default_manager.bulk_update([item.instance for item in late], names, batch_size=500)
    if changed:
        model._default_manager.bulk_update(
            [item.instance for item in changed], _updated_fields(importer, changed), batch_size=500
        )
    links = _write_links(importer, todo)
    _write_history(importer, new, changed, links)
    if importer.recorder is not None:
        importer.recorder.flush()


def _updated_fields(importer, changed):
    """The names of the fields the bulk update writes: the file's columns, the timestamps, and
    any other field that a changed row has different from its stored value."""
    names = []
    for f in importer.concrete:
        if (
            getattr(f, "auto_now", False)
            or importer.columns.get(f.name) in importer.present
            or any(
                getattr(item.instance, f.attname) != item.original[f.attname] for item in changed
            )
        ):
            names.append(f.name)
    return names


def _write_links(importer, items):
    """Replace the m2m links that changed; returns {(attribute, owner id): {related: link}}."""
    result = {}
    for relation in importer.m2ms:
        link_model, source, target = through(relation.model_field)
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
            link_model.objects.filter(pk__in=delete).delete()
        new_ids = insert_rows(link_model, [source, target], add)
        for (owner, related), link in zip(add, new_ids, strict=True):
            result[(relation.attribute, owner)][related] = link
    # Links of fields the file has no column for are in the history too (a resource may declare
    # the column and the file still lack it).
    for model_field in _history_m2m_fields(importer):
        if any(
            r.model_field == model_field and r.column in importer.present for r in importer.m2ms
        ):
            continue
        link_model, source, target = through(model_field)
        changed = [item.instance.pk for item in items]
        for owner in changed:
            result[(model_field.name, owner)] = {}
        links = link_model.objects.filter(**{f"{source}__in": changed})
        for link, owner, related in links.values_list("pk", source, target):
            result[(model_field.name, owner)][related] = link
    return result


def _history_m2m_fields(importer):
    if importer.history is None:
        return []
    return getattr(importer.history.model, "_history_m2m_fields", [])


def _write_history(importer, new, changed, links):
    """One history row per created (+) or changed (~) record, and one per link it has.

    Written as plain rows, as simple-history would save them one by one, without its signals:
    the reason and user come from the surrounding `change_reason` block.
    """
    if importer.history is None:
        return
    records = [("+", item.instance.__dict__) for item in new]
    records.extend(("~", item.instance.__dict__) for item in changed)
    write_history(importer, importer.history.model, records, links)


def write_history(importer, history_model, records, links):
    """History rows for (history type, {attname: value}) records, with their many-to-many links.

    `links` is {(m2m field name, record id): {related id: link id}}: the links each record has
    now (a field with no entry for a record has none). Shared with the undo of an import
    (interchange.services.batch_undo), which restores records the same way.
    """
    history_ids = insert_history(importer, history_model, records)
    pk = history_model.instance_type._meta.pk.attname
    for model_field in getattr(history_model, "_history_m2m_fields", []):
        link_model, source, target = through(model_field)
        history_m2m = history_m2m_model(history_model, link_model)
        link_rows = [
            (link, history_id, values[pk], related)
            for (_, values), history_id in zip(records, history_ids, strict=True)
            for related, link in links.get((model_field.name, values[pk]), {}).items()
        ]
        insert_rows(history_m2m, ["id", "history_id", source, target], link_rows)
    return history_ids


def insert_history(importer, history_model, records):
    """Write a history row per (history type, {attname: value}) record; returns their ids in order.

    The row simple-history would save for a record created (+), changed (~) or deleted (-) with
    the values given, at the run's time, with the reason and user of its `change_reason` block:
    the engine's own records, and what a late column (late.py) writes, such as a claim's links.
    Inside an import's `recording` block (interchange/batches.py) each record is added to the
    import's batch, so that the import can be undone.
    """
    tracked = [f.attname for f in history_model.tracked_fields]
    user_id = getattr(importer.user, "pk", None)
    names = ["history_date", "history_type", "history_change_reason", "history_user_id"]
    rows = [
        (importer.now, history_type, importer.reason, user_id, *[values[n] for n in tracked])
        for history_type, values in records
    ]
    history_ids = insert_rows(history_model, [*names, *tracked], rows)
    recorder = getattr(importer, "recorder", None)
    if recorder is not None:
        recorder.add_history(history_model, records, history_ids)
    return history_ids


def history_m2m_model(history_model, link_model):
    """The history model of a many-to-many field's link model (HistoricalClaim_about)."""
    for relation in history_model._meta.related_objects:
        if relation.related_model.__name__ == f"Historical{link_model.__name__}":
            return relation.related_model
    raise LookupError(f"no history model for {link_model.__name__}")


def insert(model, objs):
    """Insert model instances and set their primary keys: COPY on PostgreSQL, bulk_create elsewhere."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs, batch_size=500)
        return
    attnames = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
    rows = [[obj.__dict__[name] for name in attnames] for obj in objs]
    pk = model._meta.pk.attname
    for obj, new_id in zip(objs, insert_rows(model, attnames, rows), strict=True):
        setattr(obj, pk, new_id)
        obj._state.adding = False


def insert_rows(model, attnames, rows, *, return_ids=True):
    """Insert rows (sequences of values for `attnames`); returns their new primary keys, in order.

    Links and history rows are many per record and only their ids are needed afterwards, so they
    are written as plain values: COPY on PostgreSQL, with no model instance built at all; elsewhere
    (SQLite) bulk_create, which needs instances. `attnames` must name every column but the primary
    key, as saving a model would. With `return_ids=False` (an import's records: nothing refers
    to them) the table's sequence numbers them as COPY goes, and None is returned.
    """
    if not rows:
        return [] if return_ids else None
    opts = model._meta
    if connection.vendor != "postgresql":
        objs = [model(**dict(zip(attnames, row, strict=True))) for row in rows]
        model._default_manager.bulk_create(objs, batch_size=500)
        return [obj.pk for obj in objs] if return_ids else None
    unnamed = {f.attname for f in opts.concrete_fields if not f.primary_key} - set(attnames)
    if unnamed:
        raise ValueError(f"{opts.label}: no value for {', '.join(sorted(unnamed))}")
    table, pk = opts.db_table, opts.pk
    quote = connection.ops.quote_name
    if not return_ids:
        columns = ", ".join(quote(opts.get_field(a).column) for a in attnames)
        sql = f"COPY {quote(table)} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
        # psycopg's COPY goes around Django's cursor, so its execute wrapper never sees it.
        dataversion.written(connection.alias)
        return None
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
    dataversion.written(connection.alias)
    return ids
