"""Imports running at the same time over overlapping files: no duplicates, no half-applied file.

Three `import_data` processes start together: A and C share most of their actors and sources, and B
shares them too but has one bad row at the very end of its last file. Each import is all or
nothing, so afterwards every row of A and C is there exactly once and nothing only B had is.

Real processes on a real database file: on PostgreSQL the test database itself (rows committed by
the processes, hence transaction=True), on SQLite a fresh file in WAL mode, where IMMEDIATE
transactions make the writers queue.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
ACTOR_HEADER = "slug,name,kind,country,parent,aliases,wikidata_id,description\n"
SOURCE_HEADER = "slug,title,kind,publisher,authors,published,url,accessed,language,text\n"
SHARED = 150


def write_set(folder, own, *, bad_last_row=False):
    """actors.csv and sources.csv: SHARED rows every set has, and 50 rows only this one has."""
    folder.mkdir()
    actors = [f"shared-{n},Shared actor {n},organisation,,,,,\n" for n in range(SHARED)]
    actors += [f"{own}-{n},Own actor {n},organisation,,,,,\n" for n in range(50)]
    sources = [
        f"shared-src-{n},Shared source {n},article,shared-{n},,2025,,,en,\n" for n in range(SHARED)
    ]
    sources += [f"{own}-src-{n},Own source {n},report,{own}-{n},,2024,,,en,\n" for n in range(50)]
    if bad_last_row:
        sources.append(f"{own}-src-bad,Bad source,article,no-such-actor,,2025,,,en,\n")
    (folder / "actors.csv").write_text(ACTOR_HEADER + "".join(actors), encoding="utf-8")
    (folder / "sources.csv").write_text(SOURCE_HEADER + "".join(sources), encoding="utf-8")
    return folder


def database_url(tmp_path):
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        user = settings["USER"] or "postgres"
        password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
        host = settings["HOST"] or "127.0.0.1"
        port = settings["PORT"] or 5432
        return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"
    return f"sqlite:///{tmp_path / 'concurrent.sqlite3'}"


def manage(*args, url, **kwargs):
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "1"}
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def finish(process):
    out, err = process.communicate(timeout=300)
    return process.returncode, out, err


@pytest.mark.django_db(transaction=True)
def test_concurrent_overlapping_imports_leave_no_duplicates_and_no_half_applied_file(tmp_path):
    url = database_url(tmp_path)
    if connection.vendor != "postgresql":
        assert finish(manage("migrate", "--noinput", url=url))[0] == 0
    sets = {
        "a": write_set(tmp_path / "a", "a"),
        "b": write_set(tmp_path / "b", "b", bad_last_row=True),
        "c": write_set(tmp_path / "c", "c"),
    }

    running = {name: manage("import_data", str(folder), url=url) for name, folder in sets.items()}
    results = {name: finish(process) for name, process in running.items()}

    assert results["a"][0] == 0, results["a"]
    assert results["c"][0] == 0, results["c"]
    assert results["b"][0] != 0
    assert "no-such-actor" in results["b"][2]

    count = (
        "import json; from sources.models import Actor, Source; "
        "print(json.dumps({"
        "'actors': list(Actor.objects.values_list('slug', flat=True)), "
        "'sources': list(Source.objects.values_list('slug', flat=True))}))"
    )
    code, out, err = finish(manage("shell", "--no-imports", "-c", count, url=url))
    assert code == 0, err
    rows = json.loads(out.strip().splitlines()[-1])
    for kind in ("actors", "sources"):
        assert len(rows[kind]) == len(set(rows[kind])), f"duplicate {kind}"
    expected_actors = {f"shared-{n}" for n in range(SHARED)} | {
        f"{own}-{n}" for own in "ac" for n in range(50)
    }
    assert set(rows["actors"]) == expected_actors  # all of A and C, nothing only B had
    assert not any(slug.startswith("b-") for slug in rows["sources"])
    assert len(rows["sources"]) == SHARED + 100
