"""QuestionSummary: the stored verdicts the question lists read, kept up to date on every write."""

import io
import math
from decimal import Decimal
from operator import attrgetter

import pytest
import tablib
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models.signals import post_migrate

from claims import comparison, summaries
from claims.models import Claim, Question, QuestionSummary
from claims.resources import ClaimResource
from claims.summaries import question_summaries_refresh, summaries_refreshed_once
from interchange.services import data_import, import_files_in_folder
from sources.resources import ActorResource
from tests.conftest import make_actor, make_claim, make_question, make_source
from tests.import_helpers import DATA

pytestmark = pytest.mark.django_db


def summary_of(question):
    return QuestionSummary.objects.get(question=question)


def placed_on(question):
    return [comparison.placed_from_record(record) for record in summary_of(question).placements]


@pytest.fixture
def refreshes(monkeypatch):
    """Every call to question_summaries_refresh, which still runs."""
    calls = []

    def recorded(**kwargs):
        calls.append(kwargs)
        return question_summaries_refresh(**kwargs)

    # The one refresh the signals call (claims.summaries).
    monkeypatch.setattr(summaries, "question_summaries_refresh", recorded)
    return calls


def test_saving_a_claim_updates_its_questions_summary():
    question = make_question(tolerance=2)
    make_claim(question=question, value=90, unit="%")
    assert summary_of(question).verdict == "single"

    other = make_claim(question=question, value=91, unit="%")
    assert summary_of(question).verdict == "agree" or summary_of(question).verdict == "close"
    other.value = 50
    other.save()

    summary = summary_of(question)
    assert summary.verdict == "conflict"
    assert (summary.claim_count, summary.source_count) == (2, 2)
    assert summary.spread == (50.0, 90.0)


def test_moving_a_claim_to_another_question_updates_both():
    first, second = make_question(), make_question()
    make_claim(question=first, value=90, unit="%")
    moving = make_claim(question=first, value=10, unit="%")
    assert summary_of(first).verdict == "conflict"

    moving.question = second
    moving.save()

    assert summary_of(first).verdict == "single"
    assert summary_of(second).claim_count == 1


def test_deleting_or_retracting_a_claim_updates_the_summary():
    question = make_question()
    make_claim(question=question, value=90, unit="%")
    retracting = make_claim(question=question, value=10, unit="%")
    deleting = make_claim(question=question, value=20, unit="%")

    retracting.status = "retracted"
    retracting.save()
    assert summary_of(question).claim_count == 2
    deleting.delete()

    assert summary_of(question).claim_count == 1
    assert summary_of(question).verdict == "single"


def test_a_new_tolerance_changes_the_verdict():
    question = make_question(tolerance=0)
    make_claim(question=question, value=90, unit="%")
    make_claim(question=question, value=91, unit="%")
    assert summary_of(question).verdict == "conflict"

    question.tolerance = 2
    question.save()

    assert summary_of(question).verdict == "close"


def test_a_new_parent_merges_two_origins_into_one():
    government = make_actor()
    ministry = make_actor()
    question = make_question()
    make_claim(question=question, value=90, unit="%", speaker=government)
    make_claim(question=question, value=90, unit="%", speaker=ministry)
    assert summary_of(question).independent_origins == 2

    ministry.parent = government  # the curator sets the ministry's parent
    ministry.save()

    assert summary_of(question).independent_origins == 1


def test_a_new_publisher_merges_two_origins_and_echoes_no_longer_agree():
    agency = make_actor()
    question = make_question()
    make_claim(question=question, value=90, unit="%", source=make_source(publisher=agency))
    other = make_source()
    make_claim(question=question, value=90, unit="%", source=other)
    assert (summary_of(question).verdict, summary_of(question).independent_origins) == ("agree", 2)

    other.publisher = agency  # both reports turn out to be the agency's
    other.save()

    assert (summary_of(question).verdict, summary_of(question).independent_origins) == ("single", 1)


def test_marking_a_claim_unattributed_takes_it_out_of_the_agreement():
    question = make_question()
    make_claim(question=question, value=90, unit="%")
    unnamed = make_claim(question=question, value=90, unit="%")
    assert summary_of(question).verdict == "agree"

    unnamed.unattributed = True
    unnamed.save()

    summary = summary_of(question)
    assert (summary.verdict, summary.independent_origins, summary.claim_count) == ("single", 1, 2)


