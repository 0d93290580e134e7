"""`make bench`: how the paths users run most behave on a large PostgreSQL database.

Not a test: timings on shared machines are noisy, so import and export are reported as a ratio to
PostgreSQL's own COPY measured in the same run, on the same data. Prints one `name value unit` line
per figure, then a summary table. See docs/performance.md for the figures and how to read them.

    make bench                       # 100k claims, 10k sources, 2k actors, 1k questions
    make bench ARGS="--claims 1000000"
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/claims_bench"
FIGURES = []
UNCACHED = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def report(name, value, unit):
    FIGURES.append((name, value, unit))
    shown = f"{value:.3f}" if isinstance(value, float) else str(value)
    print(f"{name} {shown} {unit}", flush=True)


def fresh_database(url):
    info = psycopg.conninfo.conninfo_to_dict(url.replace("postgres://", "postgresql://", 1))
    name = info.pop("dbname")
    info["dbname"] = "postgres"
    with psycopg.connect(**info, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def run_command(*args):
    """A manage.py command in a child process; returns (seconds, peak RSS in MB of children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        capture_output=True,
        text=True,
        env=os.environ,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(
            f"manage.py {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        )
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024


def remove_claims(prefix):
    from django.db import connection

    with connection.cursor() as cursor:
        like = f"{prefix}-%"
        for table in ("claims_claim_about", "claims_claim_metals"):
            cursor.execute(
                f"DELETE FROM {table} WHERE claim_id IN (SELECT id FROM claims_claim WHERE ref LIKE %s)",
                [like],
            )
        cursor.execute("DELETE FROM claims_claim WHERE ref LIKE %s", [like])
    # Deletes in SQL send no signals: the summaries are recomputed as the app's deletes would.
    from claims.summaries import question_summaries_refresh

    question_summaries_refresh()
    with connection.cursor() as cursor:  # as autovacuum would, soon after
        cursor.execute("VACUUM ANALYZE claims_claim, claims_questionsummary")


def percentiles(samples):
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples) * 1000, p95 * 1000


class QueryCounter(list):
    """An execute wrapper (django.db.connection.execute_wrapper) that keeps every statement."""

    def __call__(self, execute, sql, params, many, context):
        self.append(sql)
        return execute(sql, params, many, context)


def time_pages(client, pages, repeat):
    from django.db import connection

    for name, url in pages:
        for _ in range(3):  # warm caches: the first request pays for imports and template loading
            response = client.get(url)
            if response.status_code != 200:
                sys.exit(f"{url} answered {response.status_code}")
        # Counted by a wrapper on every SQL statement rather than from the query log, which a
        # request that reconnects starts afresh.
        queries = QueryCounter()
        with connection.execute_wrapper(queries):
            client.get(url)
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            client.get(url)
            samples.append(time.perf_counter() - start)
        p50, p95 = percentiles(samples)
        report(f"{name}_p50", p50, "ms")
        report(f"{name}_p95", p95, "ms")
        report(f"{name}_queries", len(queries), "queries")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    from benchmarks import synthetic  # reads no settings: safe before django.setup()

    synthetic.add_size_arguments(parser)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30, help="requests per page")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument(
        "--pages-only",
        action="store_true",
        help="Only time the pages, on the database as it is (the full run does this in a child).",
    )
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("The benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    # Production settings, as a server runs (DEBUG on would log every query and slow pages down);
    # the test client speaks plain HTTP to "testserver".
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-" + "x" * 50)
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
    # Connections kept between requests, as production runs (README, Operations).
    os.environ["DATABASE_CONN_MAX_AGE"] = "60"
    os.environ.setdefault("DJANGO_STATIC_ROOT", tempfile.mkdtemp(prefix="bench-static-"))
    sys.path.insert(0, str(ROOT))
    if args.pages_only:
        from django.core.management import call_command

        # Set up as a gunicorn worker is: project.wsgi loads Django, then freezes what it loaded
        # out of the garbage collector's reach.
        import project.wsgi  # noqa: F401

        call_command("collectstatic", interactive=False, verbosity=0)
        return time_all_pages(args.repeat)
    fresh_database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from benchmarks import synthetic

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # the hashed names pages use
    sizes = {k: getattr(args, k) for k in ("claims", "sources", "actors", "questions")}
    seconds, _ = timed(synthetic.build, **sizes)
    report("build_seconds", seconds, "s")
    report("claims_total", args.claims, "rows")

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "claims.csv"
        rows = args.import_rows
        synthetic.claims_csv(
            path, rows=rows, sources=args.sources, actors=args.actors, questions=args.questions
        )

        def copy_in_one_transaction():
            with transaction.atomic():
                synthetic.copy_import(path)

        copy_seconds, _ = timed(copy_in_one_transaction)
        remove_claims("imported")
        import_seconds, import_peak = run_command("import_data", str(path))
        remove_claims("imported")
        copy_rate, import_rate = rows / copy_seconds, rows / import_seconds
        report("import_rows", rows, "rows")
        report("import_copy_rows_per_s", copy_rate, "rows/s")
        report("import_rows_per_s", import_rate, "rows/s")
        report("import_copy_ratio", import_rate / copy_rate, "ratio")
        report("import_peak_memory", import_peak, "MB")

        out = Path(folder) / "export"
        out.mkdir()
        with open(out / "copy.csv", "wb") as handle:
            copy_export_seconds, _ = timed(synthetic.copy_export, handle)
        export_seconds, export_peak = run_command("export_data", str(out), "--only", "claims")
        report("export_copy_rows_per_s", args.claims / copy_export_seconds, "rows/s")
        report("export_rows_per_s", args.claims / export_seconds, "rows/s")
        report("export_copy_ratio", copy_export_seconds / export_seconds, "ratio")
        report("export_peak_memory", export_peak, "MB")

    # The pages are timed in a new process, as a server's worker serves them: this one holds the
    # synthetic build's and the COPY run's objects, which would slow its garbage collection.
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--pages-only", "--repeat", str(args.repeat)],
        cwd=ROOT,
        env=os.environ,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        sys.exit(f"timing the pages failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    for line in done.stdout.splitlines():
        name, value, unit = line.split()
        report(name, float(value) if "." in value else int(value), unit)

    print("\n| figure | value | unit |\n|---|---:|---|")
    for name, value, unit in FIGURES:
        shown = f"{value:,.2f}" if isinstance(value, float) else f"{value:,}"
        print(f"| {name} | {shown} | {unit} |")


def time_all_pages(repeat):
    """Every public page, then the admin's lists (the claims' unfiltered, filtered by each of the
    filters a curator picks, and searched) and a source's page with its claims, as a superuser:
    `name value unit` lines."""
    from django.contrib.auth import get_user_model
    from django.test import Client, override_settings

    from claims.models import Claim
    from sources.models import Source

    client = Client()
    # A public claim filed under a question: its page compares it with the question's others.
    claim = Claim.objects.public().filed().order_by("pk").values_list("ref", flat=True).first()
    pages = [
        ("page_home", "/"),
        ("page_claim", f"/claims/{claim}/"),
        ("page_question", "/questions/question-7/"),
        ("page_source", "/sources/source-7/"),
        ("page_compare", "/compare/?a=source-7&b=source-8"),
        ("page_metal", "/metals/Nd/"),
        ("page_actor", "/actors/actor-7/"),
        ("page_search", "/search/?q=tungsten"),
    ]
    # The page targets are for the work of a page: timed uncached first, as the first request
    # after a write is served (pages.caching keys every page by the data version), then from
    # the exact cache, as every later request until the next write is (`<name>_cached_*`).
    with override_settings(CACHES=UNCACHED):
        time_pages(client, pages, repeat)
    time_pages(client, [(f"{name}_cached", url) for name, url in pages], repeat)

    user = get_user_model().objects.filter(username="bench").first()
    user = user or get_user_model().objects.create_superuser("bench", "bench@example.org", "x")
    client.force_login(user)
    source = Source.objects.get(slug="source-7")
    time_pages(
        client,
        [
            ("admin_claims", "/admin/claims/claim/"),
            ("admin_claims_by_question", "/admin/claims/claim/?question=question-7"),
            ("admin_claims_by_speaker", "/admin/claims/claim/?speaker=actor-7"),
            ("admin_claims_by_source", "/admin/claims/claim/?source=source-7"),
            ("admin_claims_search", "/admin/claims/claim/?q=tungsten"),
            ("admin_sources", "/admin/sources/source/"),
            ("admin_source_page", f"/admin/sources/source/{source.pk}/change/"),
            ("admin_questions", "/admin/claims/question/"),
        ],
        repeat,
    )


if __name__ == "__main__":
    main()
