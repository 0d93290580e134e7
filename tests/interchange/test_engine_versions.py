"""What the import engine sets on the rows it writes besides the file's cells: a changed record's
version + 1 (an import is a change: a form opened before it is refused), the importing user as a
new record's creator, and whatever the resource's `before_write` hook sets, all written in bulk
with no query per row.

Users: `alice`, a curator, runs the imports.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim
from core.history import change_reason
from interchange.services import data_import
from sources.models import Actor
from sources.resources import ActorResource
from tests.conftest import make_actor, make_source, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    return make_user("curator", "alice")


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def import_file(path, user=None):
    report = data_import(paths=[path], user=user)
    assert report.ok, report.errors
    return report


def test_a_changed_row_gets_its_stored_version_plus_one_and_a_new_row_version_one(tmp_path):
    changed = make_actor(slug="iea", name="IEA")
    changed.name = "IEA (old)"
    changed.save()  # version 2 now
    same = make_actor(slug="usgs", name="USGS")
    path = write(
        tmp_path,
        "actors.csv",
        "slug,name,kind\niea,International Energy Agency,organisation\n"
        "usgs,USGS,organisation\nbgs,British Geological Survey,research\n",
    )

    import_file(path)

    versions = dict(Actor.objects.values_list("slug", "version"))
    assert versions == {"iea": 3, "usgs": same.version, "bgs": 1}
    # The history row the import wrote says which version it made.
    latest = Actor.history.filter(slug="iea").order_by("-history_id").first()
    assert (latest.history_type, latest.version) == ("~", 3)


def test_a_claim_whose_links_alone_change_is_bumped_once(tmp_path):
    source = make_source(slug="s")
    path = write(
        tmp_path,
        "claims.csv",
        "ref,source,quote,links\na,s,Quote a.,\nb,s,Quote b.,\n",
    )
    import_file(path)
    assert dict(Claim.objects.values_list("ref", "version")) == {"a": 1, "b": 1}

    write(
        tmp_path, "claims.csv", "ref,source,quote,links\na,s,Quote a.,qualifies:b\nb,s,Quote b.,\n"
    )
    import_file(path)

    assert dict(Claim.objects.values_list("ref", "version")) == {"a": 2, "b": 1}
    assert source.claims.count() == 2


def test_new_records_are_created_by_the_importing_user_and_changed_ones_keep_theirs(
    tmp_path, alice
):
    bob = make_user("curator", "bob")
    source = make_source(slug="s")
    Claim.objects.create(ref="old", source=source, quote="Old quote.", created_by=bob)
    path = write(tmp_path, "claims.csv", "ref,source,quote\nold,s,Old quote changed.\nnew,s,New.\n")

    import_file(path, user=alice)

    creators = dict(Claim.objects.values_list("ref", "created_by__username"))
    assert creators == {"old": "bob", "new": "alice"}


def test_a_command_without_a_user_leaves_the_creator_empty(tmp_path):
    make_source(slug="s")
    import_file(write(tmp_path, "claims.csv", "ref,source,quote\nnew,s,New.\n"))

    assert Claim.objects.get(ref="new").created_by is None


class DescribingResource(ActorResource):
    """Sets a field the file has no column for, and remembers what the engine handed it."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.calls = []

    def before_write(self, rows, user):
        self.calls.append(
            [(instance.slug, original and original["name"], user) for instance, original in rows]
        )
        for instance, _ in rows:
            instance.description = f"written by {user} at version {instance.version}"


def test_before_write_sees_the_batchs_new_and_changed_rows_at_once_and_what_it_sets_is_written(
    alice,
):
    make_actor(slug="iea", name="IEA", description="")
    make_actor(slug="usgs", name="USGS", description="kept")
    resource = DescribingResource()
    header = ["slug", "name", "kind"]
    rows = [
        (2, ["iea", "International Energy Agency", "organisation"]),
        (3, ["usgs", "USGS", "organisation"]),  # unchanged: no call, nothing written
        (4, ["bgs", "BGS", "research"]),
    ]

    with change_reason("import of actors.csv", user=alice):
        result = resource.import_rows(header, rows)

    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    # One call for the batch, with its rows in the file's order.
    assert resource.calls == [[("iea", "IEA", alice), ("bgs", None, alice)]]
    descriptions = dict(Actor.objects.values_list("slug", "description"))
    assert descriptions == {
        "iea": "written by alice at version 2",
        "usgs": "kept",
        "bgs": "written by alice at version 1",
    }
    # The history row has what was written, hook's field included.
    latest = Actor.history.filter(slug="iea").order_by("-history_id").first()
    assert latest.description == "written by alice at version 2"


def queries_to_import(rows):
    resource = DescribingResource()
    with CaptureQueriesContext(connection) as captured:
        resource.import_rows(["slug", "name", "kind"], rows)
    return len(captured)


def test_the_engine_makes_the_same_queries_for_3_or_30_changed_rows():
    for n in range(30):
        make_actor(slug=f"a{n}", name=f"A {n}")
    few = queries_to_import([(n + 2, [f"a{n}", f"A {n}!", "organisation"]) for n in range(3)])
    many = queries_to_import([(n + 2, [f"a{n}", f"A {n}?", "organisation"]) for n in range(3, 30)])

    assert few == many
    assert set(Actor.objects.filter(slug__in=["a1", "a29"]).values_list("version", flat=True)) == {
        2
    }


def test_before_write_is_called_once_per_batch(monkeypatch):
    monkeypatch.setattr("interchange.engine.run.BATCH_SIZE", 2)
    resource = DescribingResource()
    rows = [(n + 2, [f"a{n}", f"A {n}", "organisation"]) for n in range(5)]

    resource.import_rows(["slug", "name", "kind"], rows)

    assert [[slug for slug, *_ in batch] for batch in resource.calls] == [
        ["a0", "a1"],
        ["a2", "a3"],
        ["a4"],
    ]
    assert Actor.objects.get(slug="a4").description == "written by None at version 1"
