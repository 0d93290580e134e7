"""Requests that arrive while an admin import runs wait for it, and every one gets a true answer.

A real server (gunicorn, as `make serve` runs it, with four workers) and real browsers' requests:
Alice confirms a claims import, twice (a double click); while it runs, Bob confirms another and
Carol logs in. On SQLite the server runs on a file copy of the test database (WAL,
IMMEDIATE transactions, the settings' busy timeout), so every write waits for the import's lock:
Bob's import, Carol's session, last login and access log. On PostgreSQL it runs on the test
database itself, where imports queue on an advisory lock.

Afterwards both files are imported once and logged once, Alice's second click was told the file
was being (or had been) imported, nobody got an error, and no upload is left behind.

Then the settings: SQLite's busy timeout outlasts the longest admin import and ends before the
web worker is killed.
"""

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from contextlib import closing
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from interchange import admin as admin_import
from tests.conftest import make_actor, make_source, make_user

ROOT = Path(__file__).resolve().parents[2]
ROWS = 2500  # a claims file about a second long to import here: long enough to overlap
HEADER = "ref,source,quote,speaker,cited_source,about,qualifier,value,unit,status\n"


def claims_file(prefix):
    """ROWS claims, each with a speaker and a cited source, about three actors."""
    rows = (
        f"{prefix}-{n},source-{n % 20},Quote {n} of {prefix}.,actor-{n % 20},source-{n % 7},"
        f"actor-{n % 20}|actor-{(n + 1) % 20}|actor-{(n + 2) % 20},about,{n % 90},%,checked\n"
        for n in range(ROWS)
    )
    return (HEADER + "".join(rows)).encode()


class Browser:
    """One person's browser: its own cookies (session, CSRF token, messages); no redirects followed."""

    def __init__(self, base, cookies=()):
        self.base = base
        self.cookies = CookieJar()
        for cookie in cookies:
            self.cookies.set_cookie(cookie)
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def get(self, path):
        return self._send(urllib.request.Request(self.base + path))

    def post(self, path, fields, file=None):
        """POST a form (with the CSRF token of the page that holds it), multipart with a file."""
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in fields.items()
        ]
        if file:
            name, content = file
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="import_file"; '
                f'filename="{name}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        request = urllib.request.Request(
            self.base + path,
            data=b"".join(parts) + f"--{boundary}--\r\n".encode(),
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Referer": self.base + path,
            },
        )
        return self._send(request)

    def log_in(self, username):
        form = hidden_fields(self.get("/admin/login/")[1])
        return self.post(
            "/admin/login/", {**form, "username": username, "password": "pw", "next": "/admin/"}
        )

    def _send(self, request):
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx and 5xx
            return error.code, error.read().decode(), dict(error.headers)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def hidden_fields(html):
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