def test_a_migration_that_changes_the_comparison_recomputes_every_summary_after_migrate():
    question = make_question()
    make_claim(question=question, value=90, unit="%")
    make_claim(question=question, value=90, unit="%")
    QuestionSummary.objects.filter(question=question).update(verdict="conflict")
    refreshing = type("Migration", (), {"refreshes_summaries": True})()
    plain = type("Migration", (), {})()
    claims_app = apps.get_app_config("claims")

    post_migrate.send(sender=claims_app, app_config=claims_app, plan=[(plain, False)])
    assert summary_of(question).verdict == "conflict"  # nothing asked for a refresh
    post_migrate.send(sender=claims_app, app_config=claims_app, plan=[(refreshing, True)])
    assert summary_of(question).verdict == "conflict"  # unapplying it leaves them
    post_migrate.send(
        sender=claims_app, app_config=claims_app, plan=[(plain, False), (refreshing, False)]
    )

    assert summary_of(question).verdict == "agree"


def test_an_import_leaves_every_question_summarised_as_the_pages_compute_it():
    call_command("load_demo", stdout=io.StringIO())
    assert data_import(paths=import_files_in_folder(DATA / "curator")).ok

    assert QuestionSummary.objects.count() == Question.objects.count()

    def summaries():
        return {
            s.question_id: (s.verdict, s.claim_count, s.independent_origins, s.placements)
            for s in QuestionSummary.objects.all()
        }

    stored = summaries()
    QuestionSummary.objects.all().delete()
    question_summaries_refresh()
    assert summaries() == stored
    # And each agrees with the full comparison the question page makes.
    for question in Question.objects.all():
        figures = [claim.figure for claim in question.claims.public().figures()]
        outcome = question.compare_figures(figures)
        assert stored[question.pk][0] == str(outcome.verdict), question.slug
        assert stored[question.pk][2] == outcome.independent_origins, question.slug


def test_the_demo_rank_question_is_stored_as_a_conflict():
    call_command("load_demo", stdout=io.StringIO())

    summary = QuestionSummary.objects.get(question__slug="russia-ree-reserves-world-rank")

    assert summary.verdict == "conflict"


def test_an_origin_is_the_top_of_a_chain_deeper_than_the_joins():
    # Five levels: figures() joins four, then asks for the rest.
    top = make_actor(slug="government")
    actor = top
    for level in range(4):
        actor = make_actor(slug=f"level-{level}", parent=actor)
    question = make_question()
    make_claim(question=question, value=90, unit="%", speaker=top)
    make_claim(question=question, value=90, unit="%", speaker=actor)

    assert summary_of(question).independent_origins == 1
    (figure, *_) = [c.figure for c in Claim.objects.filter(speaker=actor).figures()]
    assert figure.origin == "actor:government"


def test_an_admin_import_of_claims_updates_the_summaries():
    # The admin's import goes through the resources' import_data, which writes in bulk.
    question = make_question(slug="shares", tolerance=0)
    first = make_claim(question=question, value=90, unit="%")
    assert summary_of(question).verdict == "single"
    rows = tablib.Dataset(
        ["second", first.source.slug, "Ten percent.", "shares", "10", "%", "checked"],
        headers=["ref", "source", "quote", "question", "value", "unit", "status"],
    )

    result = ClaimResource().import_data(rows, dry_run=False)

    assert not result.problems
    assert summary_of(question).verdict == "conflict"


def test_an_admin_import_of_actors_that_merges_origins_updates_the_summaries():
    government, ministry = make_actor(slug="gov"), make_actor(slug="ministry")
    question = make_question()
    make_claim(question=question, value=90, unit="%", speaker=government)
    make_claim(question=question, value=90, unit="%", speaker=ministry)
    assert summary_of(question).independent_origins == 2
    rows = tablib.Dataset(
        ["ministry", ministry.name, ministry.kind, "gov"],
        headers=["slug", "name", "kind", "parent"],
    )

    result = ActorResource().import_data(rows, dry_run=False)

    assert not result.problems
    assert summary_of(question).independent_origins == 1


