"""Which database serves a request's reads when there are read replicas (DATABASE_REPLICA_URLS).

`ReplicaMiddleware` pins one replica, in turn, for all the reads of a public GET or HEAD by an
anonymous visitor (core.routers.reading_from), so that the data version the page cache keys on and
the data of the page come from the same replica: a lagging replica serves an older page under its
older version. The version is read first, the data after it, so a page's data is never older than
the version it is cached under (it may be newer, which the next version's key corrects). Requests
take the replicas in turn, so with replicas of different lag one visitor's next page may be older
than the last by that difference (docs/performance.md, "Past one machine"). It sits before
pages.caching.PublicPageCacheMiddleware, which reads the version.

Everything else reads the primary: other methods, the admin and the login pages, any visitor with
a session cookie (a logged-in user's session and permissions must not come from a replica that has
not replayed their login yet; read without a query, as pages.caching does), and a browser for
REPLICA_STICKY_SECONDS after its own last write, so that a curator who saves and then opens the
public page sees the save. A request wrote when it published a data version (core.dataversion, the
one definition of a write); its response then carries a cookie with the time, checked here.

A replica that does not answer (its connection fails when the request starts) sends the request to
the primary instead, and is not tried again by this worker for RETRY seconds; the log says so.

A streamed CSV reads all its rows before the view returns (pages.respond), so the pin, undone when
the view's response is returned, covers all its reads.
"""

import itertools
import logging
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from . import dataversion
from .middleware import outside_public_pages
from .routers import reading_from

log = logging.getLogger(__name__)

COOKIE = "wrote_at"
RETRY = 5


class ReplicaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.replicas = itertools.cycle(settings.DATABASE_REPLICAS)
        self.down_until = {}

    def __call__(self, request):
        before = dataversion.last_published()
        if _may_read_a_replica(request):
            with reading_from(self._replica()):
                response = self.get_response(request)
        else:
            response = self.get_response(request)
        if dataversion.last_published() != before and settings.REPLICA_STICKY_SECONDS:
            response.set_cookie(
                COOKIE,
                f"{time.time():.3f}",
                max_age=settings.REPLICA_STICKY_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def _replica(self):
        """The next replica in turn, or the primary while that one does not answer."""
        alias = next(self.replicas)
        now = time.monotonic()
        if now < self.down_until.get(alias, 0.0):
            return DEFAULT_DB_ALIAS
        try:
            # A kept connection is checked first (CONN_HEALTH_CHECKS): a replica that went down
            # since the last request is noticed here, not by the page's first query.
            connections[alias].close_if_health_check_failed()
            connections[alias].ensure_connection()
        except DatabaseError as error:
            self.down_until[alias] = now + RETRY
            log.warning(
                "Read replica %s unavailable, reading the primary for %s s: %s", alias, RETRY, error
            )
            return DEFAULT_DB_ALIAS
        return alias


def _may_read_a_replica(request):
    return (
        request.method in ("GET", "HEAD")
        # Empty: a session cookie being deleted (logged out).
        and not request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        and not outside_public_pages(request.path)
        and not _wrote_lately(request)
    )


def _wrote_lately(request):
    try:
        wrote_at = float(request.COOKIES.get(COOKIE, ""))
    except ValueError:  # no cookie, or not one of ours: no write of this browser is known
        return False
    return time.time() - wrote_at < settings.REPLICA_STICKY_SECONDS