def messages_on(browser, response):
    """The messages shown on the page a response redirects to."""
    status, _, headers = response
    assert status == 302, response[:2]
    html = browser.get(headers["Location"])[1]
    return re.findall(r'<li class="(?:success|warning|error)">(.*?)</li>', html, flags=re.S)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_for_the_server(tmp_path):
    """DATABASE_URL for the server, and a function running a query on that database."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        url = (
            f"postgres://{db['USER'] or 'postgres'}{password}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )

        def query(sql):
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchone()[0]

        return url, query
    # The test database is in memory: the server gets a copy in a file, as production has.
    path = tmp_path / "server.sqlite3"
    connection.ensure_connection()
    with closing(sqlite3.connect(path)) as copy:
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=WAL")

    def query(sql):
        with closing(sqlite3.connect(path)) as db:
            return db.execute(sql).fetchone()[0]

    return f"sqlite:///{path}", query


@pytest.fixture
def server(tmp_path):
    """Start gunicorn on a free port; yields (base URL, query, uploads folder)."""
    url, query = database_for_the_server(tmp_path)
    previews = tmp_path / "previews"
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "1",
        "IMPORT_PREVIEW_DIR": str(previews),
    }
    log = tmp_path / "server.log"
    with open(log, "w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "project.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", "4", "--timeout", "120", "--log-level", "warning"],
            cwd=ROOT, env=env, start_new_session=True, stderr=stderr,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/admin/login/", timeout=5).close()
                break
            except OSError:
                assert process.poll() is None, log.read_text()
                time.sleep(0.1)
        yield base, query, previews
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    assert "Traceback" not in log.read_text(), log.read_text()


def timed(results, key, call, *args):
    started = time.monotonic()
    results[key] = call(*args)
    results[key + " timing"] = (started, time.monotonic())


# Committed data, for the server to read. Nothing the migrations made is needed (a transactional
# test before this one may have flushed it): the three are superusers and the claims name no metal.
@pytest.mark.django_db(transaction=True)
def test_requests_during_an_import_wait_for_it_and_are_answered_truly(request, tmp_path):
    for name in ("alice", "bob", "carol"):
        make_user("superuser", username=name)
    for n in range(20):
        make_source(slug=f"source-{n}")
        make_actor(slug=f"actor-{n}")
    base, query, previews = request.getfixturevalue("server")  # once the rows above are in
    alice, bob, carol = Browser(base), Browser(base), Browser(base)
    for browser, name in ((alice, "alice"), (bob, "bob")):
        assert browser.log_in(name)[0] == 302
    previews_of = {}
    for browser, prefix in ((alice, "alice"), (bob, "bob")):
        status, html, _ = browser.post(
            "/admin/claims/claim/import/",
            {**hidden_fields(browser.get("/admin/claims/claim/import/")[1]), "format": "0"},
            file=(f"{prefix}.csv", claims_file(prefix)),
        )
        assert status == 200 and f"{ROWS} to create" in html, html[-2000:]
        previews_of[prefix] = {**hidden_fields(html), "confirm": "1"}

    # Alice's second click: the same session, and a page of its own to show the answer on.
    alice_again = Browser(base, cookies=alice.cookies)
    results = {}
    process = "/admin/claims/claim/process_import/"
    calls = [
        ("alice", alice.post, process, previews_of["alice"]),
        ("alice again", alice_again.post, process, previews_of["alice"]),
        ("bob", bob.post, process, previews_of["bob"]),
        ("carol", carol.log_in, "carol"),
    ]
    threads = []
    for key, *call in calls:
        threads.append(threading.Thread(target=timed, args=(results, key, *call)))
        threads[-1].start()
        time.sleep(0.1)  # Alice's import has begun when the others arrive
    for thread in threads:
        thread.join()

    finished = f"Import finished: {ROWS} new, 0 updated, 0 deleted and 0 skipped claims."
    clicks = {
        key: messages_on(browser, results[key])
        for key, browser in (("alice", alice), ("alice again", alice_again))
    }
    imported_by = next(key for key, shown in clicks.items() if shown == [finished])
    other = clicks["alice again" if imported_by == "alice" else "alice"]
    assert other in ([admin_import.CONFIRMING_ALREADY], [admin_import.CONFIRMED_OR_EXPIRED])
    assert messages_on(bob, results["bob"]) == [finished]
    assert results["carol"][0] == 302 and results["carol"][2]["Location"] == "/admin/"
    # The contention was real: Bob came while Alice's import ran, Carol while Bob's did.
    assert results["bob timing"][0] < results[imported_by + " timing"][1]
    assert results["carol timing"][0] < results["bob timing"][1]

    for prefix in ("alice", "bob"):
        assert query(f"SELECT count(*) FROM claims_claim WHERE ref LIKE '{prefix}-%'") == ROWS
        assert (
            query(f"SELECT count(*) FROM claims_historicalclaim WHERE ref LIKE '{prefix}-%'")
            == ROWS
        )
        assert (
            query(
                "SELECT count(*) FROM django_admin_log l JOIN auth_user u ON u.id = l.user_id "
                f"WHERE u.username = '{prefix}'"
            )
            == ROWS
        )
    assert (
        query("SELECT count(*) FROM auth_user WHERE username = 'carol' AND last_login IS NOT NULL")
        == 1
    )
    assert query("SELECT count(*) FROM axes_accesslog WHERE username = 'carol'") == 1
    assert list(previews.iterdir()) == []


def test_the_busy_timeout_outlasts_the_longest_admin_import_and_not_the_web_worker():
    makefile = (ROOT / "Makefile").read_text()
    worker_timeout = int(re.search(r"gunicorn .*?--timeout (\d+)", makefile, flags=re.S)[1])
    longest_import = worker_timeout / 3  # what IMPORT_ADMIN_MAX_ROWS is derived from

    assert longest_import < settings.SQLITE_BUSY_TIMEOUT < worker_timeout
    if connection.vendor == "sqlite":
        assert connection.settings_dict["OPTIONS"]["timeout"] == settings.SQLITE_BUSY_TIMEOUT
