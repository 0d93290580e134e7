"""Build a synthetic database of a chosen size (setup, not measured): PostgreSQL's COPY, or on
SQLite one prepared INSERT per table.

Shape: actors with a parent one time in four; sources with a publisher; questions on a percent
scale (bounded 0-100, a drift of 0.5 points a year); 30 % of the claims filed under a question
(the rest await a curator, as in the demo data), each claim with a speaker, one actor it is about
and one metal.

The table and column lists here (COPY, the staging table, COPY_EXPORT_SQL, the claims.csv header)
repeat the models' and the interchange format's on purpose: plain SQL, because a yardstick must
not run what it measures (the interchange engine and resources), and because building a million
rows through the models would take longer than the benchmark. A column added to a model without
a database default makes COPY fail here, which is the sign to update these lists.
"""

import csv
import random
from datetime import datetime

from django.db import connection
from django.utils import timezone

from claims import comparison

STATUSES = ["checked"] * 7 + ["disputed", "draft", "retracted"]
# All but "at_most", as the databases the timings in docs/performance.md were taken on: the same
# seed still draws the same claims.
QUALIFIERS = [code for code in comparison.QUALIFIERS if code != "at_most"]
# fmt: off
WORDS = [
    "rare", "earth", "reserves", "production", "processing", "refining", "magnets", "imports",
    "exports", "tungsten", "lithium", "niobium", "tantalum", "china", "russia", "ministry",
    "estimate", "percent", "tonnes", "target",
]
# fmt: on


