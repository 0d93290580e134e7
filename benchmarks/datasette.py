"""`make bench`, second part: our public pages against Datasette serving the same SQLite file.

Not a test. Builds (or reuses) one SQLite file of synthetic claims (benchmarks.synthetic), starts
our gunicorn with the production settings and `datasette serve` on that same file, mutable (no
`-i`: curators write to it; Datasette then checks the file for changes on each request, as it
would in production) with `suggest_facets` off, and times five pairs of pages in alternation:

    question  /questions/<slug>/               claims_claim?question_id=<id>
    search    /search/?q=<word>                claims_claim?quote__contains=<word>
    source    /sources/<slug>/                 claims_claim?source_id=<id>
    csv       /questions/<slug>/?format=csv    claims_claim.csv?question_id=<id>&_stream=on
    json      /questions/<slug>/?format=json   claims_claim.json?question_id=<id>

Prints `datasette_ratio_<name>_warm` (p50 ours ÷ p50 Datasette, after warm-up) and
`datasette_ratio_<name>_cold` (our first request after a committed write ÷ Datasette's p50), then
the p50s, as `name value unit` lines. See docs/performance.md.

    python -m benchmarks.datasette                   # 100k claims, file in the temp folder
    python -m benchmarks.datasette --rebuild --repeat 9
"""

import argparse
import http.client
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# The page-timing benchmark's word (benchmarks.run): every word of the synthetic vocabulary is in
# about 46 % of the quotes (12 words drawn from 20), so any one is as representative as another.
WORD = "tungsten"
PAGES = ("question", "search", "source", "csv", "json")


def report(name, value, unit):
    shown = f"{value:.3f}" if isinstance(value, float) else str(value)
    print(f"{name} {shown} {unit}", flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def settle(env):
    """The process's Django on the file, with the settings the server gets."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build(sizes):
    """The synthetic database in a new SQLite file, its summaries computed as the app's signals
    would have (the rows go in past the models)."""
    from django.core.management import call_command

    from benchmarks import synthetic
    from claims.summaries import question_summaries_refresh

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    synthetic.build(**sizes)
    question_summaries_refresh()
    report("datasette_build_seconds", time.perf_counter() - start, "s")


def representative():
    """The question and the source with the median number of public claims (ties: the lowest id),
    as (slug, id) each."""
    from django.conf import settings
    from django.db import connection

    statuses = tuple(settings.PUBLIC_CLAIM_STATUSES)
    marks = ", ".join(["%s"] * len(statuses))
    chosen = []
    for table, column in (("claims_question", "question_id"), ("sources_source", "source_id")):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT t.slug, t.id, COUNT(c.id) AS n FROM {table} t "
                f"JOIN claims_claim c ON c.{column} = t.id AND c.status IN ({marks}) "
                "GROUP BY t.id, t.slug ORDER BY n, t.id",
                statuses,
            )
            rows = cursor.fetchall()
        slug, pk, count = rows[len(rows) // 2]
        chosen.append((slug, pk, count))
    return chosen


def start(command, env, log):
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(server):
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def fetch(port, path):
    """Seconds to the last byte of one GET on a new connection (gunicorn's sync workers keep no
    connection alive, so neither side gets one)."""
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    seconds = time.perf_counter() - start
    if response.status != 200:
        sys.exit(f"127.0.0.1:{port}{path} answered {response.status}: {body[:300]!r}")
    return seconds


def wait_for(port, path, server, log_path):
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server on port {port} exited:\n{Path(log_path).read_text()[-2000:]}")
        try:
            fetch(port, path)
            return
        except (OSError, http.client.HTTPException):
            time.sleep(0.2)
    sys.exit(f"the server on port {port} did not answer {path} within 120 s")


def write_once(ref, n):
    """A committed write through the ORM, as a curator's save: the claim's note, whose question's
    summary the app's signals then recompute."""
    from claims.models import Claim

    claim = Claim.objects.get(ref=ref)
    claim.note = f"Benchmark write {n}."
    claim.save()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    from benchmarks import synthetic  # reads no settings: safe before django.setup()

    synthetic.add_size_arguments(parser)
    parser.add_argument("--repeat", type=int, default=5, help="timed requests per page and side")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--file",
        type=Path,
        help="the SQLite file (default: claims-<N>.db in the temp folder, reused when there)",
    )
    parser.add_argument("--rebuild", action="store_true", help="build the file afresh")
    args = parser.parse_args()
    path = (args.file or Path(tempfile.gettempdir()) / f"claims-{args.claims}.db").resolve()
    static = tempfile.mkdtemp(prefix="bench-static-")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{path}",
        "DJANGO_SETTINGS_MODULE": "project.settings",
        # Production settings, as `make serve` runs (README, Operations).
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_CONN_MAX_AGE": "60",
        "DJANGO_STATIC_ROOT": static,
    }
    if args.rebuild:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    fresh = not path.exists()
    settle(env)
    if fresh:
        sizes = {k: getattr(args, k) for k in ("claims", "sources", "actors", "questions")}
        build(sizes)
    else:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)  # a file of older code gains the new tables
    from django.core.management import call_command
    from django.db import connection

    call_command("collectstatic", interactive=False, verbosity=0)
    (question, question_id, question_n), (source, source_id, source_n) = representative()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ref FROM claims_claim WHERE question_id = %s AND status = 'checked' "
            "ORDER BY id LIMIT 1",
            [question_id],
        )
        write_ref = cursor.fetchone()[0]
    connection.close()  # the file must not be held open in a transaction meanwhile
    checkpoint(path)
    report("datasette_claims", args.claims, "rows")
    print(
        f"# file {path} (reused: {not fresh}); question {question} (id {question_id}, "
        f"{question_n} public claims), source {source} (id {source_id}, {source_n}), "
        f"word {WORD!r}",
        flush=True,
    )

    table = f"/{path.stem}/claims_claim"
    pairs = {
        "question": (f"/questions/{question}/", f"{table}?question_id={question_id}"),
        "search": (f"/search/?q={WORD}", f"{table}?quote__contains={WORD}"),
        "source": (f"/sources/{source}/", f"{table}?source_id={source_id}"),
        "csv": (
            f"/questions/{question}/?format=csv",
            f"{table}.csv?question_id={question_id}&_stream=on",
        ),
        "json": (f"/questions/{question}/?format=json", f"{table}.json?question_id={question_id}"),
    }
    ours_port, theirs_port = free_port(), free_port()
    logs = Path(tempfile.mkdtemp(prefix="bench-servers-"))
    servers = []
    try:
        with open(logs / "gunicorn.log", "w") as ours_log, open(logs / "datasette.log", "w") as log:
            servers.append(
                start(
                    [
                        str(BIN / "gunicorn"),
                        "project.wsgi",
                        "--bind",
                        f"127.0.0.1:{ours_port}",
                        "--workers",
                        str(args.workers),
                        "--timeout",
                        "120",
                        "--log-level",
                        "warning",
                    ],
                    env,
                    ours_log,
                )  # fmt: skip
            )
            servers.append(
                start(
                    [
                        str(BIN / "datasette"),
                        "serve",
                        str(path),
                        "--host",
                        "127.0.0.1",
                        "--port",
                        str(theirs_port),
                        "--setting",
                        "suggest_facets",
                        "off",
                    ],
                    env,
                    log,
                )  # fmt: skip
            )
            wait_for(ours_port, "/", servers[0], logs / "gunicorn.log")
            wait_for(theirs_port, "/", servers[1], logs / "datasette.log")
            compare(pairs, ours_port, theirs_port, args.repeat, write_ref)
    finally:
        for server in servers:
            stop(server)
        shutil.rmtree(static, ignore_errors=True)
        shutil.rmtree(logs, ignore_errors=True)
    checkpoint(path)  # leave the file whole for the next run to reuse


