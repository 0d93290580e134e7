"""Exact caching and conditional requests for every public page and its CSV and JSON.

A middleware, not a decorator, so that a page added later to pages.views cannot be forgotten: every
view of pages.views answering a GET or HEAD goes through it. A response is stored under a key made
of the data version (core.dataversion), the site's code (CODE), the full address with its query
(so the format too) and the visitor: anonymous visitors share one copy; a logged-in visitor's page
shows their name and a CSRF token of theirs, so it is stored for that user and CSRF secret only
(a new login rotates the secret). Any committed write raises the data version, so the key of every
page changes with it: nothing is ever invalidated, and nothing stale can be served.

Every public response carries an ETag made of the same parts and a Last-Modified (the version's
time); a matching If-None-Match (or, without one, If-Modified-Since) answers 304 having read only
the data version (and, for a logged-in visitor, their session). Only 200 responses under
PUBLIC_PAGES_CACHE_MAX_BYTES are stored; streamed ones (large CSV, pages.respond) never are.

When the cache fails (Redis down) pages are served uncached, a warning is logged at most once a
minute, and the cache is not tried again for CACHE_RETRY seconds.
"""

import hashlib
import logging
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from core import dataversion

log = logging.getLogger(__name__)

CACHE_RETRY = 5
WARN_EVERY = 60
STORED_HEADERS = ("Content-Type", "Content-Disposition")


def _code_digest():
    """The site's code and templates, so that a deploy never serves pages of the old code."""
    digest = hashlib.sha256(repr(settings.PUBLIC_CLAIM_STATUSES).encode())
    root = Path(settings.BASE_DIR)
    for app in ("core", "interchange", "sources", "claims", "pages"):
        for path in sorted((root / app).rglob("*")):
            if path.suffix in {".py", ".html", ".css", ".js"}:
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


CODE = _code_digest()


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.down_until = 0.0
        self.warned_at = 0.0

    def __call__(self, request):
        response = self.get_response(request)
        if not hasattr(request, "page_etag") or getattr(request, "page_answered", False):
            return response
        key = request.page_cache_key
        if (
            key is not None
            and request.method == "GET"
            and response.status_code == 200
            and not response.streaming
            and len(response.content) <= settings.PUBLIC_PAGES_CACHE_MAX_BYTES
            and not response.cookies
            and (request.page_shared_secret or not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
        ):
            entry = (response.content, {h: response[h] for h in STORED_HEADERS if h in response})
            self._cache(lambda cache: cache.set(key, entry, settings.PUBLIC_PAGES_CACHE_TIMEOUT))
        return self._headed(request, response)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in ("GET", "HEAD") or not view_func.__module__.startswith(
            "pages.views."
        ):
            return None
        version = dataversion.of_request(request)
        request.page_shared_secret = False
        request.page_cache_key = key = _key(request, version)
        request.page_etag = None
        if key is None:
            return None
        request.page_etag = f'"{hashlib.sha256(key.encode()).hexdigest()[:32]}"'
        # Whole seconds, as Last-Modified and If-Modified-Since state them.
        last_modified = int(version.at.timestamp()) if version.at else None
        not_modified = get_conditional_response(
            request, etag=request.page_etag, last_modified=last_modified
        )
        if not_modified is not None:
            request.page_answered = True
            return self._headed(request, not_modified)
        entry = self._cache(lambda cache: cache.get(key))
        if entry is None:
            return None
        request.page_answered = True
        content, headers = entry
        response = HttpResponse(content)
        for header, value in headers.items():
            response[header] = value
        return self._headed(request, response)

    def _headed(self, request, response):
        """ETag, Last-Modified, Cache-Control and Vary: the same on a hit, a miss and a 304."""
        version = dataversion.of_request(request)
        if request.page_etag:
            response["ETag"] = request.page_etag
        if version.at:
            response["Last-Modified"] = http_date(version.at.timestamp())
        if settings.PUBLIC_PAGES_REQUIRE_LOGIN or _logged_in(request):
            response["Cache-Control"] = "private, max-age=0, must-revalidate"
        elif settings.PUBLIC_PAGES_MAX_AGE:
            response["Cache-Control"] = f"public, max-age={settings.PUBLIC_PAGES_MAX_AGE}"
        else:
            response["Cache-Control"] = "max-age=0, must-revalidate"
        patch_vary_headers(response, ["Cookie"])
        return response

    def _cache(self, call):
        """`call(cache)`, or None while the cache is failing (logged, at most once a minute)."""
        now = time.monotonic()
        if now < self.down_until:
            return None
        try:
            return call(caches["default"])
        except Exception as error:  # any backend's failure: the page is served uncached
            self.down_until = now + CACHE_RETRY
            if now - self.warned_at >= WARN_EVERY or not self.warned_at:
                self.warned_at = now
                log.warning("Public page cache unavailable, serving uncached: %s", error)
            return None


def _logged_in(request):
    # No session cookie: anonymous, known without reading the session (no query).
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return request.user.is_authenticated


def _key(request, version):
    visitor = "anonymous"
    if _logged_in(request):
        secret = request.META.get("CSRF_COOKIE", "")
        if not secret or secret != request.COOKIES.get(settings.CSRF_COOKIE_NAME):
            # The page will carry a CSRF secret made for this response: never to be reused.
            return None
        request.page_shared_secret = True
        visitor = f"user-{request.user.pk}-{hashlib.sha256(secret.encode()).hexdigest()}"
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"page:{version.number}:{CODE}:{address}:{visitor}"
