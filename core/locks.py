"""Make writers that would collide wait for each other instead of failing half-way.

Two imports of overlapping files at once would otherwise both try to create the same new rows: on
PostgreSQL the second would wait on the unique index, then fail with a duplicate key and roll back
a perfectly good file. An import therefore takes one advisory lock for its transaction, so imports
queue and the second sees the first's rows as existing ones. On SQLite, transactions already take
the database's write lock when they begin (transaction_mode IMMEDIATE in settings), which queues
them the same way.
"""

from django.db import OperationalError, connection

# Any number, the same in every process: the key of the "an import is running" advisory lock.
IMPORT_LOCK_KEY = 7_201_973


def lock_for_import():
    """Wait until no other import runs; the lock is released when the current transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])


def is_busy(error):
    """Whether a database error says another writer held the database for too long.

    SQLite's "database is locked": a writer waited settings.SQLITE_BUSY_TIMEOUT seconds for another
    to finish. The request that gets it changed nothing and may simply be tried again.
    """
    return isinstance(error, OperationalError) and "database is locked" in str(error)