def _copy(table, columns, rows):
    # Straight into the table, past the models and the interchange engine: see the module's
    # docstring. SQLite (the Datasette comparison's file, benchmarks/datasette.py) has no COPY:
    # one prepared INSERT run over the rows is its fastest load.
    if connection.vendor == "sqlite":
        return _insert_sqlite(table, columns, rows)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _insert_sqlite(table, columns, rows):
    placeholders = ", ".join("?" * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"
    # Times as Django's SQLite backend stores them (naive UTC text), so the ORM reads them back.
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        raw = cursor.cursor
        raw.executemany(
            sql, ([adapt(v) if isinstance(v, datetime) else v for v in row] for row in rows)
        )


def _ids(table, key):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {key}, id FROM {table}")
        return dict(cursor.fetchall())


def sentence(rng, n=12):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def add_size_arguments(parser):
    """The synthetic database's size options, shared by every benchmark that builds one."""
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--sources", type=int, default=10_000)
    parser.add_argument("--actors", type=int, default=2_000)
    parser.add_argument("--questions", type=int, default=1_000)


def build(*, claims, sources, actors, questions, seed=1):
    rng = random.Random(seed)
    now = timezone.now()
    _copy(
        "sources_actor",
        [
            "name",
            "slug",
            "kind",
            "country",
            "aliases",
            "wikidata_id",
            "description",
            "version",
            "created",
            "updated",
        ],
        (
            (f"Actor {i}", f"actor-{i}", "organisation", "RU", f"Alias {i}", "", "", 1, now, now)
            for i in range(actors)
        ),
    )
    actor_ids = list(_ids("sources_actor", "slug").values())
    with connection.cursor() as cursor:
        # One actor in four belongs to another (a ministry to its government).
        cursor.execute(
            "UPDATE sources_actor SET parent_id = id - 1 WHERE id %% 4 = 0 AND id > %s",
            [min(actor_ids)],
        )
    _copy(
        "sources_source",
        [
            "title",
            "slug",
            "kind",
            "publisher_id",
            "authors",
            "published",
            "url",
            "language",
            "text",
            "notes",
            "version",
            "created",
            "updated",
        ],
        (
            (
                f"Source {i}: {sentence(rng, 6)}",
                f"source-{i}",
                "article",
                rng.choice(actor_ids),
                "",
                f"{2000 + i % 26}-{1 + i % 12:02d}",
                f"https://example.org/source/{i}",
                "en",
                "",
                "",
                1,
                now,
                now,
            )
            for i in range(sources)
        ),
    )
    source_ids = list(_ids("sources_source", "slug").values())
    _copy(
        "claims_question",
        [
            "slug",
            "title",
            "kind",
            "unit",
            "tolerance",
            "lower_bound",
            "upper_bound",
            "drift",
            "description",
            "version",
            "created",
            "updated",
        ],
        (
            # Shares of a whole, as the demo's: bounded 0-100 and compared across years.
            (f"question-{i}", f"Question {i}", "quantity", "%", 2, 0, 100, 0.5, "", 1, now, now)
            for i in range(questions)
        ),
    )
    question_ids = list(_ids("claims_question", "slug").values())
    metal_ids = list(_ids("claims_metal", "symbol").values())

    def claim_rows():
        for i in range(claims):
            qualifier = rng.choice(QUALIFIERS)
            value = rng.randint(1, 95)
            # Drawn in the order the rows always drew them, so the same seed gives the same claims.
            source_id = rng.choice(source_ids)
            quote = sentence(rng)
            question_id = rng.choice(question_ids) if rng.random() < 0.3 else None
            speaker_id = rng.choice(actor_ids)
            cited_source_id = rng.choice(source_ids) if rng.random() < 0.3 else None
            status = rng.choice(STATUSES)
            yield (
                f"claim-{i}",
                source_id,
                quote,
                "",
                question_id,
                speaker_id,
                cited_source_id,
                qualifier,
                value,
                value + 3 if qualifier == "between" else None,
                "%",
                "",
                "",
                status,
                "",
                False,
                # The sources have no stored text: no quote can be looked for (core.text.quote_in).
                None,
                None,
                None,
                now if status == "checked" else None,
                1,
                now,
                now,
            )

    _copy(
        "claims_claim",
        [
            "ref",
            "source_id",
            "quote",
            "paraphrase",
            "question_id",
            "speaker_id",
            "cited_source_id",
            "qualifier",
            "value",
            "value_high",
            "unit",
            "as_of",
            "answer",
            "status",
            "note",
            "unattributed",
            "quote_found",
            "created_by_id",
            "checked_by_id",
            "checked_at",
            "version",
            "created",
            "updated",
        ],
        claim_rows(),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO claims_claim_about (claim_id, actor_id) "
            "SELECT id, speaker_id FROM claims_claim"
        )
        cursor.execute(
            "INSERT INTO claims_claim_metals (claim_id, metal_id) "
            "SELECT c.id, m.id FROM claims_claim c "
            "JOIN claims_metal m ON m.id = (SELECT min(id) FROM claims_metal) + c.id %% %s",
            [len(metal_ids)],
        )
        cursor.execute("ANALYZE")


def claims_csv(path, *, rows, sources, actors, questions, prefix="imported", seed=2):
    """A claims.csv in the interchange format, referring to the synthetic records by natural key.

    The header is written out, not read from ClaimResource, so the file the benchmark imports is
    the documented format (docs/csv-format.md), whatever the resource does.
    """
    rng = random.Random(seed)
    symbols = ["Nd", "Dy", "Tb", "La", "Ce", "W", "Li", "REE"]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "ref",
                "source",
                "quote",
                "paraphrase",
                "question",
                "speaker",
                "cited_source",
                "about",
                "metals",
                "qualifier",
                "value",
                "value_high",
                "unit",
                "as_of",
                "answer",
                "status",
                "note",
            ]
        )
        for i in range(rows):
            qualifier = rng.choice(QUALIFIERS)
            value = rng.randint(1, 95)
            writer.writerow(
                [
                    f"{prefix}-{i}",
                    f"source-{rng.randrange(sources)}",
                    sentence(rng),
                    "",
                    f"question-{rng.randrange(questions)}" if rng.random() < 0.3 else "",
                    f"actor-{rng.randrange(actors)}",
                    f"source-{rng.randrange(sources)}" if rng.random() < 0.3 else "",
                    f"actor-{rng.randrange(actors)}",
                    rng.choice(symbols),
                    qualifier,
                    value,
                    value + 3 if qualifier == "between" else "",
                    "%",
                    "",
                    "",
                    "checked",
                    "",
                ]
            )


