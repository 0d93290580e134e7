"""The data version: a number that every committed write raises, and the time it was raised.

The public pages are cached under it (pages.caching), so a page is never staler than the last
committed write. A version is a row of core.models.DataVersion, inserted after the write's commit
in its own statement (autocommit): inserts into an append-only table with a sequence never wait
for each other, so no writer queues behind another or behind a long import. Inserted after the
commit, not in the write's transaction, because the sequence hands out its numbers in the order
the inserts start: a number taken inside a long import would be older than those of writes that
commit before it, and the newest version would not change when the import commits. Taken after
the commit, a write's number is above every version a reader could have seen before its data.

Writes are caught where Django sends them: an execute wrapper on every connection (installed by
CoreConfig.ready on connection_created) marks each INSERT, UPDATE, DELETE, COPY and TRUNCATE
(saves, deletes, many-to-many changes, imports, undos, summary refreshes, history rows) and
registers one bump per transaction with transaction.on_commit; a write in autocommit is bumped at
once. Code that writes around Django's cursor (psycopg's COPY in interchange.engine.write) calls
`written()` itself.

Migrations are not marked (the table may not exist yet); their end publishes one version.

A connection that reads the version after writes of its own that are not committed yet (a test,
which runs inside one transaction, or a request that writes and then renders) first inserts a
version in its own transaction, so that its own reads see a new version too.
"""

import functools
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connections, router, transaction
from django.utils import timezone

from .models import DataVersion

WRITES = ("INSERT", "UPDATE", "DELETE", "COPY", "TRUNCATE")
# One row in KEEP_EVERY is a chance to forget the versions older than KEEP (nothing reads them).
KEEP = 100
KEEP_EVERY = 1000


@dataclass(frozen=True)
class Version:
    number: int
    at: datetime | None

    @property
    def as_of(self):
        """The version's time as the pages show it ("2 December 2026, 10:22 UTC"): the one
        formatter of "data as of"."""
        if self.at is None:
            return ""
        at = self.at.astimezone(UTC)
        return f"{at.day} {at:%B %Y, %H:%M} UTC"


def current(using=None):
    """The current data version, read through the router (a replica's, if any)."""
    alias = using or router.db_for_read(DataVersion)
    connection = connections[alias]
    if connection.in_atomic_block and getattr(connection, "data_unpublished", False):
        _insert(alias)
    with connection.cursor() as cursor:
        cursor.execute(_newest_sql(connection))
        row = cursor.fetchone()
    if row is None:
        return Version(0, None)
    number, at = row
    return Version(number, _aware(at))


def _newest_sql(connection):
    # Read on every public request, so in plain SQL: through the ORM, building and compiling the
    # query cost more than running it (a cached page in the test client: 0.91 ms with the ORM's
    # read, 0.35 ms with this one, docs/performance.md).
    quote = connection.ops.quote_name
    table = quote(DataVersion._meta.db_table)
    return f"SELECT {quote('number')}, {quote('at')} FROM {table} ORDER BY {quote('number')} DESC LIMIT 1"


def _aware(at):
    # SQLite gives the UTC wall time, naive (as a datetime or, without its converters, text).
    at = datetime.fromisoformat(at) if isinstance(at, str) else at
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def of_request(request):
    """The request's data version, read once per request."""
    if not hasattr(request, "data_version"):
        request.data_version = current()
    return request.data_version


def written(using="default"):
    """Mark a write on `using` that Django's cursor did not see: a version after its commit."""
    if _migrating:
        return
    connection = connections[using]
    bump = _bumper(using)
    if not connection.in_atomic_block:
        bump()
        return
    connection.data_unpublished = True
    if not any(entry[1] is bump for entry in connection.run_on_commit):
        transaction.on_commit(bump, using=using)


def last_published(using="default"):
    """The version this thread's connection published last (None before its first): a request
    wrote when it changes (core.replicas)."""
    return getattr(connections[using], "data_published", None)


def on_published(callback, using="default"):
    """Call `callback(version)` with the version that publishes the current transaction's writes,
    after its commit (at once in autocommit). Robust: the writes are committed by then, so a
    failing callback is logged (django.db.backends) and the request goes on."""
    written(using)
    connection = connections[using]
    if connection.in_atomic_block:
        transaction.on_commit(lambda: callback(connection.data_published), using=using, robust=True)
    else:
        callback(connection.data_published)


def mark_writes(execute, sql, params, many, context):
    """The execute wrapper: run the statement, then mark it if it wrote (not to the version)."""
    result = execute(sql, params, many, context)
    head = sql.lstrip()[:8].upper()
    if head.startswith(WRITES) and DataVersion._meta.db_table not in sql[:80]:
        written(context["connection"].alias)
    return result


def install(sender, connection, **kwargs):
    """connection_created receiver: the wrapper on each connection, once."""
    if mark_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(mark_writes)


_migrating = set()


def migrating(sender, using, **kwargs):
    """pre_migrate receiver: the version table may not exist yet, so writes are not marked."""
    _migrating.add(using)


def migrated(sender, using, **kwargs):
    """post_migrate receiver: one version for whatever the migrations changed."""
    _migrating.discard(using)
    # Not on a database the router keeps migrations off (a read replica, which refuses writes).
    if router.allow_migrate_model(using, DataVersion):
        written(using)


@functools.cache
def _bumper(alias):
    # One callable per database, so that a transaction registers its bump only once.
    def bump():
        _insert(alias)

    return bump


def _insert(alias):
    connection = connections[alias]
    connection.data_unpublished = False
    row = DataVersion.objects.using(alias).create(at=timezone.now())
    connection.data_published = Version(row.number, row.at)
    if row.number % KEEP_EVERY == 0:
        DataVersion.objects.using(alias).filter(number__lt=row.number - KEEP).delete()
