"""The demo CSV files in demo/: well-formed, consistent with each other, quoting the seeds verbatim.

Plain file checks (no database, no Django), so a broken demo file is caught before any import.
"""

import csv
import re
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "demo"
SEEDS = ROOT / "tests" / "data" / "seeds"

SEED_FILES = {
    "eurasian-times-2025-09-palve": SEEDS / "000_cea13bdad4bd21ca.txt",
    "edm-2026-02-russia-struggling-prc-rare-earth": SEEDS / "002_d681eb95c42355e6.txt",
}

HEADERS = {
    "actors.csv": "slug,name,kind,country,parent,aliases,wikidata_id,description",
    "sources.csv": "slug,title,kind,publisher,authors,published,url,accessed,language,text",
    "questions.csv": "slug,title,kind,unit,subjects,metals,tolerance,description",
    "claims.csv": (
        "ref,source,quote,paraphrase,question,speaker,cited_source,unattributed,about,metals,"
        "qualifier,value,value_high,unit,as_of,answer,status,note"
    ),
}

RARE_EARTHS = [
    "Sc",
    "Y",
    "La",
    "Ce",
    "Pr",
    "Nd",
    "Pm",
    "Sm",
    "Eu",
    "Gd",
    "Tb",
    "Dy",
    "Ho",
    "Er",
    "Tm",
    "Yb",
    "Lu",
]
METALS = {
    *RARE_EARTHS,
    *["Li", "W", "Ti", "Zr", "Mo", "Nb", "Ta", "Be", "Hf", "In", "Ga", "Re"],
    "REE",
    "LREE",
    "HREE",
}

ACTOR_KINDS = {
    "person",
    "government",
    "agency",
    "company",
    "organisation",
    "research",
    "media",
    "country",
    "bloc",
}
SOURCE_KINDS = {"article", "analysis", "report", "dataset", "statement", "interview", "other"}
QUESTION_KINDS = {"quantity", "rank", "boolean"}
UNITS = {"t", "kt", "Mt", "%", "rank", "x", "count"}
TONNAGE = {"t", "kt", "Mt"}
QUALIFIERS = {
    "exact",
    "about",
    "nearly",
    "more_than",
    "at_least",
    "less_than",
    "at_most",
    "between",
}
STATUSES = {"draft", "checked", "disputed", "retracted"}
ANSWERS = {"yes", "no"}

REQUIRED_QUESTIONS = [
    "russia-ree-reserves",
    "russia-ree-reserves-world-rank",
    "russia-ree-import-share",
    "china-share-ree-mining",
    "china-share-ree-processing",
    "china-share-ree-magnets",
    "china-shares-extraction-technology-with-russia",
]

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PARTIAL_DATE = re.compile(r"^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
WIKIDATA = re.compile(r"^Q[1-9]\d*$")


@cache
def rows(name):
    with (DEMO / name).open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


def by_key(name, key):
    return {row[key]: row for row in rows(name)}


def split(cell):
    return [part for part in cell.split("|") if part] if cell else []


def decimal(cell):
    try:
        number = Decimal(cell)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def seed_text(slug):
    return SEED_FILES[slug].read_text(encoding="utf-8")


def actor_root(slug):
    actors = by_key("actors.csv", "slug")
    while actors[slug]["parent"]:
        slug = actors[slug]["parent"]
    return slug


# --------------------------------------------------------------------------- shape


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_header_and_no_short_rows(name):
    with (DEMO / name).open(encoding="utf-8", newline="") as fh:
        records = list(csv.reader(fh))
    assert ",".join(records[0]) == HEADERS[name]
    width = len(records[0])
    bad = [i for i, record in enumerate(records[1:], start=2) if len(record) != width]
    assert not bad, f"{name}: rows with the wrong number of cells: {bad}"


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("actors.csv", "slug"),
        ("sources.csv", "slug"),
        ("questions.csv", "slug"),
        ("claims.csv", "ref"),
    ],
)
def test_keys_unique_and_slug_like(name, key):
    keys = [row[key] for row in rows(name)]
    assert len(keys) == len(set(keys)), f"{name}: duplicate {key}s"
    bad = [k for k in keys if not SLUG.match(k)]
    assert not bad, f"{name}: {key}s that are not slug-like: {bad}"


