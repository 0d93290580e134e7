"""Recording an import as a batch: which records it created, changed or deleted (models.py).

An import that writes opens `recording(files=…, user=…)` inside its transaction; the engine
(interchange/engine/) finds the block's `Recorder` with `current_recorder()` and, for every history
row it writes (engine.write.insert_history), adds the record with that row's id and the version it
left; history rows saved one at a time inside the block (a claim's link deleted by the links
column) are added by the receiver below. The records are written with COPY once per batch of rows
(`flush`), never a query per row. When the block ends, the batch's counts are saved.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.dispatch import receiver
from simple_history.signals import post_create_historical_record

from .engine.write import insert_rows
from .models import ImportBatch, ImportRecord

_recorder = ContextVar("import_recorder", default=None)

_COLUMNS = ["batch_id", "content_type_id", "object_id", "action", "history_id", "version"]


class Recorder:
    """The records of one ImportBatch, gathered and written in bulk."""

    def __init__(self, batch):
        self.batch = batch
        self.models = []  # of the files, in import order
        self.counts = {"rows_created": 0, "rows_updated": 0, "rows_unchanged": 0}
        self._rows = []
        self._types = {}

    def add(self, model, action, object_id, history_id, version):
        content_type = self._types.get(model)
        if content_type is None:
            content_type = self._types[model] = ContentType.objects.get_for_model(model).pk
        self._rows.append((self.batch.pk, content_type, object_id, action, history_id, version))

    def add_history(self, history_model, records, history_ids):
        """The records of history rows written in bulk: (history type, {attname: value}) each."""
        model = history_model.instance_type
        pk = model._meta.pk.attname
        for (history_type, values), history_id in zip(records, history_ids, strict=True):
            version = None if history_type == "-" else values.get("version")
            self.add(model, history_type, values[pk], history_id, version)

    def count(self, *, model, created, updated, unchanged):
        if model._meta.label_lower not in self.models:
            self.models.append(model._meta.label_lower)
        self.counts["rows_created"] += created
        self.counts["rows_updated"] += updated
        self.counts["rows_unchanged"] += unchanged

    def flush(self):
        if self._rows:
            insert_rows(ImportRecord, _COLUMNS, self._rows, return_ids=False)
            self._rows = []


def current_recorder():
    """The Recorder of the enclosing `recording` block, or None (a dry run, or no import)."""
    return _recorder.get()


@contextmanager
def recording(*, files, user=None):
    """Record the writes of the block as one ImportBatch of `files` (names), by `user`.

    Must run inside the import's transaction, so that a rolled back import leaves no batch.
    """
    batch = ImportBatch.objects.create(
        files=", ".join(files), user=user if getattr(user, "pk", None) else None
    )
    recorder = Recorder(batch)
    token = _recorder.set(recorder)
    try:
        yield recorder
    finally:
        _recorder.reset(token)
    if transaction.get_rollback():
        return  # the import had problems (or was a dry run): its batch goes with it
    recorder.flush()
    ImportBatch.objects.filter(pk=batch.pk).update(
        model_labels=", ".join(recorder.models), **recorder.counts
    )


@receiver(post_create_historical_record)
def _history_saved(sender, history_instance, **kwargs):
    # A history row saved one at a time inside an import (a link the links column deletes).
    recorder = _recorder.get()
    if recorder is not None:
        records = [(history_instance.history_type, history_instance.__dict__)]
        recorder.add_history(sender, records, [history_instance.pk])
