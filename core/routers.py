"""Where each query goes when DATABASE_REPLICA_URLS names read replicas (installed only then).

Writes go to the primary, `default`. A read goes to the replica that core.replicas pinned for the
request being served, and to the primary when none is pinned: a logged-in visitor, a POST, the
admin, a browser that has just written, management commands and imports all read the primary, so
they never see a replica's lag. One alias for every read of a request, so that the data version a
page is cached under (core.dataversion.current asks this router) and the data it shows come from
the same replica: the data, read after the version, is never older than it.
"""

import contextlib
import contextvars

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

_reading = contextvars.ContextVar("reading", default=DEFAULT_DB_ALIAS)


@contextlib.contextmanager
def reading_from(alias):
    """Send every read inside the block to `alias` (a replica's, or the primary's)."""
    token = _reading.set(alias)
    try:
        yield
    finally:
        _reading.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return _reading.get()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # A replica holds the primary's rows under the same keys: an object read from one may be
        # related to one read from the other.
        databases = {DEFAULT_DB_ALIAS, *settings.DATABASE_REPLICAS}
        return {obj1._state.db, obj2._state.db} <= databases or None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # A replica is a physical copy: it receives the primary's migrations with its WAL.
        return db == DEFAULT_DB_ALIAS