def copy_import(path):
    """The yardstick: COPY into a staging table, then one INSERT … SELECT resolving natural keys.

    Plain SQL on purpose (see the module's docstring): the fastest a database can load the file,
    for import_data's time to be read against.
    """
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE staging (ref text, source text, quote text, paraphrase text, "
            "question text, speaker text, cited_source text, about text, metals text, "
            "qualifier text, value text, value_high text, unit text, as_of text, answer text, "
            "status text, note text) ON COMMIT DROP"
        )
        with cursor.cursor.copy("COPY staging FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
            copy.write(text)
        cursor.execute(
            """
            INSERT INTO claims_claim (ref, source_id, quote, paraphrase, question_id, speaker_id,
                cited_source_id, qualifier, value, value_high, unit, as_of, answer, status, note,
                unattributed, version, created, updated)
            SELECT s.ref, src.id, s.quote, COALESCE(s.paraphrase, ''), q.id, sp.id, cs.id,
                COALESCE(s.qualifier, ''), NULLIF(s.value, '')::numeric,
                NULLIF(s.value_high, '')::numeric, COALESCE(s.unit, ''),
                COALESCE(s.as_of, ''), COALESCE(s.answer, ''), s.status, COALESCE(s.note, ''),
                false, 1, now(), now()
            FROM staging s
            JOIN sources_source src ON src.slug = s.source
            LEFT JOIN claims_question q ON q.slug = s.question
            LEFT JOIN sources_actor sp ON sp.slug = s.speaker
            LEFT JOIN sources_source cs ON cs.slug = s.cited_source
            """
        )
        cursor.execute(
            "INSERT INTO claims_claim_about (claim_id, actor_id) "
            "SELECT c.id, a.id FROM staging s JOIN claims_claim c ON c.ref = s.ref "
            "CROSS JOIN LATERAL unnest(string_to_array(s.about, '|')) AS x(slug) "
            "JOIN sources_actor a ON a.slug = x.slug"
        )
        cursor.execute(
            "INSERT INTO claims_claim_metals (claim_id, metal_id) "
            "SELECT c.id, m.id FROM staging s JOIN claims_claim c ON c.ref = s.ref "
            "CROSS JOIN LATERAL unnest(string_to_array(s.metals, '|')) AS x(symbol) "
            "JOIN claims_metal m ON m.symbol = x.symbol"
        )


# The export's yardstick: the claims.csv columns straight from the tables (see the module's
# docstring), for export_data's time to be read against.
COPY_EXPORT_SQL = """
COPY (
    SELECT c.ref, src.slug, c.quote, c.paraphrase, q.slug, sp.slug, cs.slug,
        CASE WHEN c.unattributed THEN 'yes' ELSE '' END,
        (SELECT string_agg(a.slug, '|' ORDER BY a.slug) FROM claims_claim_about ca
            JOIN sources_actor a ON a.id = ca.actor_id WHERE ca.claim_id = c.id),
        (SELECT string_agg(m.symbol, '|' ORDER BY m.symbol) FROM claims_claim_metals cm
            JOIN claims_metal m ON m.id = cm.metal_id WHERE cm.claim_id = c.id),
        c.qualifier, c.value, c.value_high, c.unit, c.as_of, c.answer, c.status, c.note
    FROM claims_claim c
    JOIN sources_source src ON src.id = c.source_id
    LEFT JOIN claims_question q ON q.id = c.question_id
    LEFT JOIN sources_actor sp ON sp.id = c.speaker_id
    LEFT JOIN sources_source cs ON cs.id = c.cited_source_id
    ORDER BY c.ref
) TO STDOUT WITH (FORMAT csv, HEADER true)
"""


def copy_export(handle):
    with connection.cursor() as cursor, cursor.cursor.copy(COPY_EXPORT_SQL) as copy:
        for block in copy:
            handle.write(bytes(block))
