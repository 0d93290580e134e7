"""Read replicas (core.routers, core.replicas) against a real streaming replica of PostgreSQL.

`scripts/pg_replica.sh` makes the replica (a second cluster on port 5433, a pg_basebackup of the
primary streaming its WAL) and .ci/run runs this module with DATABASE_REPLICA_URLS naming it.
pytest-django creates the test database on the primary only; the replica receives it with the WAL,
so its alias is pointed at the same database name and is never created nor flushed by Django (a
hot standby refuses both): the tests list only `default` in their databases and let the replica's
connection be used (`replica` below). Data reaches the replica only once committed, so the tests
are transactional and wait for the replica to replay the primary's WAL; `lag` pauses the replay
to make the replica really lag.

Without a replica the tests that need one are skipped, saying so, except in CI (CI=true), where
they fail: CI must run them against the real thing.
"""

import json
import os
import socket
import subprocess
import sys
import time

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import dataversion
from core.models import DataVersion
from core.replicas import COOKIE
from sources.models import Actor
from tests.conftest import make_actor, make_claim, make_question, make_user
from tests.core.test_history import form_data

REPLICA = "replica1"
NO_REPLICA = (
    "no read replica configured: run scripts/pg_replica.sh and set "
    "DATABASE_REPLICA_URLS=postgres://postgres@127.0.0.1:5433/<the DATABASE_URL's name>"
)
REPLAY_TIMEOUT = 30


def control(alias):
    """A connection of our own to `alias`'s server, outside Django (and its query captures)."""
    options = connections[alias].settings_dict
    return psycopg.connect(
        host=options["HOST"],
        port=options["PORT"] or 5432,
        user=options["USER"],
        password=options["PASSWORD"] or None,
        dbname=connections[DEFAULT_DB_ALIAS].settings_dict["NAME"],
        autocommit=True,
    )


class Lag:
    """The replica's replay: paused (a replica that lags), resumed, and waited for."""

    def __init__(self):
        self.primary = control(DEFAULT_DB_ALIAS)
        self.replica = control(REPLICA)

    def pause(self):
        self.replica.execute("select pg_wal_replay_pause()")

    def resume(self):
        self.replica.execute("select pg_wal_replay_resume()")

    def catch_up(self):
        """Wait until the replica has replayed everything the primary has committed so far."""
        (target,) = self.primary.execute("select pg_current_wal_lsn()").fetchone()
        deadline = time.monotonic() + REPLAY_TIMEOUT
        while not self.replica.execute(
            "select pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]
        ).fetchone()[0]:
            assert time.monotonic() < deadline, f"the replica did not replay {target}"
            time.sleep(0.05)

    def close(self):
        self.resume()
        self.primary.close()
        self.replica.close()


@pytest.fixture
def replica(transactional_db):
    """The replica's alias, on the test database, usable by this test's requests.

    Asks for `transactional_db` by name, not later: pytest-django creates the test databases of
    the tests that name it, and the tests would otherwise run on DATABASE_URL's own database."""
    if REPLICA not in settings.DATABASES:
        if os.environ.get("CI") == "true":
            pytest.fail(NO_REPLICA)
        pytest.skip(NO_REPLICA)
    # Django refuses a test the databases it does not list, and creates and flushes those it lists,
    # which a hot standby refuses. So the alias is not listed, and gets for this test a connection
    # of its own, opened at once, to the test database the primary streams to it.
    registered = connections[REPLICA]
    own = connections.create_connection(REPLICA)
    own.settings_dict["NAME"] = connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]
    own.connect()
    connections[REPLICA] = own
    try:
        with own.cursor() as cursor:
            cursor.execute("select pg_is_in_recovery()")
            assert cursor.fetchone() == (True,), f"{REPLICA} is not a replica"
        yield REPLICA
    finally:
        own.close()
        connections[REPLICA] = registered


@pytest.fixture
def lag(replica):
    lag = Lag()
    lag.resume()  # a replay left paused by an interrupted run
    yield lag
    lag.close()


def get(client, path):
    """`client`'s GET of `path`, with the queries it made on the replica and on the primary."""
    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary,
    ):
        response = client.get(path)
    return response, on_replica, on_primary


def tables(queries):
    return " ".join(query["sql"] for query in queries)


def test_an_anonymous_public_get_reads_the_data_and_its_version_from_the_replica(lag):
    actor = make_actor(name="Ministry of Mines")
    lag.catch_up()

    response, on_replica, on_primary = get(Client(), actor.get_absolute_url())

    assert response.status_code == 200
    assert "Ministry of Mines" in response.content.decode()
    assert DataVersion._meta.db_table in tables(on_replica)
    assert Actor._meta.db_table in tables(on_replica)
    # Not one query on the primary: no session, no user, no version.
    assert on_primary.captured_queries == []
    assert COOKIE not in response.cookies