def checkpoint(path):
    """Everything written (the build, the cold runs' writes) moved from the write-ahead log into
    the file, so that every run reads the file alike: in the first run after a build, before this
    checkpoint was added, Datasette's pages measured 30-40 % slower than in the runs after."""
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def compare(pairs, ours_port, theirs_port, repeat, write_ref):
    results = {}
    for name in PAGES:
        ours, theirs = pairs[name]
        # Warm-up: every worker loads its templates and opens its connection; Datasette's page
        # cache of the file's schema fills.
        for _ in range(3):
            fetch(ours_port, ours)
            fetch(theirs_port, theirs)
        mine, other = [], []
        for _ in range(repeat):
            mine.append(fetch(ours_port, ours))
            other.append(fetch(theirs_port, theirs))
        results[name] = [statistics.median(mine), statistics.median(other)]
    # Cold: a write, then at once our page; as many times as the warm pages were timed.
    for name in PAGES:
        ours, _ = pairs[name]
        cold = []
        for n in range(repeat):
            write_once(write_ref, n)
            cold.append(fetch(ours_port, ours))
        results[name].append(statistics.median(cold))
    for name in PAGES:
        mine, other, cold = results[name]
        report(f"datasette_ratio_{name}_warm", mine / other, "ratio")
        report(f"datasette_ratio_{name}_cold", cold / other, "ratio")
    for name in PAGES:
        mine, other, cold = results[name]
        report(f"datasette_{name}_ours_p50", mine * 1000, "ms")
        report(f"datasette_{name}_ours_cold_p50", cold * 1000, "ms")
        report(f"datasette_{name}_datasette_p50", other * 1000, "ms")


if __name__ == "__main__":
    main()
