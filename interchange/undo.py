"""Undoing an import: every record it created, changed or deleted put back as it was before.

interchange.services.batch_undo runs it; the steps, in one transaction:

1. The batch's records (ImportRecord, in the order written) are read per model: for each record,
   what the import did first (+ created, ~ changed, - deleted) and the version it left.
2. Every record is checked against the database as it is now before anything is written, its
   row locked until the undo commits (PostgreSQL), so that no save comes in between: one
   the import created or changed must still be at the version the import left (not changed
   since, not deleted); one it deleted must not be there again; a changed or deleted one needs
   its state before in the history. Any refusal refuses the whole undo, with every reason
   (`UndoRefused`), the latest change of each named (who, when).
3. Records the import deleted are made again from their history, then records it changed are
   restored to the history row before the import's (fields and many-to-many links, version + 1),
   then records it created are deleted, the records that were created last first. A record that
   refers to one of them and that the import did not make (a claim made since, citing an
   imported source) refuses the undo: deleting it would change or delete a record made since.
4. Every record restored or deleted gets a history row, with "undo of import #N" and the user,
   written in bulk as the engine writes its own (engine.write.write_history): the writes send no
   signal per row, so the caller sends `records_imported` for what the apps derive.
"""

import itertools
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, models, transaction
from django.db.models.deletion import get_candidate_relations_to_delete
from django.utils import timezone

from . import registry
from .engine.keys import any_of, through
from .engine.write import history_m2m_model, insert_rows, write_history
from .models import ImportRecord

CHUNK = 2000
# Reasons named one by one in a refusal; the rest are counted.
SHOWN = 20


class UndoRefused(Exception):
    """The undo would overwrite or delete changes made since the import: nothing was undone."""

    def __init__(self, reasons):
        self.reasons = reasons
        super().__init__("; ".join(reasons))


@dataclass
class Undone:
    """What an undo did, per kind of record: counts by model label."""

    deleted: dict = field(default_factory=dict)
    restored: dict = field(default_factory=dict)
    recreated: dict = field(default_factory=dict)


@dataclass
class _Trace:
    """What one import did to one record: its first action and history row, its last action, its
    last history row and the version it left."""

    first: str
    history_id: int | None
    last: str
    version: int | None
    last_history_id: int | None


def undo(batch, *, user, reason):
    """Undo `batch` (see the module docstring); returns Undone, or raises UndoRefused."""
    plans = _plans(batch)
    refusals = []
    for plan in plans:
        refusals.extend(plan.check())
    if refusals:
        raise UndoRefused(_shown(refusals))
    context = SimpleNamespace(now=timezone.now(), reason=reason, user=user, recorder=None)
    done = Undone()
    try:
        with transaction.atomic():
            for plan in plans:
                plan.recreate(context, done)
            for plan in plans:
                plan.restore(context, done)
            # The records created last first: claims before the sources they cite.
            for plan in reversed(plans):
                plan.delete(context, done)
            _refuse_broken_references(plans)
    except IntegrityError as error:
        # A unique value the record had before is another record's now (a slug taken since).
        raise UndoRefused(
            [f"a record would clash with one made since the import ({error})"]
        ) from None
    return done


def _shown(reasons):
    if len(reasons) > SHOWN:
        return [*reasons[:SHOWN], f"… and {len(reasons) - SHOWN} more"]
    return reasons


def _plans(batch):
    """A _Plan per model the batch touched, in the order the import first wrote each."""
    traces = {}  # content type id → {object id: _Trace}
    records = (
        ImportRecord.objects.filter(batch=batch)
        .order_by("id")
        .values_list("content_type_id", "object_id", "action", "history_id", "version")
    )
    for content_type, object_id, action, history_id, version in records.iterator(CHUNK):
        of_model = traces.setdefault(content_type, {})
        trace = of_model.get(object_id)
        if trace is None:
            of_model[object_id] = _Trace(action, history_id, action, version, history_id)
        else:
            trace.last, trace.version, trace.last_history_id = action, version, history_id
    types = ContentType.objects.in_bulk(list(traces))
    plans = [_Plan(types[pk].model_class(), of_model) for pk, of_model in traces.items()]
    for plan in plans:
        plan.siblings = plans
    return plans


