"""Checking rows before they are written (interchange.engine.check and the run's end): keys written
twice, keys that do not exist (or not yet), unique-when-present values, rows that change nothing."""

import pytest

from claims.resources import MetalResource
from interchange.engine import run as engine_run
from interchange.problems import Problem
from sources.models import Actor, Source
from sources.resources import ActorResource, SourceResource
from tests.conftest import make_actor, make_source

pytestmark = pytest.mark.django_db

ACTORS = ["slug", "name", "kind", "parent"]
SOURCES = ["slug", "title", "kind", "url"]


def lines(*rows):
    """(line, cells) pairs as the reader gives them: the header on line 1, then one row a line."""
    return [(line, list(cells)) for line, cells in enumerate(rows, start=2)]


@pytest.fixture(params=[2000, 1], ids=["one batch", "a batch per row"])
def batch_size(request, monkeypatch):
    # What is checked across the file must hold across batches too.
    monkeypatch.setattr(engine_run, "BATCH_SIZE", request.param)
    return request.param


def test_a_key_on_two_rows_is_the_one_problem_reported(batch_size):
    result = ActorResource().import_rows(
        ACTORS,
        lines(
            ["twice", "First", "media", ""],
            ["once", "Once", "media", ""],
            ["twice", "Second", "media", "nobody"],
        ),
    )

    assert result.problems == [
        Problem("slug 'twice' is also on line 2: each record once", line=4, column="slug")
    ]
    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)


def test_a_missing_key_is_named_and_so_is_the_line_it_is_on_further_down(batch_size):
    result = ActorResource().import_rows(
        ACTORS,
        lines(
            ["child", "Child", "agency", "parent-government"],
            ["orphan", "Orphan", "agency", "nobody"],
            ["parent-government", "Parent", "government", ""],
        ),
    )

    assert result.problems == [
        Problem(
            "actor 'parent-government' does not exist yet ('parent-government' is on line 4 of "
            "this file: put it above the rows that refer to it)",
            line=2,
            column="parent",
        ),
        Problem("actor 'nobody' does not exist", line=3, column="parent"),
    ]


def test_a_key_above_the_row_that_refers_to_it_is_found_in_the_same_or_an_earlier_batch(
    batch_size,
):
    result = ActorResource().import_rows(
        ACTORS,
        lines(
            ["parent-government", "Parent", "government", ""],
            ["child", "Child", "agency", "parent-government"],
        ),
    )

    assert result.problems == []
    assert Actor.objects.get(slug="child").parent.slug == "parent-government"


def test_missing_keys_of_a_list_are_named_together_with_where_they_are(batch_size):
    header = ["symbol", "name", "category", "members"]
    result = MetalResource().import_rows(
        header,
        lines(
            ["MAGNETS", "magnets", "group", "Nd|HEAVY|Xx|Yy"],
            ["HEAVY", "heavy", "group", "Dy|Tb"],
        ),
    )

    assert result.problems == [
        Problem(
            "metal 'HEAVY', 'Xx', 'Yy' do not exist yet ('HEAVY' is on line 3 of this file: put "
            "it above the rows that refer to it)",
            line=2,
            column="members",
        )
    ]


def test_a_value_unique_when_present_is_checked_against_the_file_and_the_database(batch_size):
    make_source(slug="old", url="https://example.org/taken")
    make_source(slug="kept", url="https://example.org/kept")

    result = SourceResource().import_rows(
        SOURCES,
        lines(
            ["first", "First", "article", "https://example.org/new"],
            ["second", "Second", "article", "https://example.org/new"],
            ["third", "Third", "article", "https://example.org/taken"],
            ["kept", "Kept", "article", "https://example.org/kept"],  # its own URL again
            ["no-url-1", "No URL", "article", ""],
            ["no-url-2", "No URL either", "article", ""],  # blank is not a value
        ),
    )

    taken = "another source already has this URL"
    assert result.problems == [
        Problem(taken, line=3, column="url"),
        Problem(taken, line=4, column="url"),
    ]
    assert (result.created, result.updated) == (3, 1)


def test_a_row_breaking_a_check_constraint_gets_the_resources_own_words():
    actor = make_actor(slug="loop")

    result = ActorResource().import_rows(ACTORS, lines(["loop", actor.name, "media", "loop"]))

    assert result.problems == [
        Problem("an actor cannot be its own parent", line=2, column="parent")
    ]


def test_every_error_of_a_row_is_reported_with_its_column_in_plain_words():
    result = SourceResource().import_rows(
        [*SOURCES, "accessed"], lines(["", "", "poem", "", "yesterday"])
    )

    assert sorted(result.problems, key=lambda p: p.column) == [
        Problem("accessed 'yesterday' is not a date: use YYYY-MM-DD", line=2, column="accessed"),
        Problem(
            "kind 'poem' is unknown — use one of " + _codes(Source.Kind), line=2, column="kind"
        ),
        Problem("a value is required", line=2, column="slug"),
        Problem("a value is required", line=2, column="title"),
    ]


def test_a_row_that_changes_nothing_is_counted_as_unchanged_and_not_written():
    actor = make_actor(slug="same", name="Same", kind=Actor.Kind.MEDIA)
    history = actor.history.count()

    result = ActorResource().import_rows(
        ACTORS, lines(["same", "Same", "media", ""], ["new", "New", "media", "same"])
    )

    assert (result.created, result.updated, result.unchanged) == (1, 0, 1)
    assert actor.history.count() == history


def _codes(choices):
    return ", ".join(f"'{code}'" for code in choices.values)
