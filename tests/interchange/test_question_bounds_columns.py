"""questions.csv's `lower_bound`, `upper_bound` and `drift`, and claims refused outside the bounds.

The columns are optional: a file without them imports as before and leaves a question's bounds
and drift as they are. A claim whose figure lies outside its question's bounds, or leaves nothing
within them, is refused by the import as by the admin's form.
"""

import csv
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim, Question
from claims.resources import ClaimResource
from interchange.engine import run as engine_run
from interchange.services import data_export, data_import
from sources.models import Source
from tests.conftest import make_claim, make_question, make_source
from tests.import_helpers import row_counts

pytestmark = pytest.mark.django_db

QUESTIONS = ["slug", "title", "kind", "unit", "tolerance", "lower_bound", "upper_bound", "drift"]
CLAIMS = ["ref", "source", "quote", "question", "qualifier", "value", "value_high", "unit"]


def write(folder, name, header, rows):
    path = folder / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def bounds(slug):
    question = Question.objects.get(slug=slug)
    return question.lower_bound, question.upper_bound, question.drift


def test_bounds_and_drift_import_and_empty_cells_mean_none_and_zero(tmp_path):
    path = write(
        tmp_path,
        "questions.csv",
        QUESTIONS,
        [
            ["share", "A share", "quantity", "%", "2", "0", "100", "1.5"],
            ["rank", "A rank", "rank", "rank", "0", "", "", ""],
            ["mass", "A mass", "quantity", "t", "", "0", "", "250"],
        ],
    )

    report = data_import(paths=[path])

    assert report.ok, report.errors
    assert bounds("share") == (0, 100, Decimal("1.5"))
    assert bounds("rank") == (None, None, 0)
    assert bounds("mass") == (0, None, 250)


def test_a_file_without_the_columns_leaves_bounds_and_drift_alone(tmp_path):
    make_question(slug="share", lower_bound=0, upper_bound=100, drift=3)
    path = write(tmp_path, "questions.csv", ["slug", "title"], [["share", "A new title"]])

    report = data_import(paths=[path])

    assert report.ok, report.errors
    assert report.files[0].updated == 1
    assert Question.objects.get(slug="share").title == "A new title"
    assert bounds("share") == (0, 100, 3)


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (
            ["q", "Q", "quantity", "%", "0", "100", "0", "0"],
            "column upper_bound: the upper bound must be above the lower bound",
        ),
        (
            ["q", "Q", "quantity", "%", "0", "5", "5", "0"],
            "column upper_bound: the upper bound must be above the lower bound",
        ),
        (
            ["q", "Q", "boolean", "", "0", "", "1", "0"],
            "column kind: a yes/no question (kind 'boolean') has no bounds: leave lower_bound "
            "and upper_bound empty",
        ),
        (
            ["q", "Q", "quantity", "%", "0", "", "", "-1"],
            "column drift: the drift cannot be negative",
        ),
        (
            ["q", "Q", "quantity", "%", "0", "zero", "", ""],
            "column lower_bound: lower_bound 'zero' is not a number",
        ),
        (
            ["q", "Q", "quantity", "%", "0", "", "1,000", ""],
            "column upper_bound: upper_bound '1,000' is not a number: use a point for decimals "
            "and no thousands separators (28.5, 3000)",
        ),
    ],
)
def test_bad_bounds_and_drift_are_named_by_line_and_column(tmp_path, row, problem):
    before = row_counts()

    report = data_import(paths=[write(tmp_path, "questions.csv", QUESTIONS, [row])])

    assert report.errors == [f"questions.csv line 2, {problem}"]
    assert row_counts() == before


def test_bounds_and_drift_export_and_re_import_unchanged(tmp_path):
    make_question(slug="share", lower_bound=0, upper_bound=100, drift=Decimal("0.5"))
    make_question(slug="open", unit="t")

    (path,) = data_export(folder=tmp_path / "out", only=["questions"])

    with path.open(encoding="utf-8", newline="") as handle:
        rows = {row["slug"]: row for row in csv.DictReader(handle)}
    assert [rows["share"][c] for c in ("lower_bound", "upper_bound", "drift")] == [
        "0",
        "100",
        "0.5",
    ]
    assert [rows["open"][c] for c in ("lower_bound", "upper_bound", "drift")] == ["", "", "0"]
    before = row_counts()
    report = data_import(paths=[path])
    assert report.ok, report.errors
    assert report.files[0].unchanged == 2
    assert row_counts() == before


# --------------------------------------------------------------------------- claims in bounds


@pytest.fixture
def share():
    make_source(slug="s")
    return make_question(slug="share", unit="%", lower_bound=0, upper_bound=100)