class _Plan:
    """The undo of one model's records."""

    def __init__(self, model, traces):
        self.model = model
        self.opts = model._meta
        self.traces = traces
        self.history = getattr(model, "history", None)
        self.history_model = self.history.model if self.history is not None else None
        self.attnames = [f.attname for f in self.opts.concrete_fields]
        self.key = _key_attname(model)
        self.current = {}  # object id → {attname: value} now, of the records in the db
        self.before = {}  # object id → (history row values, its id) of the state to put back

    # ----------------------------------------------------------------------- checks

    def check(self):
        """Reasons the records cannot be undone (step 2): [] when they all can."""
        for chunk in _chunks(list(self.traces)):
            rows = self.model._base_manager.filter(pk__in=any_of(chunk, self.opts.pk))
            if connection.vendor == "postgresql":
                # Locked until the undo commits: what restore() writes is computed from these
                # values, so a save committed in between would be overwritten and its version
                # number reused; it waits instead, and comes after the undo. (NO KEY, as the
                # engine's: rows that refer to these may still be written. On SQLite the
                # transaction holds the database's write lock already.)
                rows = rows.select_for_update(no_key=True)
            for values in rows.order_by().values(*self.attnames):
                self.current[values[self.opts.pk.attname]] = values
        versioned = "version" in self.attnames
        moved = {
            i: t
            for i, t in self.traces.items()
            if versioned
            and t.last != "-"
            and t.version is not None
            and i in self.current
            and self.current[i]["version"] != t.version
        }
        # A record at another version may hold just what the import left (a later import
        # undone since): that is no change.
        unchanged = self._as_left(moved)
        reasons = []  # (id of a record changed since, or None; reason)
        for object_id, trace in self.traces.items():
            now = self.current.get(object_id)
            name = self._name(object_id)
            if trace.last == "-":
                if now is not None and trace.first != "+":
                    reasons.append((object_id, f"{name} was made again since the import"))
            elif now is None:
                reasons.append((object_id, f"{name} was deleted since the import"))
            elif object_id in moved and object_id not in unchanged:
                reasons.append(
                    (
                        object_id,
                        f"{name} was changed since the import (version {now['version']}; the "
                        f"import left version {trace.version})",
                    )
                )
        wanted = [i for i, t in self.traces.items() if t.first in ("~", "-") and t.last != "+"]
        if wanted:
            if self.history_model is None:
                reasons.append((None, f"{self.opts.verbose_name_plural} keep no history"))
            else:
                self.before = self._before(wanted)
                reasons.extend(
                    (None, f"{self._name(i)} has no history of its state before the import")
                    for i in wanted
                    if i not in self.before
                )
        return self._who_and_when(reasons)

    def _as_left(self, traces):
        """The ids among `traces` whose record holds what the import left: the fields and links
        of the import's last history row of it, but for its version and timestamps."""
        if not traces or self.history_model is None:
            return set()
        tracked = {f.attname for f in self.history_model.tracked_fields}
        compared = [
            f.attname
            for f in self.opts.concrete_fields
            if f.attname in tracked and f.attname != "version" and not getattr(f, "auto_now", False)
        ]
        by_history = {t.last_history_id: i for i, t in traces.items()}
        same = set()
        for chunk in _chunks(list(by_history)):
            for values in self.history_model.objects.filter(history_id__in=chunk).values():
                object_id = by_history[values["history_id"]]
                now = self.current[object_id]
                if all(values[a] == now[a] for a in compared):
                    same.add(object_id)
        if same:
            links = self._links(list(same))
            for model_field in self._m2m_fields():
                link_model, _, target = through(model_field)
                history_m2m = history_m2m_model(self.history_model, link_model)
                left = {traces[i].last_history_id: set() for i in same}
                rows = history_m2m.objects.filter(history_id__in=list(left))
                for history_id, related in rows.values_list("history_id", target):
                    left[history_id].add(related)
                for object_id in list(same):
                    now = set(links[(model_field.name, object_id)])
                    if now != left[traces[object_id].last_history_id]:
                        same.discard(object_id)
        return same

    def _name(self, object_id):
        values = self.current.get(object_id)
        if self.key and values is not None:
            return f"{self.opts.verbose_name} '{values[self.key]}'"
        return f"{self.opts.verbose_name} #{object_id}"

    def _who_and_when(self, reasons):
        """The reasons' texts, a record changed since named with who changed it last, and when
        (from its latest history row: one query for the records a refusal shows)."""
        changed = [object_id for object_id, _ in reasons if object_id is not None][:SHOWN]
        latest = {}
        if changed and self.history_model is not None:
            rows = self.history_model.objects.filter(id__in=changed).order_by("id", "-history_id")
            for row in rows.select_related("history_user"):
                latest.setdefault(row.id, row)
        texts = []
        for object_id, text in reasons:
            row = latest.get(object_id)
            if row is not None:
                who = row.history_user or "an import or command without a user"
                when = timezone.localtime(row.history_date).strftime("%Y-%m-%d %H:%M")
                text = f"{text}, last by {who} on {when}"
            texts.append(text)
        return texts

    def _before(self, ids):
        """object id → (values, history id) of the history row before the import's first one."""
        first = {i: self.traces[i].history_id for i in ids}
        found = {}
        for chunk in _chunks(ids):
            rows = self.history_model.objects.filter(
                id__in=any_of(chunk, self.opts.pk), history_id__lte=max(first[i] for i in chunk)
            )
            for values in rows.order_by("history_id").values():
                object_id = values["id"]
                if self.traces[object_id].first == "-":
                    # A record the import deleted: its "-" row holds the values it had.
                    if values["history_id"] == first[object_id]:
                        found[object_id] = (values, values["history_id"])
                elif values["history_id"] < first[object_id] and values["history_type"] != "-":
                    found[object_id] = (values, values["history_id"])
        return found

    # ----------------------------------------------------------------------- writes

    def recreate(self, context, done):
        """Make again the records the import deleted (a claim's link), from their "-" rows."""
        ids = [i for i, t in self.traces.items() if t.first == "-" and i not in self.current]
        if not ids:
            return
        objs = []
        for object_id in ids:
            values = self._values(self.before[object_id][0])
            if "version" in values:
                values["version"] += 1
            objs.append(self.model(**values))
        self.model._base_manager.bulk_create(objs, batch_size=500)
        links = self._restore_links(ids)
        self._history(context, "+", ids, links)
        done.recreated[self.opts.label] = len(ids)

    def restore(self, context, done):
        """Put the records the import changed back to their state before it."""
        ids = [i for i, t in self.traces.items() if t.first == "~" and t.last != "-"]
        if not ids:
            return
        tracked = {f.attname for f in self.history_model.tracked_fields}
        stamped = [f.attname for f in self.opts.concrete_fields if getattr(f, "auto_now", False)]
        names = [
            f.name for f in self.opts.concrete_fields if not f.primary_key and f.attname in tracked
        ]
        objs = []
        for object_id in ids:
            values = {**self.current[object_id], **self._values(self.before[object_id][0])}
            if "version" in values:
                values["version"] = self.current[object_id]["version"] + 1
            for attname in stamped:
                values[attname] = context.now
            objs.append(self.model(**values))
        self.model._base_manager.bulk_update(objs, names, batch_size=500)
        links = self._restore_links(ids)
        self._history(context, "~", ids, links)
        done.restored[self.opts.label] = len(ids)

    def delete(self, context, done):
        """Delete the records the import created, with a "-" history row each."""
        ids = [i for i, t in self.traces.items() if t.first == "+" and t.last != "-"]
        if not ids:
            return
        gone = set(ids)
        for relation in get_candidate_relations_to_delete(self.opts):
            self._refuse_references(relation, gone)
        links = self._links(ids)
        self._history(context, "-", ids, links)
        for relation in get_candidate_relations_to_delete(self.opts):
            on_delete = relation.field.remote_field.on_delete
            if on_delete is models.CASCADE:
                for chunk in _chunks(ids):
                    relation.related_model._base_manager.filter(
                        **{f"{relation.field.name}__in": chunk}
                    )._raw_delete(self.model._base_manager.db)
        for chunk in _chunks(ids):
            self.model._base_manager.filter(pk__in=chunk)._raw_delete(self.model._base_manager.db)
        done.deleted[self.opts.label] = len(ids)

    def _refuse_references(self, relation, gone):
        """Refuse when records the import did not create refer to records about to go."""
        related = relation.related_model
        on_delete = relation.field.remote_field.on_delete
        if on_delete is models.DO_NOTHING:
            return
        created = _created_by_batch(related, self) if related is not self.model else gone
        is_record = hasattr(related, "history")
        refusals = []
        for chunk in _chunks(list(gone)):
            rows = related._base_manager.filter(**{f"{relation.field.name}__in": chunk})
            for pk, target in rows.values_list("pk", relation.field.attname):
                if pk in created:
                    continue
                if is_record or on_delete is not models.CASCADE:
                    refusals.append(
                        f"{self._name(target)} is referred to by {related._meta.verbose_name} "
                        f"#{pk}, made or changed since the import"
                    )
        if refusals:
            raise UndoRefused(_shown(refusals))

    def _values(self, history_values):
        """The record's field values from a history row's."""
        tracked = {f.attname for f in self.history_model.tracked_fields}
        return {a: history_values[a] for a in self.attnames if a in tracked}

    def _m2m_fields(self):
        if self.history_model is None:
            return []
        return getattr(self.history_model, "_history_m2m_fields", [])

    def _links(self, ids):
        """{(m2m field name, record id): {related id: link id}} as they are now."""
        result = {}
        for model_field in self._m2m_fields():
            link_model, source, target = through(model_field)
            for object_id in ids:
                result[(model_field.name, object_id)] = {}
            for chunk in _chunks(ids):
                rows = link_model.objects.filter(**{f"{source}__in": chunk})
                for link, owner, related in rows.values_list("pk", source, target):
                    result[(model_field.name, owner)][related] = link
        return result

    def _restore_links(self, ids):
        """Put back each record's m2m links as its history row before the import has them;
        returns the links as they are then ({(field name, record id): {related id: link id}})."""
        if not self._m2m_fields():
            return {}
        current = self._links(ids)
        by_history = {self.before[i][1]: i for i in ids}
        for model_field in self._m2m_fields():
            link_model, source, target = through(model_field)
            history_m2m = history_m2m_model(self.history_model, link_model)
            wanted = {i: set() for i in ids}
            for chunk in _chunks(list(by_history)):
                rows = history_m2m.objects.filter(history_id__in=chunk)
                for history_id, related in rows.values_list("history_id", target):
                    wanted[by_history[history_id]].add(related)
            remove, add = [], []
            for object_id in ids:
                now = current[(model_field.name, object_id)]
                remove.extend(link for r, link in now.items() if r not in wanted[object_id])
                add.extend((object_id, r) for r in sorted(wanted[object_id]) if r not in now)
            for chunk in _chunks(remove):
                link_model.objects.filter(pk__in=chunk)._raw_delete(link_model.objects.db)
            insert_rows(link_model, [source, target], add)
        return self._links(ids)

    def _history(self, context, history_type, ids, links):
        if self.history_model is None:
            return
        if history_type == "-":
            records = [("-", self.current[i]) for i in ids]
        else:
            rows = self.model._base_manager.filter(pk__in=ids).order_by().values(*self.attnames)
            by_id = {v[self.opts.pk.attname]: v for v in rows}
            records = [(history_type, by_id[i]) for i in ids]
        write_history(context, self.history_model, records, links)


