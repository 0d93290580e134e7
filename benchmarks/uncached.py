"""The uncached public pages in one process: the CPU time of each, without HTTP or gunicorn.

Not a test. On the SQLite file of benchmarks.datasette (built there, reused here), with the
production settings, each page is requested through Django's test client (the whole middleware
stack) `--repeat` times after a few warm-up requests, the page cache emptied before each request,
so that every one renders as the first request after a write does; prints each page's p50 CPU
time (the process's, SQLite's included: on a shared machine the wall clock also counts the
other processes' turns) as `uncached_<name>_p50 value ms`. `middleware` is a view that answers
"ok" at once, routed as a public page: what the stack costs every request. See
docs/performance.md.

    python -m benchmarks.uncached --file /tmp/claims-100000.db --repeat 60
"""

import argparse
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.datasette import WORD, report, representative, settle


def trivial(request):
    from django.http import HttpResponse

    return HttpResponse("ok")


# Routed as a public page, so that the page cache's middleware handles it as it does the others.
trivial.__module__ = "pages.views.benchmark"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--file", type=Path, default=Path(tempfile.gettempdir()) / "claims-100000.db"
    )
    parser.add_argument("--repeat", type=int, default=60, help="timed requests per page")
    parser.add_argument("--only", nargs="*", help="page names to time (default: all)")
    args = parser.parse_args()
    if not args.file.exists():
        sys.exit(f"{args.file} does not exist: run python -m benchmarks.datasette first")
    static = tempfile.mkdtemp(prefix="bench-static-")
    try:
        run(args, static)
    finally:
        shutil.rmtree(static, ignore_errors=True)


def run(args, static):
    settle(
        {
            "DATABASE_URL": f"sqlite:///{args.file.resolve()}",
            "DJANGO_SETTINGS_MODULE": "project.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DATABASE_CONN_MAX_AGE": "60",
            "DJANGO_STATIC_ROOT": static,
        }
    )
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    from django.core.cache import caches
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import path

    import pages.urls

    (question, _, _), (source, _, _) = representative()
    pages_ = {
        "middleware": "/benchmark-trivial/",
        "question": f"/questions/{question}/",
        "source": f"/sources/{source}/",
        "search": f"/search/?q={WORD}",
        "question_csv": f"/questions/{question}/?format=csv",
        "question_json": f"/questions/{question}/?format=json",
        "source_csv": f"/sources/{source}/?format=csv",
        "source_json": f"/sources/{source}/?format=json",
    }
    urlconf = type(
        "BenchmarkUrls",
        (),
        {"urlpatterns": [path("benchmark-trivial/", trivial), *pages.urls.urlpatterns]},
    )
    sys.modules["benchmarks.uncached_urls"] = urlconf
    client = Client()
    cache = caches["default"]
    with override_settings(ROOT_URLCONF="benchmarks.uncached_urls"):
        for name, address in pages_.items():
            if args.only and name not in args.only:
                continue
            for _ in range(5):
                cache.clear()
                client.get(address)
            times = []
            for _ in range(args.repeat):
                cache.clear()
                start = time.process_time()
                response = client.get(address)
                if response.streaming:
                    b"".join(response.streaming_content)
                times.append(time.process_time() - start)
                if response.status_code != 200:
                    sys.exit(f"{address} answered {response.status_code}")
            report(f"uncached_{name}_p50", statistics.median(times) * 1000, "ms")


if __name__ == "__main__":
    main()
