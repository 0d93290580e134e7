"""The data version: every committed write publishes a new one, after its commit; a rollback none."""

import pytest
from django.db import connection, transaction

from claims.models import Claim, Metal
from claims.summaries import question_summaries_refresh
from core import dataversion
from core.models import DataVersion
from interchange.engine.write import insert_rows
from tests.conftest import make_claim, make_question, make_source


def published(write):
    """The versions `write` published once committed, in autocommit as a real writer is."""
    before = dataversion.current().number
    write()
    return dataversion.current().number - before


@pytest.mark.django_db(transaction=True)
def test_a_save_publishes_a_version_after_its_commit_not_before():
    source = make_source()
    before = dataversion.current().number
    with transaction.atomic():
        source.title = "A new title"
        source.save()
        # Not yet published: the commit has not happened (read as another writer's reader would).
        assert DataVersion.objects.first().number == before
    after = dataversion.current()
    assert after.number == before + 1
    assert after.at is not None


@pytest.mark.django_db(transaction=True)
def test_one_transaction_of_many_writes_publishes_one_version():
    def write():
        with transaction.atomic():
            for n in range(3):
                make_source(title=f"Source of batch {n}")

    assert published(write) == 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_publishes_nothing():
    def write():
        with pytest.raises(RuntimeError), transaction.atomic():
            make_source()
            raise RuntimeError("abandoned")

    assert published(write) == 0


@pytest.mark.django_db(transaction=True)
def test_deletes_many_to_many_changes_and_summary_refreshes_publish_versions():
    question = make_question()
    claim = make_claim(question=question, value=5)
    metal = Metal.objects.create(symbol="Nd", name="Neodymium", atomic_number=60)
    assert published(lambda: claim.metals.add(metal)) >= 1
    assert published(lambda: question_summaries_refresh(question_ids=[question.pk])) >= 1
    assert published(lambda: Claim.objects.filter(pk=claim.pk).delete()) >= 1


@pytest.mark.django_db(transaction=True)
def test_the_import_engines_bulk_insert_publishes_a_version():
    """On PostgreSQL insert_rows writes with psycopg's COPY, which Django's cursor never sees."""
    source = make_source()
    columns = [f.attname for f in Claim._meta.concrete_fields if not f.primary_key]
    template = {f.attname: f.get_default() for f in Claim._meta.concrete_fields}
    model = make_claim(source=source, ref="template-claim")
    template.update({name: getattr(model, name) for name in columns})

    def write():
        with transaction.atomic():
            row = {**template, "ref": "copied-claim", "quote": "Copied."}
            insert_rows(Claim, columns, [[row[name] for name in columns]], return_ids=False)

    assert published(write) == 1
    assert Claim.objects.filter(ref="copied-claim").exists()


@pytest.mark.django_db(transaction=True)
def test_a_writer_learns_the_version_its_commit_published():
    seen = []
    with transaction.atomic():
        make_source()
        dataversion.on_published(seen.append)
        assert seen == []
    assert seen == [dataversion.current()]


@pytest.mark.django_db
def test_a_connection_reading_after_its_own_uncommitted_writes_sees_a_new_version():
    before = dataversion.current().number
    assert connection.in_atomic_block  # the test's own transaction
    make_source()
    after = dataversion.current().number
    assert after > before  # (on PostgreSQL a sequence's numbers may skip)
    # Nothing written since: the same version.
    assert dataversion.current().number == after


def test_the_time_is_formatted_once_for_every_page():
    from datetime import UTC, datetime

    version = dataversion.Version(7, datetime(2026, 12, 2, 9, 5, tzinfo=UTC))
    assert version.as_of == "2 December 2026, 09:05 UTC"
    assert dataversion.Version(0, None).as_of == ""