def _created_by_batch(model, plan):
    """The ids of `model`'s records the plan's batch creates (and so deletes too)."""
    for other in plan.siblings:
        if other.model is model:
            return {i for i, t in other.traces.items() if t.first == "+"}
    return set()


def _refuse_broken_references(plans):
    """A record restored or made again may refer to one that is gone since the import."""
    reasons = []
    for plan in plans:
        ids = [i for i, t in plan.traces.items() if t.first in "~-" and t.last != "+"]
        if not ids:
            continue
        for f in plan.opts.concrete_fields:
            if not f.is_relation or not f.db_constraint:
                continue
            targets = {}
            for chunk in _chunks(ids):
                rows = plan.model._base_manager.filter(pk__in=chunk).exclude(**{f.attname: None})
                for pk, target in rows.values_list("pk", f.attname):
                    targets.setdefault(target, []).append(pk)
            there = set()
            for chunk in _chunks(list(targets)):
                there.update(
                    f.related_model._base_manager.filter(pk__in=chunk).values_list("pk", flat=True)
                )
            for target, owners in targets.items():
                if target not in there:
                    reasons.extend(
                        f"{plan._name(pk)} referred to {f.related_model._meta.verbose_name} "
                        f"#{target} before the import, which is deleted since"
                        for pk in owners
                    )
    if reasons:
        raise UndoRefused(_shown(reasons))


def _key_attname(model):
    """The attname of the model's natural key (a claim's ref), from its registered resource."""
    for file in registry.files():
        if file.resource._meta.model is model:
            return model._meta.get_field(file.resource._meta.import_id_fields[0]).attname
    return None


def _chunks(items):
    items = iter(items)
    while chunk := list(itertools.islice(items, CHUNK)):
        yield chunk