def test_no_stray_whitespace():
    for name in HEADERS:
        for row in rows(name):
            for column, cell in row.items():
                if column in ("text", "quote"):
                    continue
                assert cell == cell.strip(), f"{name} {column}: {cell!r}"


# --------------------------------------------------------------------------- seeds and quotes


def test_seed_sources_hold_the_full_seed_text():
    sources = by_key("sources.csv", "slug")
    for slug in SEED_FILES:
        assert slug in sources, f"seed source {slug} missing from sources.csv"
        assert sources[slug]["text"] == seed_text(slug), f"{slug}: text differs from the seed"


def test_every_claim_comes_from_a_seed_source():
    bad = [c["ref"] for c in rows("claims.csv") if c["source"] not in SEED_FILES]
    assert not bad


def test_quotes_are_verbatim_in_seed_file_and_text_column():
    sources = by_key("sources.csv", "slug")
    texts = {slug: seed_text(slug) for slug in SEED_FILES}
    missing = []
    for claim in rows("claims.csv"):
        quote = claim["quote"]
        assert quote.strip(), f"{claim['ref']}: empty quote"
        if quote not in texts[claim["source"]] or quote not in sources[claim["source"]]["text"]:
            missing.append(claim["ref"])
    assert not missing, f"quotes not found verbatim in their seed: {missing}"


# --------------------------------------------------------------------------- references


def test_foreign_keys_exist():
    actors = by_key("actors.csv", "slug")
    sources = by_key("sources.csv", "slug")
    questions = by_key("questions.csv", "slug")
    problems = []

    def check(file, key, column, values, table):
        for value in values:
            if value not in table:
                problems.append(f"{file} {key} {column}: unknown {value!r}")

    for a in rows("actors.csv"):
        check("actors", a["slug"], "parent", split(a["parent"]), actors)
    for s in rows("sources.csv"):
        check("sources", s["slug"], "publisher", split(s["publisher"]), actors)
    for q in rows("questions.csv"):
        check("questions", q["slug"], "subjects", split(q["subjects"]), actors)
    for c in rows("claims.csv"):
        ref = c["ref"]
        check("claims", ref, "source", [c["source"]], sources)
        check("claims", ref, "question", split(c["question"]), questions)
        check("claims", ref, "speaker", split(c["speaker"]), actors)
        check("claims", ref, "cited_source", split(c["cited_source"]), sources)
        check("claims", ref, "about", split(c["about"]), actors)
    assert not problems, "\n".join(problems)


def test_single_valued_references_hold_one_slug():
    for a in rows("actors.csv"):
        assert len(split(a["parent"])) <= 1
    for s in rows("sources.csv"):
        assert len(split(s["publisher"])) <= 1
    for c in rows("claims.csv"):
        for column in ("question", "speaker", "cited_source"):
            assert len(split(c[column])) <= 1, f"{c['ref']} {column}"


def test_parents_come_before_children():
    seen = set()
    for actor in rows("actors.csv"):
        if actor["parent"]:
            assert actor["parent"] in seen, f"{actor['slug']} comes before its parent"
        seen.add(actor["slug"])


def test_metals_are_known_symbols():
    bad = [
        (q["slug"], m) for q in rows("questions.csv") for m in split(q["metals"]) if m not in METALS
    ]
    bad += [
        (c["ref"], m) for c in rows("claims.csv") for m in split(c["metals"]) if m not in METALS
    ]
    assert not bad


# --------------------------------------------------------------------------- allowed values


def test_actor_values():
    for a in rows("actors.csv"):
        assert a["name"], a["slug"]
        assert a["kind"] in ACTOR_KINDS, a["slug"]
        assert not a["country"] or COUNTRY.match(a["country"]), a["slug"]
        assert not a["wikidata_id"] or WIKIDATA.match(a["wikidata_id"]), a["slug"]
        assert a["parent"] != a["slug"]