def test_a_questions_prepared_queries_read_the_replica_too(lag):
    # The question's CSV reads its claims and links by prepared queries (core.prepared): on the
    # replica the router names, as every other query of the request.
    question = make_question(title="Share of processing")
    make_claim(question=question, ref="first-figure", value=90, unit="%")
    lag.catch_up()
    path = question.get_absolute_url() + "?format=csv"
    response, on_replica, on_primary = get(Client(), path)
    assert "first-figure" in b"".join(response).decode()
    assert "claims_claimlink" in tables(on_replica)
    assert on_primary.captured_queries == []

    lag.pause()
    make_claim(question=question, ref="second-figure", value=91, unit="%")
    lagging, _, _ = get(Client(), path)
    assert "second-figure" not in b"".join(lagging).decode()
    lag.resume()
    lag.catch_up()
    assert "second-figure" in b"".join(Client().get(path)).decode()


def test_a_page_from_a_lagging_replica_carries_the_replicas_version_and_etag(lag):
    actor = make_actor(name="Ministry of Mines")
    lag.catch_up()
    before = Client().get(actor.get_absolute_url())
    lag.pause()
    Actor.objects.filter(pk=actor.pk).update(name="Ministry of Mines and Energy")
    primary_version = dataversion.current()
    replica_version = dataversion.current(using=REPLICA)
    assert replica_version.number < primary_version.number

    lagging = Client().get(actor.get_absolute_url())

    # The replica's old data under the replica's old version: the ETag of the page before the write.
    assert "Ministry of Mines and Energy" not in lagging.content.decode()
    assert lagging.wsgi_request.data_version == replica_version
    assert lagging["ETag"] == before["ETag"]

    lag.resume()
    lag.catch_up()
    caught_up = Client().get(actor.get_absolute_url())
    assert "Ministry of Mines and Energy" in caught_up.content.decode()
    assert caught_up.wsgi_request.data_version == primary_version
    assert caught_up["ETag"] != before["ETag"]


def test_a_curators_save_goes_to_the_primary_and_their_browser_reads_it_back_from_there(
    lag, settings
):
    actor = make_actor(name="Ministry of Mines")
    curator = make_user("superuser")
    lag.catch_up()
    lag.pause()
    browser = Client()
    browser.force_login(curator)
    change = reverse("admin:sources_actor_change", args=[actor.pk])
    data = form_data(browser.get(change))
    data["name"] = "Ministry of Mines and Energy"

    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        saved = browser.post(change, data)
        logged_out = browser.post(reverse("admin:logout"))

    assert saved.status_code == 302
    assert on_replica.captured_queries == []
    assert Actor.objects.get(pk=actor.pk).name == "Ministry of Mines and Energy"
    assert COOKIE in saved.cookies and COOKIE in logged_out.cookies
    assert settings.SESSION_COOKIE_NAME not in {
        name for name, cookie in browser.cookies.items() if cookie.value
    }

    # Logged out, so anonymous, but within the window after its own write: the primary.
    response, on_replica, on_primary = get(browser, actor.get_absolute_url())
    assert "Ministry of Mines and Energy" in response.content.decode()
    assert on_replica.captured_queries == []
    assert Actor._meta.db_table in tables(on_primary)
    # Another browser reads the replica, which has not replayed the save.
    elsewhere, on_replica, _ = get(Client(), actor.get_absolute_url())
    assert "Ministry of Mines and Energy" not in elsewhere.content.decode()
    assert Actor._meta.db_table in tables(on_replica)

    # Once the window has passed, the same browser reads the replica again.
    settings.REPLICA_STICKY_SECONDS = 1
    wrote_at = float(browser.cookies[COOKIE].value)
    time.sleep(max(0.0, wrote_at + 1.05 - time.time()))
    later, on_replica, on_primary = get(browser, actor.get_absolute_url())
    assert "Ministry of Mines and Energy" not in later.content.decode()
    # The replica's version, whose page `elsewhere` has just cached.
    assert DataVersion._meta.db_table in tables(on_replica)
    assert on_primary.captured_queries == []


def test_a_logged_in_visitors_public_get_reads_the_primary(lag, django_user_model):
    actor = make_actor(name="Ministry of Mines")
    browser = Client()
    browser.force_login(django_user_model.objects.create_user("reader", password="pw"))
    lag.catch_up()

    response, on_replica, on_primary = get(browser, actor.get_absolute_url())

    assert response.status_code == 200
    assert on_replica.captured_queries == []
    assert Actor._meta.db_table in tables(on_primary)


def test_a_post_never_reads_a_replica(lag):
    actor = make_actor(name="Ministry of Mines")
    user = make_user("superuser")
    lag.catch_up()

    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary,
    ):
        # An anonymous POST to a public page (the page answers it as a GET) …
        page = Client().post(actor.get_absolute_url())
        # … and a login.
        login = Client().post(reverse("admin:login"), {"username": user.username, "password": "pw"})

    assert page.status_code == 200
    assert login.status_code == 302  # logged in: the user was read from the primary
    assert on_replica.captured_queries == []
    assert Actor._meta.db_table in tables(on_primary)
    assert COOKIE in login.cookies  # the login wrote (the session, last_login)