def test_each_claim_is_kept_placed_exactly_as_the_comparison_places_it():
    question = make_question(unit="kt", tolerance=1)
    claims = [
        make_claim(question=question, value=Decimal("0.3"), unit="t"),
        make_claim(question=question, qualifier="about", value=Decimal("28.5"), unit="Mt"),
        make_claim(question=question, qualifier="more_than", value=Decimal("0.333333"), unit="kt"),
        make_claim(question=question, qualifier="at_most", value=90, unit="kt", as_of="2025-03"),
        make_claim(question=question, value=5, unit="%"),  # another dimension: not comparable
        make_claim(question=question, value=1, unit="kt", status=Claim.Status.DRAFT),  # not public
        # 2e13 kt: PostgreSQL's jsonb gives it back without a decimal point.
        make_claim(question=question, value=Decimal("20000000000000000"), unit="t"),
    ]
    public = [claim.figure() for claim in claims if claim.status != Claim.Status.DRAFT]

    kept = placed_on(question)

    expected = comparison.place_figures(
        sorted(public, key=attrgetter("ref")), kind="quantity", unit="kt"
    )
    assert kept == expected
    ends = [end for claim in kept if claim.place for end in (claim.place.low, claim.place.high)]
    assert {math.inf, 0.0003, 2e13} <= set(ends)
    assert all(type(end) is float for end in ends)
    assert [claim.place for claim in kept].count(None) == 1


def test_the_placed_claims_follow_the_question_pages_order():
    question = make_question()
    later = make_claim(ref="a-later", question=question, source=make_source(published="2025-02"))
    earlier = make_claim(ref="b-earlier", question=question, source=make_source(published="2024"))

    assert [claim.ref for claim in placed_on(question)] == [earlier.ref, later.ref]


def test_a_claim_withdrawn_around_the_apps_signals_is_never_named_on_a_source_page(client):
    question = make_question()
    mine = make_claim(question=question, value=90, unit="%")
    withdrawn = make_claim(question=question, value=50, unit="%")
    Claim.objects.filter(pk=withdrawn.pk).update(status=Claim.Status.RETRACTED)
    assert withdrawn.ref in {claim.ref for claim in placed_on(question)}  # the summary lags

    html = client.get(mine.source.get_absolute_url()).content.decode()

    assert mine.ref in html and withdrawn.ref not in html


def test_deleting_selected_claims_in_the_admin_recomputes_each_summary_once(
    admin_client, refreshes
):
    first, second = make_question(), make_question()
    kept = make_claim(question=first, value=90, unit="%")
    doomed = [make_claim(question=first, value=v, unit="%") for v in (10, 20, 30)]
    doomed.append(make_claim(question=second, value=5, unit="%"))
    assert summary_of(first).verdict == "conflict"
    refreshes.clear()

    response = admin_client.post(
        "/admin/claims/claim/",
        {"action": "delete_selected", "post": "yes", "_selected_action": [c.pk for c in doomed]},
    )

    assert response.status_code == 302
    assert refreshes == [{"question_ids": {first.pk, second.pk}}]
    assert (summary_of(first).verdict, summary_of(first).claim_count) == ("single", 1)
    assert summary_of(second).claim_count == 0
    assert [claim.ref for claim in placed_on(first)] == [kept.ref]


def test_a_block_that_fails_recomputes_nothing(refreshes):
    question = make_question()
    claim = make_claim(question=question, value=90, unit="%")
    refreshes.clear()
    with pytest.raises(RuntimeError), transaction.atomic(), summaries_refreshed_once():
        claim.delete()
        raise RuntimeError
    assert refreshes == []
    assert summary_of(question).claim_count == 1
    with summaries_refreshed_once():
        with summaries_refreshed_once():
            Claim.objects.get(ref=claim.ref).delete()
        assert summary_of(question).claim_count == 1  # the outer block recomputes it
    assert summary_of(question).claim_count == 0


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="cursor_tuple_fraction is PostgreSQL's planner's"
)
@pytest.mark.django_db
def test_a_refresh_of_many_questions_plans_its_cursor_for_every_row_then_puts_the_plan_back():
    def fraction():
        with connection.cursor() as cursor:
            cursor.execute("SHOW cursor_tuple_fraction")
            return float(cursor.fetchone()[0])

    def planned_with(questions):
        """The setting the claims' query (figures()) was planned with, in a refresh."""
        seen = []

        def record(execute, sql, params, many, context):
            if '"claims_claim"."unattributed"' in sql:
                seen.append(fraction())
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            question_summaries_refresh(question_ids=[q.pk for q in questions])
        return seen

    one, other = make_question(), make_question()
    make_claim(question=one, value=1, unit="%")
    make_claim(question=other, value=2, unit="%")
    # In the test's transaction, as a refresh runs in its write's.
    assert planned_with([one]) == [0.1]  # PostgreSQL's default: a curator's save, one question
    assert planned_with([one, other]) == [1.0]
    assert fraction() == 0.1  # the rest of the transaction plans as before