def test_source_values():
    for s in rows("sources.csv"):
        assert s["title"], s["slug"]
        assert s["kind"] in SOURCE_KINDS, s["slug"]
        assert not s["published"] or PARTIAL_DATE.match(s["published"]), s["slug"]
        assert not s["accessed"] or re.match(r"^\d{4}-\d{2}-\d{2}$", s["accessed"]), s["slug"]
    urls = [s["url"] for s in rows("sources.csv") if s["url"]]
    assert len(urls) == len(set(urls)), "URLs must be unique when present"


def test_question_values():
    for q in rows("questions.csv"):
        assert q["title"], q["slug"]
        assert q["kind"] in QUESTION_KINDS, q["slug"]
        if q["kind"] == "boolean":
            assert q["unit"] == "", f"{q['slug']}: a yes/no question has no unit"
        else:
            assert q["unit"] in UNITS, q["slug"]
        if q["kind"] == "rank":
            assert q["unit"] == "rank", q["slug"]
        if q["tolerance"]:
            tolerance = decimal(q["tolerance"])
            assert tolerance is not None and tolerance >= 0, q["slug"]


def test_claim_values():
    for c in rows("claims.csv"):
        ref = c["ref"]
        assert c["qualifier"] in QUALIFIERS | {""}, ref
        assert c["unit"] in UNITS | {""}, ref
        assert c["status"] in STATUSES, ref
        assert c["answer"] in ANSWERS | {""}, ref
        assert not c["as_of"] or PARTIAL_DATE.match(c["as_of"]), ref
        for column in ("value", "value_high"):
            if c[column]:
                assert decimal(c[column]) is not None, f"{ref} {column}: {c[column]!r}"
                assert "," not in c[column], f"{ref} {column}: no thousands separators"
        if c["qualifier"]:
            assert c["value"], f"{ref}: a qualifier needs a value"
        if c["qualifier"] == "between":
            assert c["value_high"], f"{ref}: between needs value_high"
            assert decimal(c["value_high"]) >= decimal(c["value"]), ref
        else:
            assert not c["value_high"], f"{ref}: value_high only for between"
        assert not (c["answer"] and c["value"]), f"{ref}: an answer or a value, not both"


def test_claims_with_a_value_have_a_unit_or_a_rank_question():
    questions = by_key("questions.csv", "slug")
    bad = [
        c["ref"]
        for c in rows("claims.csv")
        if c["value"]
        and not c["unit"]
        and not (c["question"] and questions[c["question"]]["kind"] == "rank")
    ]
    assert not bad


def test_filed_claims_fit_their_question():
    questions = by_key("questions.csv", "slug")
    for c in rows("claims.csv"):
        if not c["question"]:
            continue
        question = questions[c["question"]]
        ref = c["ref"]
        if question["kind"] == "boolean":
            assert c["answer"], f"{ref}: a yes/no question needs an answer"
        else:
            assert c["value"], f"{ref}: a {question['kind']} question needs a value"
            assert c["qualifier"], f"{ref}: state the qualifier (exact, about …)"
            unit = c["unit"]
            same = unit == question["unit"] or {unit, question["unit"]} <= TONNAGE
            assert same, f"{ref}: unit {unit!r} does not convert to {question['unit']!r}"


# --------------------------------------------------------------------------- coverage


def test_more_than_fifty_claims():
    assert len(rows("claims.csv")) > 50


def test_both_seeds_have_claims():
    counts = dict.fromkeys(SEED_FILES, 0)
    for c in rows("claims.csv"):
        counts[c["source"]] += 1
    assert all(n >= 20 for n in counts.values()), counts


@pytest.mark.parametrize("slug", REQUIRED_QUESTIONS)
def test_required_question_has_claims_from_both_seeds(slug):
    assert slug in by_key("questions.csv", "slug")
    sources = {c["source"] for c in rows("claims.csv") if c["question"] == slug}
    assert sources == set(SEED_FILES), f"{slug}: claims only from {sorted(sources)}"


# --------------------------------------------------------------------------- DESIGN.md's table


def the_claim(slug, seed_prefix):
    found = [
        c for c in rows("claims.csv") if c["question"] == slug and c["ref"].startswith(seed_prefix)
    ]
    assert len(found) >= 1, f"{slug}: no {seed_prefix} claim"
    return found[0]


