"""Settings for the critical-metals claims database.

One module, driven by environment variables. DEBUG is off unless DJANGO_DEBUG=1 is set, so a
server started without its environment fails closed: it refuses to start without DJANGO_SECRET_KEY
rather than run with a known key or show debug pages. `make run`, `make test` and pytest (see
pyproject.toml) set DJANGO_DEBUG=1 for a developer's machine, with a SQLite file next to the code,
and so does the `.env` file `make install` writes (see read_env_file).
Production sets DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL: see README, Operations.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database(url):
    """One DATABASES entry from its URL: the primary's (DATABASE_URL) and each read replica's."""
    return dj_database_url.parse(
        url, conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0"))
    )


def read_env_file(path):
    """Load KEY=VALUE lines from a local `.env` file; variables already set in the environment win.

    `make install` writes one with DJANGO_DEBUG=1 so that a plain `python manage.py …` in a
    developer's checkout runs as a developer's machine. Production has no such file (or points
    DJANGO_ENV_FILE elsewhere), so there DEBUG stays off unless set.
    """
    if not path or not Path(path).is_file():
        return
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            os.environ.setdefault(key.strip(), value.strip().strip("'\""))


read_env_file(os.environ.get("DJANGO_ENV_FILE", BASE_DIR / ".env"))

DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(set DJANGO_DEBUG=1 on a developer's machine)."
        )
    # Only ever used on a developer's machine: DEBUG is on.
    SECRET_KEY = "django-insecure-local-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if not DEBUG else "*")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "core",
    # Before import_export: its admin templates override import-export's.
    "interchange",
    "import_export",
    "simple_history",
    "axes",
    "csp",
    "sources",
    "claims",
    # The public pages, their templates (base.html, claims/*.html …) and static files (site.css).
    "pages",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A NUL in the address is a 400 before it can reach a query (PostgreSQL refuses NUL in text).
    "core.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # PUBLIC_PAGES_REQUIRE_LOGIN: sends readers of the public pages to /login/ first.
    "core.middleware.PublicPagesLoginMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Exact caching and ETags of the public pages (pages/caching.py), after the login check.
    "pages.caching.PublicPageCacheMiddleware",
    # Records who made a change for history rows saved outside a ModelAdmin form (admin imports).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lock-out into a response.
    "axes.middleware.AxesMiddleware",
]

# django-axes first: it refuses a locked-out login before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "project.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # "Data as of …" in every public page's footer.
                "pages.context_processors.data_version",
            ],
        },
    },
]

WSGI_APPLICATION = "project.wsgi.application"

# SQLite by default so a fresh clone needs no server; PostgreSQL (psycopg 3) via DATABASE_URL.
DATABASES = {
    "default": database(os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
# On SQLite a writer waits for another's write lock up to this many seconds, then fails with
# "database is locked": longer than the longest admin import (40 s, see IMPORT_ADMIN_MAX_ROWS), so
# a login or a save made meanwhile waits it out, and shorter than the web worker's 120 s, so that a
# writer stuck behind several imports fails in time to say so (an import then tells the curator the
# database is busy) instead of being killed by gunicorn.
SQLITE_BUSY_TIMEOUT = 60
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run while an import writes; IMMEDIATE takes the write lock at the start of a
    # transaction so two writers queue instead of failing half-way with "database is locked" (a
    # transaction that has read and then writes while another holds the lock fails at once,
    # whatever the timeout).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": SQLITE_BUSY_TIMEOUT,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

# Read replicas (docs/performance.md, "Past one machine"): each URL of DATABASE_REPLICA_URLS
# (comma-separated) is an alias replica1, replica2 … with the primary's CONN_MAX_AGE and OPTIONS.
# core.replicas then gives an anonymous visitor's public GET one replica for all its reads (the data
# version's too); everything else reads and writes on the primary (core.routers). With none, no
# router and no middleware are installed: every query goes to default, as before.
DATABASE_REPLICAS = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    _replica = database(_url)
    # Named by position and scheme only: a URL may hold a password, which must not reach a log.
    for _name, _engine in (
        ("DATABASE_URL", DATABASES["default"]["ENGINE"]),
        (f"URL {_number} of DATABASE_REPLICA_URLS ({_url.split(':', 1)[0]}:…)", _replica["ENGINE"]),
    ):
        if _engine != "django.db.backends.postgresql":
            raise ImproperlyConfigured(
                f"DATABASE_REPLICA_URLS: {_name} is not PostgreSQL; "
                "read replicas are streaming replicas of a PostgreSQL primary."
            )
    # The primary's options, and over them the replica URL's own (?connect_timeout=2, sslmode).
    _replica["OPTIONS"] = {**DATABASES["default"].get("OPTIONS", {}), **_replica.get("OPTIONS", {})}
    # A persistent connection to a replica that went away is found before the request reads it
    # (core.replicas), not by the request's first query.
    _replica["CONN_HEALTH_CHECKS"] = True
    DATABASES[f"replica{_number}"] = _replica
    DATABASE_REPLICAS.append(f"replica{_number}")
DATABASE_ROUTERS = ["core.routers.ReplicaRouter"] if DATABASE_REPLICAS else []
if DATABASE_REPLICAS:
    # Before the page cache: its key and ETag read the data version, from the pinned replica.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("pages.caching.PublicPageCacheMiddleware"),
        "core.replicas.ReplicaMiddleware",
    )
# After a browser's own write, its reads stay on the primary this many seconds (a replica may lag).
REPLICA_STICKY_SECONDS = int(os.environ.get("REPLICA_STICKY_SECONDS", "10"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where `collectstatic` puts the files whitenoise serves (`make serve` runs it).
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

LOGIN_URL = "admin:login"

# Login brute-force protection (django-axes): five failures for one user name from one address
# lock that pair out for an hour; a success resets the count. Keying on the pair means an attacker
# cannot lock a curator out from everywhere by guessing their name. The address is REMOTE_ADDR:
# a client-sent X-Forwarded-For is never trusted, as it would let an attacker pick a fresh address
# for every guess (behind a proxy the pair is then user name + proxy, still a lock-out per name).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

# django-simple-history: change reasons are free text (an import's file names can be long).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Uploads. A request body other than files may be at most 10 MB: a form holding a source's longest
# text (core.text.LONG_TEXT_MAX, a million characters) takes 1–9 bytes a character once
# URL-encoded, so a text of the maximum in Latin script fits; uploaded files over 2.5 MB are
# streamed to a temporary file instead of memory; an admin import file may be at most
# IMPORT_MAX_UPLOAD_SIZE bytes (10 MB unless set), so a curator gets a clear refusal, not a timeout.
# The reverse proxy in front should refuse bodies a little over that (nginx client_max_body_size).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
IMPORT_MAX_UPLOAD_SIZE = int(os.environ.get("IMPORT_MAX_UPLOAD_SIZE", str(10 * 1024 * 1024)))
# The most data rows an admin import may hold (the command line has no such limit). An import runs
# inside one web request, which gunicorn kills after 120 s (--timeout in the Makefile's serve
# target), and on SQLite it holds the database's write lock while it runs, its preview too. So an
# admin import is sized to take at most 40 s, a third of that: a confirmation queued behind another
# import then waits up to 40 s and runs 40 s, well inside 120 s. Claims are the slowest rows:
# measured on SQLite on a 2-core machine, claims naming three actors and three metals each confirm
# at 1,520 rows/s (30,000 in 20 s; 1,330 rows/s with the other core busy; 2,350 with one actor and
# one metal each), so 40 s holds about 60,000 of them. Rounded down to 50,000: 33 s, 38 s on the
# busy machine. (A 10 MB upload, IMPORT_MAX_UPLOAD_SIZE, holds about 45,000 such rows.)
IMPORT_ADMIN_MAX_ROWS = int(os.environ.get("IMPORT_ADMIN_MAX_ROWS", "50000"))
# An upload waits in IMPORT_PREVIEW_DIR between its preview and its confirmation; one never
# confirmed is deleted after IMPORT_PREVIEW_MAX_AGE seconds (an hour): see interchange/uploads.py.
IMPORT_PREVIEW_DIR = Path(
    os.environ.get("IMPORT_PREVIEW_DIR", Path(tempfile.gettempdir()) / "claims-import-previews")
)
IMPORT_PREVIEW_MAX_AGE = int(os.environ.get("IMPORT_PREVIEW_MAX_AGE", "3600"))

# Content Security Policy (django-csp 4), in development too so a violation shows early. Nothing of
# ours or of the admin needs inline script; the admin's scripts are all files under 'self'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Public pages: which claim statuses readers see, and whether they must log in first.
PUBLIC_CLAIM_STATUSES = ("checked", "disputed")
PUBLIC_PAGES_REQUIRE_LOGIN = env_bool("PUBLIC_PAGES_REQUIRE_LOGIN", default=False)

# The cache of the public pages (pages/caching.py): this process's memory unless CACHE_URL names a
# Redis server (redis://host:port/db), shared by every web worker. Short socket timeouts, so that a
# Redis that is down costs a page little (it is then served uncached and the log says so).
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.5},
    }
    if CACHE_URL
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    }
}
# A public response larger than this many bytes is not cached (a CSV that large is streamed).
PUBLIC_PAGES_CACHE_MAX_BYTES = int(os.environ.get("PUBLIC_PAGES_CACHE_MAX_BYTES", str(1024 * 1024)))
# How long a cached page is kept (seconds); a write makes it unreachable at once anyway.
PUBLIC_PAGES_CACHE_TIMEOUT = int(os.environ.get("PUBLIC_PAGES_CACHE_TIMEOUT", "86400"))
# Seconds browsers and proxies may reuse a public page without asking: 0 (revalidate every time,
# answered 304 while the data is unchanged). More is that many seconds of possible staleness.
PUBLIC_PAGES_MAX_AGE = int(os.environ.get("PUBLIC_PAGES_MAX_AGE", "0"))

# Curation: on, a claim is marked checked only by another curator than the one who recorded it.
CLAIMS_REQUIRE_SECOND_CHECKER = env_bool("CLAIMS_REQUIRE_SECOND_CHECKER", default=False)

# django-import-export's admin: imports are logged; importing needs "add", exporting "view". (Each
# import runs in its own transaction: InterchangeResource.import_data.)
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

if not DEBUG:
    # The TLS-terminating proxy in front must set X-Forwarded-Proto (and strip a client's own).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
