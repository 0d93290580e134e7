"""Bounded load test: the public pages under concurrent load, on loopback, while imports run.

    .venv/bin/python scripts/loadtest.py [--duration 20] [--concurrency 16] [--workers 3]
    make loadtest

1. Makes a throw-away database (a SQLite file in a temporary folder, or DATABASE_URL if given, which
   must be an empty PostgreSQL database), migrates it, loads the demo data and collects the static
   files, all with the production settings (DEBUG off).
2. Starts gunicorn on 127.0.0.1 with a free port and those settings.
3. For --duration seconds, --concurrency client threads fetch the public pages (home, every question,
   source and actor page, some metals, and their CSV and JSON) over keep-alive connections, while a
   separate process imports one new set of 500 actors and 500 sources after another.
4. Stops everything and prints requests, errors, throughput and latency percentiles, and exits 1 if
   any request failed (a status other than 200, or no answer) or if no import finished.

Requests carry `X-Forwarded-Proto: https`, as the TLS proxy in front of production would, so the
production HTTPS redirect stays on. Nothing listens beyond 127.0.0.1; everything stops by itself.
"""

import argparse
import csv
import http.client
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
METALS = ["Nd", "Dy", "Pr", "Tb", "W", "REE"]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def demo_slugs(name):
    with open(ROOT / "demo" / name, encoding="utf-8") as file:
        return [row["slug"] for row in csv.DictReader(file)]


def public_urls():
    pages = ["/"]
    pages += [f"/questions/{slug}/" for slug in demo_slugs("questions.csv")]
    pages += [f"/sources/{slug}/" for slug in demo_slugs("sources.csv")]
    pages += [f"/actors/{slug}/" for slug in demo_slugs("actors.csv")]
    pages += [f"/metals/{symbol}/" for symbol in METALS]
    return [page + suffix for page in pages for suffix in ("", "?format=csv", "?format=json")]


def write_import_set(folder, n):
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "actors.csv", "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["slug", "name", "kind", "country", "parent", "aliases", "wikidata_id"])
        for i in range(500):
            writer.writerow(
                [f"load-{n}-actor-{i}", f"Load actor {n}/{i}", "company", "", "", "", ""]
            )
    with open(folder / "sources.csv", "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["slug", "title", "kind", "publisher", "published", "language", "text"])
        for i in range(500):
            writer.writerow(
                [f"load-{n}-source-{i}", f"Load source {n}/{i}", "article",
                 f"load-{n}-actor-{i}", "2025-11", "en", "Some text. " * 20]
            )  # fmt: skip
    return folder


def importer(env, workdir, stop, done):
    """Import fresh sets of actors and sources, one after another, until told to stop."""
    n = 0
    while not stop.is_set():
        folder = write_import_set(workdir / f"set-{n}", n)
        started = time.monotonic()
        result = subprocess.run(
            [PYTHON, "manage.py", "import_data", str(folder)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        done.append((result.returncode, time.monotonic() - started))
        if result.returncode:
            print(result.stdout, result.stderr, file=sys.stderr)
        n += 1


def client(port, urls, offset, deadline, results, lock):
    latencies, statuses = [], Counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
    i = offset
    while time.monotonic() < deadline:
        url = urls[i % len(urls)]
        i += 1
        started = time.monotonic()
        try:
            connection.request("GET", url, headers=headers)
            response = connection.getresponse()
            response.read()
            statuses[response.status] += 1
            if response.status != 200:
                statuses[f"{response.status} {url}"] += 1
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
        except (OSError, http.client.HTTPException) as error:
            statuses[f"error {type(error).__name__}"] += 1
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        latencies.append(time.monotonic() - started)
    connection.close()
    with lock:
        results["latencies"].extend(latencies)
        results["statuses"].update(statuses)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--no-import", action="store_true", help="a baseline: no import runs")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="claims-load-") as tmp:
        workdir = Path(tmp)
        port = free_port()
        env = {
            **os.environ,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_STATIC_ROOT": str(workdir / "static"),
            "DATABASE_URL": os.environ.get("DATABASE_URL")
            or f"sqlite:///{workdir / 'load.sqlite3'}",
        }
        print(f"database: {env['DATABASE_URL']}", flush=True)
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "load_demo")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")

        server = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "project.wsgi",
             "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
             "--log-level", "warning"],
            cwd=ROOT, env=env, start_new_session=True,
        )  # fmt: skip
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.1)
            urls = public_urls()
            stop, imports = threading.Event(), []
            import_thread = threading.Thread(target=importer, args=(env, workdir, stop, imports))
            if not args.no_import:
                import_thread.start()
                time.sleep(1)  # let the first import get going

            results, lock = {"latencies": [], "statuses": Counter()}, threading.Lock()
            started = time.monotonic()
            deadline = started + args.duration
            threads = [
                threading.Thread(target=client, args=(port, urls, n * 7, deadline, results, lock))
                for n in range(args.concurrency)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started
            stop.set()
            if not args.no_import:
                import_thread.join()
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)

    latencies = sorted(results["latencies"])
    statuses = results["statuses"]
    errors = sum(count for key, count in statuses.items() if key != 200 and isinstance(key, int))
    errors += sum(count for key, count in statuses.items() if str(key).startswith("error"))
    quantiles = statistics.quantiles(latencies, n=100)
    finished_imports = [seconds for code, seconds in imports if code == 0]
    print(f"pages: {len(urls)} URLs, {args.concurrency} clients, {args.workers} gunicorn workers")
    print(f"requests: {len(latencies)} in {elapsed:.1f} s = {len(latencies) / elapsed:.0f} req/s")
    print(
        f"latency: p50 {quantiles[49] * 1000:.0f} ms, p95 {quantiles[94] * 1000:.0f} ms, "
        f"p99 {quantiles[98] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
    )
    print(f"errors: {errors}  statuses: {dict(statuses)}")
    print(
        f"imports during the load: {len(imports)} ({len(finished_imports)} succeeded, "
        f"500 actors + 500 sources each, "
        f"{statistics.mean(finished_imports) if finished_imports else 0:.1f} s each)"
    )
    failed_imports = len(imports) - len(finished_imports)
    return 1 if errors or failed_imports or not (finished_imports or args.no_import) else 0


if __name__ == "__main__":
    sys.exit(main())
