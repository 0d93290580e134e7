"""`python manage.py extract_claims PATH_OR_SOURCE_SLUG [--format json|table]`: prints the candidate
claims of a text file or of a source's stored text, matched against the database; changes nothing.
"""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.comparison import QUALIFIERS, UNITS
from claims.evaluation import HELD_OUT
from claims.extraction import extract
from claims.known import known_from_database
from tests.conftest import make_actor, make_question, make_source

FIELDS = [
    "quote", "start", "end", "qualifier", "value", "value_high", "unit", "as_of", "cited",
    "speaker", "questions",
]  # fmt: skip
SEED = "eurasian-times-2025-09-palve"


def run(*args):
    out = io.StringIO()
    call_command("extract_claims", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_candidates_of_a_source_as_json(demo):
    records = json.loads(run(SEED))
    assert len(records) >= 28
    assert all(list(record) == FIELDS for record in records)
    first = records[0]
    assert first["quote"].startswith("Russia has the fifth-largest reserves")
    assert (first["qualifier"], first["value"], first["value_high"], first["unit"]) == (
        "exact",
        5,
        None,
        "rank",
    )
    assert first["questions"][0]["question"] == "russia-ree-reserves-world-rank"
    reserves = next(r for r in records if r["value"] == 28.5)
    assert (reserves["qualifier"], reserves["unit"]) == ("about", "Mt")
    assert reserves["speaker"] == "ministry-of-natural-resources-russia"
    vedomosti = next(r for r in records if r["value"] == 48)
    # "according to Vedomosti", in a document of September 2025: the Vedomosti source of 2025.
    assert vedomosti["cited"] == {"text": "Vedomosti", "source": "vedomosti-2025"}


def test_every_field_is_of_its_documented_kind(demo):
    # A held-out document (demo/heldout/) has every kind of figure: masses, shares, ranks,
    # multiples, ranges, sums in roubles, a speaker.
    path = HELD_OUT / "russia-rare-earths.txt"
    text = path.read_text(encoding="utf-8")
    records = json.loads(run(str(path)))
    assert {r["unit"] for r in records} >= {"Mt", "t", "kt", "%", "rank", "x", "RUB"}
    for record in records:
        assert list(record) == FIELDS
        assert text[record["start"] : record["end"]] == record["quote"]
        assert record["qualifier"] in QUALIFIERS and record["unit"] in UNITS
        assert type(record["value"]) in (int, float)
        if record["qualifier"] == "between":
            assert type(record["value_high"]) in (int, float)
            assert record["value_high"] > record["value"]
        else:
            assert record["value_high"] is None
        assert record["as_of"] == "" or record["as_of"][:4].isdigit()
        assert record["cited"] is None or (
            list(record["cited"]) == ["text", "source"] and record["cited"]["text"] in text
        )
        assert record["speaker"] is None or isinstance(record["speaker"], str)
        assert len(record["questions"]) <= 3
        for suggestion in record["questions"]:
            assert list(suggestion) == ["question", "score"] and 0 < suggestion["score"] <= 1
        scores = [s["score"] for s in record["questions"]]
        assert scores == sorted(scores, reverse=True)
    sums = [r for r in records if r["unit"] == "RUB"]
    assert [(r["qualifier"], r["value"]) for r in sums] == [
        ("exact", 10_000_000_000),
        ("more_than", 100_000_000_000),
    ]
    assert any(r["speaker"] == "denis-manturov" for r in records)


def test_the_table_states_a_sum_as_the_press_does(demo):
    lines = run(str(HELD_OUT / "russia-rare-earths.txt"), "--format", "table").splitlines()
    figures = [line.split("\t")[1] for line in lines[:-1]]
    assert "RUB 10 billion" in figures and "more than RUB 100 billion" in figures


def test_the_json_quotes_are_offsets_into_the_stored_text(demo):
    from sources.models import Source

    text = Source.objects.get(slug=SEED).text
    for record in json.loads(run(SEED)):
        assert text[record["start"] : record["end"]] == record["quote"]


def test_it_reads_a_text_file_and_prints_a_table(demo, tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(
        "The PRC maintains 59 percent of global REE mining "
        "(International Energy Agency, October 23, 2025).",
        encoding="utf-8",
    )
    lines = run(str(path), "--format", "table").splitlines()
    assert lines[-1] == "1 candidates."
    columns = lines[0].split("\t")
    assert columns[1:6] == [
        "59%",  # as the pages state it (comparison.stated_figure)
        "-",
        "iea",
        "iea-2025-10-23",
        columns[5],
    ]
    assert columns[5].startswith("china-share-ree-mining (")
    assert columns[6].startswith("[0:")


def test_the_database_is_read_in_a_fixed_number_of_queries_and_nothing_is_written(demo):
    # 1. the source, 2. actors, 3. sources, 4. questions, 5. their subjects, 6. their metals,
    # 7. metals, 8. their members
    with CaptureQueriesContext(connection) as queries:
        run(SEED)
    assert len(queries) == 8
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in queries.captured_queries)


def test_the_command_matches_what_the_extraction_finds_with_plain_values(demo):
    from sources.models import Source

    source = Source.objects.get(slug=SEED)
    expected = [
        c.as_dict() for c in extract(source.text, known_from_database(), published=source.published)
    ]
    assert json.loads(run(SEED)) == expected


@pytest.mark.django_db
def test_the_database_becomes_plain_values():
    government = make_actor(slug="gov", name="Government of Russia", aliases="Moscow\nKremlin")
    make_actor(slug="ministry", name="Ministry of Industry", parent=government, country="RU")
    make_source(slug="report", title="A report", publisher=government, published="2025-10")
    question = make_question(slug="share", title="A share", unit="%")
    question.subjects.add(government)
    known = known_from_database()
    actors = {a.slug: a for a in known.actors}
    assert actors["gov"].aliases == ("Moscow", "Kremlin")
    assert actors["ministry"].parent == "gov" and actors["ministry"].country == "RU"
    report = next(s for s in known.sources if s.slug == "report")
    assert (report.publisher, report.published) == ("gov", "2025-10")
    share = next(q for q in known.questions if q.slug == "share")
    assert (share.unit, share.subjects) == ("%", ("gov",))
    ree = next(m for m in known.metals if m.symbol == "REE")
    assert "Nd" in ree.members


@pytest.mark.django_db
def test_it_refuses_what_it_cannot_read(tmp_path):
    make_source(slug="empty", text="")
    binary = tmp_path / "scan.pdf"
    binary.write_bytes(b"%PDF-1.7\n\xff\xfe\x00\x81")
    cases = {
        "no-such-thing": "neither a file nor the slug of a source",
        "empty": "has no stored text",
        str(binary): "is not a UTF-8 text file",
    }
    for argument, message in cases.items():
        with pytest.raises(CommandError, match=message):
            run(argument)


@pytest.mark.django_db
def test_an_unknown_format_is_refused():
    with pytest.raises(CommandError, match="invalid choice"):
        run("x", "--format", "xml")