@pytest.mark.parametrize(
    ("slug", "eat", "edm"),
    [
        ("russia-ree-reserves", ("about", "28.5", "Mt"), ("exact", "28.5", "Mt")),
        ("russia-ree-reserves-world-rank", ("exact", "5", "rank"), ("exact", "2", "rank")),
        ("russia-ree-import-share", ("more_than", "98", "%"), ("exact", "90", "%")),
        ("china-share-ree-mining", ("about", "70", "%"), ("exact", "59", "%")),
        ("china-share-ree-processing", ("nearly", "90", "%"), ("exact", "91", "%")),
        ("china-share-ree-magnets", ("exact", "93", "%"), ("exact", "94", "%")),
    ],
)
def test_worked_examples_figures(slug, eat, edm):
    for prefix, expected in (("eat-", eat), ("edm-", edm)):
        claim = the_claim(slug, prefix)
        got = (claim["qualifier"], claim["value"], claim["unit"])
        assert got[0] == expected[0] and got[2] == expected[2], (slug, prefix, got)
        assert decimal(got[1]) == Decimal(expected[1]), (slug, prefix, got)


def test_worked_example_reserves_rest_on_one_origin():
    eat = the_claim("russia-ree-reserves", "eat-")
    edm = the_claim("russia-ree-reserves", "edm-")
    assert eat["speaker"] == "ministry-of-natural-resources-russia"
    assert edm["speaker"] == "government-of-russia"
    assert edm["cited_source"] == "the-moscow-times-2025-11-04"
    assert actor_root(eat["speaker"]) == actor_root(edm["speaker"]) == "government-of-russia"


def test_what_some_reports_claim_is_unattributed():
    unattributed = {c["ref"] for c in rows("claims.csv") if c["unattributed"]}
    some_reports = {c["ref"] for c in rows("claims.csv") if "some reports" in c["quote"].lower()}
    assert (
        unattributed
        == some_reports
        == {
            "edm-brazil-ree-reserves",
            "edm-brazil-ree-reserves-rank",
        }
    )


def test_worked_example_iea_figures_cite_the_iea():
    for slug in ("china-share-ree-mining", "china-share-ree-processing", "china-share-ree-magnets"):
        edm = the_claim(slug, "edm-")
        assert (edm["speaker"], edm["cited_source"]) == ("iea", "iea-2025-10-23"), slug


def test_worked_example_import_share_cites_nezavisimaia_gazeta():
    assert the_claim("russia-ree-import-share", "edm-")["cited_source"] == (
        "nezavisimaia-gazeta-2024-07-29"
    )


def test_worked_example_extraction_technology_answers_agree():
    answers = {
        c["answer"]
        for c in rows("claims.csv")
        if c["question"] == "china-shares-extraction-technology-with-russia"
    }
    assert answers == {"no"}
    for prefix in ("eat-", "edm-"):
        speakers = {
            c["speaker"]
            for c in rows("claims.csv")
            if c["question"] == "china-shares-extraction-technology-with-russia"
            and c["ref"].startswith(prefix)
        }
        assert "denis-manturov" in speakers, prefix


def test_trap_3000_tons_is_two_questions():
    threes = [
        c
        for c in rows("claims.csv")
        if c["unit"] == "t" and c["value"] and decimal(c["value"]) == 3000
    ]
    questions = {c["question"] for c in threes}
    assert questions == {"russia-ree-consumption", "russia-ree-production-target-2030"}
    target = next(c for c in threes if c["question"] == "russia-ree-production-target-2030")
    assert target["as_of"] == "2030"


def test_tripling_is_a_multiple():
    tripling = [c for c in rows("claims.csv") if "tripl" in c["quote"] or "triple" in c["quote"]]
    assert tripling
    assert all((c["unit"], decimal(c["value"])) == ("x", 3) for c in tripling)


def test_brazil_rank_is_not_filed_under_russia():
    brazil = [c for c in rows("claims.csv") if "Brazil" in c["quote"] and c["question"]]
    assert brazil
    assert all(c["question"].startswith("brazil-") for c in brazil)