def claims_file(tmp_path, rows):
    return write(tmp_path, "claims.csv", CLAIMS, rows)


@pytest.mark.parametrize(
    ("figure", "message"),
    [
        (["exact", "120", "", "%"], "120% is outside the question's bounds (0% to 100%)"),
        (["about", "-3", "", "%"], "about -3% is outside the question's bounds (0% to 100%)"),
        (["between", "90", "130", "%"], "90–130% is outside the question's bounds (0% to 100%)"),
        (
            ["more_than", "100", "", "%"],
            "more than 100% leaves nothing within the question's bounds (0% to 100%)",
        ),
    ],
)
def test_a_claim_outside_its_questions_bounds_is_refused(share, tmp_path, figure, message):
    before = row_counts()
    rows = [
        ["fine", "s", "Q.", "share", "about", "98", "", "%"],
        ["out", "s", "Q.", "share", *figure],
    ]

    report = data_import(paths=[claims_file(tmp_path, rows)])

    assert report.errors == [f"claims.csv line 3, column value: {message}"]
    assert row_counts() == before


def test_claims_within_the_bounds_and_claims_of_unbounded_questions_import(share, tmp_path):
    make_question(slug="open", unit="%")
    rows = [
        ["top", "s", "Q.", "share", "exact", "100", "", "%"],
        ["nearly-all", "s", "Q.", "share", "more_than", "98", "", "%"],
        ["unbounded", "s", "Q.", "open", "exact", "120", "", "%"],
        ["unfiled", "s", "Q.", "", "exact", "120", "", "%"],
    ]

    report = data_import(paths=[claims_file(tmp_path, rows)])

    assert report.ok, report.errors
    assert Claim.objects.count() == 4


def test_the_bounds_of_a_question_in_the_same_import_apply(tmp_path):
    make_source(slug="s")
    questions = write(
        tmp_path, "questions.csv", QUESTIONS, [["share", "S", "quantity", "%", "0", "0", "100", ""]]
    )
    claims = claims_file(tmp_path, [["out", "s", "Q.", "share", "exact", "101", "", "%"]])

    report = data_import(paths=[questions, claims])

    assert report.errors == [
        "claims.csv line 2, column value: 101% is outside the question's bounds (0% to 100%)"
    ]
    assert not Question.objects.exists()


def test_a_stored_claim_outside_the_bounds_is_refused_even_unchanged(share, tmp_path):
    # Written around the checks (before the question had bounds, say): a file repeating it is
    # still a file with a figure the question cannot take.
    source = Source.objects.get(slug="s")
    make_claim(ref="old", source=source, quote="Q.", question=share, value=120, unit="%")

    report = data_import(
        paths=[claims_file(tmp_path, [["old", "s", "Q.", "share", "", "120", "", "%"]])]
    )

    assert report.errors == [
        "claims.csv line 2, column value: 120% is outside the question's bounds (0% to 100%)"
    ]


def test_the_questions_are_read_once_per_file_whatever_the_rows(share, monkeypatch):
    monkeypatch.setattr(engine_run, "BATCH_SIZE", 2)
    make_question(slug="other", unit="%", upper_bound=10)
    rows = [
        (n + 2, [f"c{n}", "s", "Q.", "share" if n % 2 else "other", "exact", str(n), "", "%"])
        for n in range(7)
    ]

    with CaptureQueriesContext(connection) as queries:
        result = ClaimResource().import_rows(CLAIMS, rows)

    assert result.problems == []
    assert result.created == 7
    table = connection.ops.quote_name(Question._meta.db_table)
    reads = [query["sql"] for query in queries if f"FROM {table}" in query["sql"]]
    # 1. the questions' slugs, for the question column; 2. the questions themselves, for the
    # bounds, when the first row needs them: in four batches of rows.
    assert len(reads) == 2
    assert '"lower_bound"' not in reads[0]
    assert '"lower_bound"' in reads[1]


def test_bounds_that_would_leave_a_recorded_claim_outside_are_refused(tmp_path):
    question = make_question(slug="share", unit="%")
    make_claim(ref="share-120", question=question, value=Decimal(120), unit="%")
    make_claim(ref="share-90", question=question, value=Decimal(90), unit="%")
    before = row_counts()

    report = data_import(
        paths=[
            write(
                tmp_path,
                "questions.csv",
                QUESTIONS,
                [["share", "A share", "quantity", "%", "0", "0", "100", "0"]],
            )
        ]
    )

    assert report.errors == [
        "questions.csv line 2, column lower_bound: these bounds leave recorded figures outside "
        "them (share-120): correct or refile those claims first"
    ]
    assert row_counts() == before
    assert bounds("share") == (None, None, 0)
