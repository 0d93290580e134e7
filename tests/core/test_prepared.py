"""core.prepared: a queryset's SQL compiled once, run again with other values, as the ORM would."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim
from core.prepared import Prepared
from sources.models import Source
from tests.conftest import make_claim, make_question, make_source


def _claims_of(question_id):
    return (
        Claim.objects.filter(question_id=question_id)
        .order_by("ref")
        .values_list("ref", "value", "source__published", "source__title")
    )


@pytest.mark.django_db
def test_rows_are_the_orm_s_for_each_value_given_with_its_converters():
    first, second = make_question(), make_question()
    source = make_source(title="Survey", published="2024-03")
    make_claim(ref="a", question=first, source=source, value=Decimal("12.50"), unit="%")
    make_claim(ref="b", question=first, value=Decimal("3"), unit="%")
    make_claim(ref="c", question=second, value=Decimal("7.25"), unit="%")
    prepared = Prepared(_claims_of, question_id=int)

    for question in (first, second, first):
        assert prepared(question_id=question.pk) == list(_claims_of(question.pk))
    rows = prepared(question_id=first.pk)
    assert [ref for ref, *_ in rows] == ["a", "b"]
    # The database's decimals come back as the ORM converts them, not as SQLite stores them.
    assert rows[0][1] == Decimal("12.50") and isinstance(rows[0][1], Decimal)
    assert prepared(question_id=-1) == []


@pytest.mark.django_db
def test_each_call_is_one_query_that_assert_num_queries_counts():
    question = make_question()
    make_claim(question=question)
    prepared = Prepared(_claims_of, question_id=int)
    prepared(question_id=question.pk)  # compiled here
    with CaptureQueriesContext(connection) as queries:
        prepared(question_id=question.pk)
        prepared(question_id=question.pk + 1)
    assert len(queries) == 2
    # The same SQL, each run with its own value.
    assert f'"question_id" = {question.pk} ' in queries[0]["sql"]
    assert f'"question_id" = {question.pk + 1} ' in queries[1]["sql"]


@pytest.mark.django_db
def test_text_parameters_are_substituted_too():
    make_source(slug="one", title="First", published=date(2020, 1, 1).isoformat())
    make_source(slug="two", title="Second")

    def titled(slug):
        return Source.objects.filter(slug=slug).values_list("title", "published")

    prepared = Prepared(titled, slug=str)
    assert prepared(slug="one") == list(titled("one"))
    assert prepared(slug="two") == [("Second", "")]
    assert prepared(slug="three") == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "build",
    [
        # Django turns the value into "value%": it is not passed as it is.
        lambda slug: Source.objects.filter(slug__startswith=slug).values_list("title"),
        # The value is written into the SQL: its text changes with it.
        lambda slug: Source.objects.filter(slug="x").values_list("title")[: len(slug)],
        # Model instances, dicts, single values: not the ORM's tuples.
        lambda slug: Source.objects.filter(slug=slug),
        lambda slug: Source.objects.filter(slug=slug).values("title"),
        lambda slug: Source.objects.filter(slug=slug).values_list("title", flat=True),
    ],
    ids=["transformed", "in-the-sql", "instances", "dicts", "flat"],
)
def test_a_query_that_cannot_be_prepared_is_refused_at_its_first_use(build):
    prepared = Prepared(build, slug=str)
    with pytest.raises(ValueError, match="cannot be prepared|not a values_list"):
        prepared(slug="abc")


def test_parameters_are_checked():
    with pytest.raises(TypeError):
        Prepared(_claims_of, question_id=float)
    with pytest.raises(TypeError):
        Prepared(_claims_of)
    with pytest.raises(TypeError, match="question_id"):
        Prepared(_claims_of, question_id=int)(source_id=1)
    # Given as they are, never converted: "5", 5.9 or None would read rows the ORM would not.
    for wrong in ("5", 5.9, None):
        with pytest.raises(TypeError, match="must be int"):
            Prepared(_claims_of, question_id=int)(question_id=wrong)


@pytest.mark.django_db
def test_a_query_that_can_match_nothing_returns_nothing_as_the_orm_does(settings):
    settings.PUBLIC_CLAIM_STATUSES = []
    question = make_question()
    make_claim(question=question)

    def public(question_id):
        return Claim.objects.public().filter(question_id=question_id).values_list("ref")

    assert list(public(question.pk)) == []
    with CaptureQueriesContext(connection) as queries:
        assert Prepared(public, question_id=int)(question_id=question.pk) == []
    assert len(queries) == 0


@pytest.mark.django_db
def test_a_changed_setting_recompiles_what_the_sql_embeds(settings):
    question = make_question()
    make_claim(ref="checked", question=question, status=Claim.Status.CHECKED)
    make_claim(ref="draft", question=question, status=Claim.Status.DRAFT)
    listed = Prepared(
        lambda question_id: (
            Claim.objects.public().filter(question_id=question_id).values_list("ref")
        ),
        question_id=int,
    )
    assert listed(question_id=question.pk) == [("checked",)]
    settings.PUBLIC_CLAIM_STATUSES = [Claim.Status.DRAFT]
    assert listed(question_id=question.pk) == [("draft",)]