def test_a_replica_that_does_not_answer_sends_its_requests_to_the_primary(replica):
    """In a process of its own, on the primary's test database, with a replica on a closed port."""
    actor = make_actor(name="Ministry of Mines")
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    primary = connections[DEFAULT_DB_ALIAS].settings_dict
    code = (
        "import django; django.setup(); from django.test import Client; browser = Client(); "
        f"pages = [browser.get({actor.get_absolute_url()!r}) for _ in range(2)]; "
        "print([page.status_code for page in pages], all(b'Ministry of Mines' in page.content "
        "for page in pages))"
    )
    result = run_with_settings(
        code,
        DATABASE_URL=f"postgres://{primary['USER']}@{primary['HOST']}:{primary['PORT']}/{primary['NAME']}",
        DATABASE_REPLICA_URLS=f"postgres://postgres@127.0.0.1:{closed}/unreachable",
    )
    assert result.stdout.strip() == "[200, 200] True", result.stderr
    # Said once: the worker's second request does not try the replica again.
    assert result.stderr.count("Read replica replica1 unavailable, reading the primary") == 1


def test_migrate_never_touches_the_replica(lag):
    assert router.allow_migrate(REPLICA, "claims") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "claims") is True
    lag.catch_up()
    version = dataversion.current(using=REPLICA)

    # A hot standby refuses every write: a migrate that tried one would fail.
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        call_command("migrate", database=REPLICA, verbosity=0, interactive=False)

    assert "django_migrations" in tables(on_replica)  # it did look at the replica
    assert not [
        q for q in on_replica.captured_queries if not q["sql"].lstrip().upper().startswith("SELECT")
    ]
    lag.catch_up()
    assert dataversion.current(using=REPLICA) == version  # and published no version anywhere


def test_an_object_read_from_the_replica_may_be_related_to_one_of_the_primary(lag):
    parent = make_actor(name="Ministry of Mines")
    lag.catch_up()
    child = make_actor(name="Department of Geology")

    child.parent = Actor.objects.using(REPLICA).get(pk=parent.pk)
    child.save()

    assert child._state.db == DEFAULT_DB_ALIAS
    assert Actor.objects.get(pk=child.pk).parent_id == parent.pk


def run_with_settings(code, **environment):
    """`code` run in a new process whose settings are read with `environment` (and without the
    replicas of this one)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URLS"}
    env.update(DJANGO_SETTINGS_MODULE="project.settings", DJANGO_DEBUG="1", **environment)
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )


def settings_of(**environment):
    """The databases, routers and middleware of settings read afresh with `environment`."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([sorted(s.DATABASES), s.DATABASE_ROUTERS, s.MIDDLEWARE]))"
    )
    return run_with_settings(code, **environment)


def test_with_no_replica_configured_nothing_changes():
    result = settings_of(DATABASE_URL="postgres://postgres@127.0.0.1:5432/claims")
    databases, routers, middleware = json.loads(result.stdout)
    assert databases == ["default"]
    assert routers == []
    assert "core.replicas.ReplicaMiddleware" not in middleware

    result = settings_of(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/claims",
        DATABASE_REPLICA_URLS="postgres://postgres@127.0.0.1:5433/claims,postgres://r2/claims",
    )
    databases, routers, middleware = json.loads(result.stdout)
    assert databases == ["default", "replica1", "replica2"]
    assert routers == ["core.routers.ReplicaRouter"]
    assert middleware.index("core.replicas.ReplicaMiddleware") + 1 == middleware.index(
        "pages.caching.PublicPageCacheMiddleware"
    )


def test_a_replica_that_is_not_postgresql_is_refused_with_a_clear_message():
    primary = "postgres://postgres@127.0.0.1:5432/claims"
    result = settings_of(
        DATABASE_URL=primary, DATABASE_REPLICA_URLS=f"{primary},mysql://u:secret@h/x"
    )
    assert result.returncode != 0
    assert (
        "DATABASE_REPLICA_URLS: URL 2 of DATABASE_REPLICA_URLS (mysql:…) is not PostgreSQL; "
        "read replicas are streaming replicas of a PostgreSQL primary."
    ) in result.stderr
    assert "secret" not in result.stderr

    result = settings_of(DATABASE_URL="sqlite:///x.db", DATABASE_REPLICA_URLS=primary)
    assert "DATABASE_REPLICA_URLS: DATABASE_URL is not PostgreSQL" in result.stderr


def test_a_replica_urls_own_options_are_kept_over_the_primarys():
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "r = s.DATABASES['replica1']; print(json.dumps([r['OPTIONS'], r['CONN_HEALTH_CHECKS']]))"
    )
    result = run_with_settings(
        code,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/claims?sslmode=prefer",
        DATABASE_REPLICA_URLS="postgres://postgres@127.0.0.1:5433/claims?connect_timeout=2",
    )
    options, health_checks = json.loads(result.stdout)
    assert options == {"sslmode": "prefer", "connect_timeout": 2}
    assert health_checks is True
