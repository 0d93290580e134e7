"""Every import is recorded as a batch (who, when, which files, how many rows), listed read-only in
the admin, and can be undone: what it created deleted, what it changed or deleted put back as it
was, in one transaction, refused with the reasons where a record was changed since.

Users:
- `alice`, a curator, imports; `bob`, a curator, edits a record afterwards;
- `undoer`, a curator who may also undo imports (the permission is not a curator's by default);
- `admin_client`, the superuser, who may do anything.
"""

import threading
import time

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from claims.models import Claim, ClaimLink, Metal
from interchange import undo as undo_module
from interchange.models import ImportBatch, ImportRecord
from interchange.services import batch_undo, data_import
from interchange.undo import UndoRefused
from sources.models import Actor, Source
from tests.conftest import make_claim, make_source, make_user
from tests.import_helpers import DATA, row_counts, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_batches_before(db):
    # The demo data (loaded by other modules outside their tests' transactions) leaves its batch.
    ImportBatch.objects.all().delete()


@pytest.fixture
def alice():
    return make_user("curator", "alice")


@pytest.fixture
def undoer(client):
    user = make_user("curator", "undoer")
    user.user_permissions.add(
        Permission.objects.get(codename="undo_importbatch"),
        Permission.objects.get(codename="view_importbatch"),
    )
    client.force_login(user)
    return client


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def import_files(paths, user=None):
    report = data_import(paths=paths, user=user)
    assert report.ok, report.errors
    return ImportBatch.objects.order_by("-pk").first()


CURATOR_FILES = sorted((DATA / "curator").glob("*.csv"))


# --------------------------------------------------------------------------- the batch


def test_an_import_is_recorded_as_a_batch_with_who_what_and_how_many(alice):
    batch = import_files(CURATOR_FILES, user=alice)

    assert batch.user == alice
    assert batch.files == "actors.csv, sources.csv, metals.csv, questions.csv, claims.csv"
    assert batch.model_labels == (
        "sources.actor, sources.source, claims.metal, claims.question, claims.claim"
    )
    created = (
        Actor.objects.count() + Source.objects.count() + 1 + 2 + Claim.objects.count()
    )  # one metal group, two questions
    assert (batch.rows_created, batch.rows_updated, batch.rows_unchanged) == (created, 0, 0)
    assert batch.records.filter(action="+").count() == created
    claim = Claim.objects.get(ref="kazinform-deposit-ore")
    record = batch.records.get(object_id=claim.pk, content_type__model="claim")
    assert record.version == 1
    assert record.history_id == claim.history.get(history_type="+").history_id


def test_a_dry_run_or_a_failed_import_records_no_batch(tmp_path):
    assert data_import(paths=CURATOR_FILES, dry_run=True).ok
    bad = write(tmp_path, "actors.csv", "slug,name,kind\nx,X,no-such-kind\n")
    assert not data_import(paths=[bad]).ok

    assert not ImportBatch.objects.exists()
    assert not ImportRecord.objects.exists()


def test_a_confirmed_admin_import_is_a_batch_of_its_file_by_its_curator(admin_client):
    url = reverse("admin:sources_actor_import")
    content = (DATA / "curator" / "actors.csv").read_bytes()
    preview = admin_client.post(
        url,
        {"resource": "0", "format": "0", "import_file": SimpleUploadedFile("actors.csv", content)},
    )
    assert not ImportBatch.objects.exists()  # the preview writes nothing

    form = preview.context["confirm_form"]
    admin_client.post(reverse("admin:sources_actor_process_import"), {**form.initial})

    batch = ImportBatch.objects.get()
    assert (batch.files, batch.user.username, batch.rows_created) == ("actors.csv", "root", 3)


# --------------------------------------------------------------------------- undo


def test_undo_deletes_what_the_import_created_and_restores_what_it_changed(tmp_path, alice):
    import_files(CURATOR_FILES)
    before = snapshot()
    counts = row_counts()
    ore = Claim.objects.get(ref="kazinform-deposit-ore")
    version = ore.version
    changes = write(
        tmp_path,
        "claims.csv",
        "ref,source,quote,about,metals,value,unit,qualifier,question\n"
        "kazinform-deposit-ore,kazinform-2026-03-ree-deposit,"
        "The ministry estimates the deposit at 20 million tons of ore.,,Nd,21,Mt,about,"
        "kazakhstan-ree-deposit-ore\n"
        "brand-new,kazinform-2026-03-ree-deposit,A quote of its own.,,,,,,\n",
    )
    batch = import_files([changes], user=alice)
    ore.refresh_from_db()
    assert (ore.value, ore.version) == (21, version + 1)

    done = batch_undo(batch=batch, user=alice)

    assert done.deleted == {"claims.Claim": 1} and done.restored == {"claims.Claim": 1}
    assert not Claim.objects.filter(ref="brand-new").exists()
    ore.refresh_from_db()
    assert ore.value == 20 and ore.version == version + 2
    assert sorted(ore.about.values_list("slug", flat=True)) == ["government-of-kazakhstan"]
    assert sorted(ore.metals.values_list("symbol", flat=True)) == ["MAGNET", "REE"]
    # Every claim as before the import (versions aside: the undo is a change of its own).
    assert snapshot()["Claim"] == before["Claim"]
    # History: the restore and the delete, each with the undo as its reason and user.
    restored = ore.history.order_by("-history_id").first()
    reason = f"undo of import #{batch.pk} (claims.csv)"
    assert (restored.history_type, restored.history_change_reason) == ("~", reason)
    assert restored.history_user == alice
    assert sorted(restored.metals.values_list("metal__symbol", flat=True)) == ["MAGNET", "REE"]
    gone = Claim.history.filter(ref="brand-new").order_by("-history_id").first()
    assert (gone.history_type, gone.history_change_reason) == ("-", reason)
    batch.refresh_from_db()
    assert batch.undone is not None and batch.undone_by == alice
    history_rows = Claim.history.model._meta.label
    assert row_counts()[history_rows] == counts[history_rows] + 4  # import: + and ~; undo: ~, -


def test_undo_of_a_whole_import_into_an_empty_database_leaves_it_empty(alice):
    before = snapshot()
    batch = import_files(CURATOR_FILES, user=alice)

    batch_undo(batch=batch, user=alice)

    assert snapshot() == before
    assert not Metal.objects.filter(symbol="MAGNET").exists()


def test_undo_puts_back_the_links_an_import_replaced(tmp_path, alice):
    source = make_source(slug="s")
    a = make_claim(ref="a", source=source)
    b = make_claim(ref="b", source=source)
    c = make_claim(ref="c", source=source)
    kept = ClaimLink.objects.create(claim=a, kind="qualifies", target=b)
    path = write(tmp_path, "claims.csv", f"ref,source,quote,links\na,s,{a.quote},corrects:c\n")
    batch = import_files([path], user=alice)
    assert list(a.links.values_list("kind", "target__ref")) == [("corrects", "c")]

    done = batch_undo(batch=batch, user=alice)

    assert list(a.links.values_list("pk", "kind", "target__ref")) == [(kept.pk, "qualifies", "b")]
    assert done.recreated == {"claims.ClaimLink": 1}
    assert not ClaimLink.objects.filter(target=c).exists()


def test_undo_is_refused_when_a_record_was_changed_since_and_nothing_is_undone(tmp_path, alice):
    bob = make_user("curator", "bob")
    make_source(slug="s")
    path = write(tmp_path, "claims.csv", "ref,source,quote\nx,s,First.\ny,s,Second.\n")
    batch = import_files([path], user=alice)
    claim = Claim.objects.get(ref="x")
    claim.note = "Checked by hand."
    claim._history_user = bob
    claim.save()
    before = list(Claim.objects.order_by("ref").values())

    with pytest.raises(UndoRefused) as refusal:
        batch_undo(batch=batch, user=alice)

    (reason,) = refusal.value.reasons
    assert reason.startswith(
        "claim 'x' was changed since the import (version 2; the import left version 1), last by bob"
    )
    assert list(Claim.objects.order_by("ref").values()) == before
    batch.refresh_from_db()
    assert batch.undone is None


def test_undo_is_refused_when_a_record_made_since_refers_to_one_it_would_delete(tmp_path, alice):
    path = write(tmp_path, "sources.csv", "slug,title,kind\nnew-report,New report,report\n")
    batch = import_files([path], user=alice)
    make_claim(ref="later", source=Source.objects.get(slug="new-report"))

    with pytest.raises(UndoRefused) as refusal:
        batch_undo(batch=batch, user=alice)

    assert "source 'new-report' is referred to by claim #" in refusal.value.reasons[0]
    assert Source.objects.filter(slug="new-report").exists()


def test_an_import_is_undone_once(alice):
    batch = import_files(CURATOR_FILES, user=alice)
    batch_undo(batch=batch, user=alice)

    with pytest.raises(UndoRefused, match="was undone already, by alice"):
        batch_undo(batch=batch, user=alice)


def test_undo_of_an_earlier_import_waits_for_the_later_one_to_be_undone(tmp_path, alice):
    make_source(slug="s")
    path = write(tmp_path, "claims.csv", "ref,source,quote\nx,s,First.\n")
    first = import_files([path], user=alice)
    write(tmp_path, "claims.csv", 'ref,source,quote\nx,s,"First, corrected."\n')
    second = import_files([path], user=alice)

    with pytest.raises(UndoRefused, match="claim 'x' was changed since the import"):
        batch_undo(batch=first, user=alice)
    batch_undo(batch=second, user=alice)
    assert Claim.objects.get(ref="x").quote == "First."
    batch_undo(batch=first, user=alice)
    assert not Claim.objects.exists()


# --------------------------------------------------------------------------- the admin


def test_the_list_of_imports_is_read_only_and_runs_a_fixed_number_of_queries(
    admin_client, alice, django_assert_num_queries
):
    for n in range(3):
        ImportBatch.objects.create(files=f"file{n}.csv", user=alice, rows_created=n)
    url = reverse("admin:interchange_importbatch_changelist")

    # 1. the session, 2. its user, 3. the count of batches (the paginator), 4. the page of
    # batches with their users and undoers joined in.
    with django_assert_num_queries(4):
        response = admin_client.get(url)

    assert response.status_code == 200
    assert b"file2.csv" in response.content
    assert reverse("admin:interchange_importbatch_add").encode() not in response.content
    assert admin_client.get(reverse("admin:interchange_importbatch_add")).status_code == 403


def test_a_reader_sees_the_imports_but_cannot_undo_them(client, alice):
    batch = import_files(CURATOR_FILES, user=alice)
    reader = make_user("reader")
    reader.user_permissions.add(Permission.objects.get(codename="view_importbatch"))
    client.force_login(reader)
    change = reverse("admin:interchange_importbatch_change", args=[batch.pk])
    undo = reverse("admin:interchange_importbatch_undo", args=[batch.pk])

    page = client.get(change)

    assert page.status_code == 200 and undo.encode() not in page.content
    assert client.get(undo).status_code == 403
    assert client.post(undo).status_code == 403
    assert ImportBatch.objects.get().undone is None


def test_a_curator_allowed_to_undo_confirms_and_the_import_is_undone(undoer, alice):
    batch = import_files(CURATOR_FILES, user=alice)
    change = reverse("admin:interchange_importbatch_change", args=[batch.pk])
    undo = reverse("admin:interchange_importbatch_undo", args=[batch.pk])
    assert undo.encode() in undoer.get(change).content

    confirmation = undoer.get(undo)
    assert confirmation.status_code == 200
    assert b"claims created" in confirmation.content

    response = undoer.post(undo)

    assert response.status_code == 302 and response.url == change
    assert not Claim.objects.exists() and not Actor.objects.exists()
    assert undo.encode() not in undoer.get(change).content


def test_a_refused_undo_says_why_on_the_page(undoer, alice, tmp_path):
    make_source(slug="s")
    batch = import_files([write(tmp_path, "claims.csv", "ref,source,quote\nx,s,First.\n")])
    claim = Claim.objects.get()
    claim.note = "Edited."
    claim.save()

    response = undoer.post(reverse("admin:interchange_importbatch_undo", args=[batch.pk]))

    assert response.status_code == 409
    assert "This import cannot be undone: nothing was changed" in response.content.decode()
    assert "claim &#x27;x&#x27; was changed since the import" in response.content.decode()
    assert Claim.objects.get().note == "Edited."


@pytest.mark.parametrize("object_id", ["abc", "999999", "1.5"])
def test_the_undo_page_of_no_import_is_not_found(undoer, alice, object_id):
    url = reverse("admin:interchange_importbatch_undo", args=[object_id])

    assert undoer.get(url).status_code == 404
    assert undoer.post(url).status_code == 404


def test_the_undo_page_of_no_import_is_refused_to_a_user_who_may_not_undo(client):
    reader = make_user("reader")  # staff, who may see the imports but not undo them
    reader.user_permissions.add(Permission.objects.get(codename="view_importbatch"))
    client.force_login(reader)
    url = reverse("admin:interchange_importbatch_undo", args=["abc"])

    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403


# --------------------------------------------------------------------------- an undo and a save at once


def backend_waits_on_a_lock(pid):
    """Whether the PostgreSQL backend `pid` is waiting for a lock now."""
    with connection.cursor() as cursor:
        # pg_stat_activity is read once per transaction unless its snapshot is cleared.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return row is not None and row[0] == "Lock"


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs one writing transaction at a time: a save cannot come between an undo's "
    "check and its write there",
)
@pytest.mark.django_db(transaction=True)
def test_a_save_made_while_an_undo_runs_waits_for_it_and_is_not_overwritten(tmp_path, monkeypatch):
    """The undo reads the records it restores with their rows locked: a curator's save that comes
    between its check and its write waits for the undo to commit, then is saved over the undone
    record under the next version. (Unlocked, the save would commit first and the undo overwrite
    it with the state before the import, under the same version number.)"""
    make_source(slug="s")
    Claim.objects.create(ref="x", source=Source.objects.get(), quote="First.", note="Before.")
    batch = import_files(
        [write(tmp_path, "claims.csv", "ref,source,quote,note\nx,s,First.,Imported.\n")]
    )
    assert Claim.objects.get().version == 2
    backend, saved = [], threading.Event()

    def bob_saving():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                backend.append(cursor.fetchone()[0])
            claim = Claim.objects.get(ref="x")
            claim.note = "Edited by Bob."
            claim.save()
        finally:
            saved.set()
            connection.close()

    bobs = threading.Thread(target=bob_saving)
    restore = undo_module._Plan.restore

    def restore_once_bob_saves(plan, context, done):
        # Between the undo's check and its write: Bob saves, and (the rows locked) must wait.
        if not bobs.is_alive() and not saved.is_set():
            bobs.start()
            deadline = time.monotonic() + 10
            while not saved.is_set() and not (backend and backend_waits_on_a_lock(backend[0])):
                assert time.monotonic() < deadline, "Bob's save neither waited nor finished"
                saved.wait(0.01)
        return restore(plan, context, done)

    monkeypatch.setattr(undo_module._Plan, "restore", restore_once_bob_saves)

    batch_undo(batch=batch, user=None)
    bobs.join(timeout=10)

    claim = Claim.objects.get()
    assert (claim.note, claim.version) == ("Edited by Bob.", 4)
    versions = list(Claim.history.order_by("history_id").values_list("version", "note"))
    assert versions == [(1, "Before."), (2, "Imported."), (3, "Before."), (4, "Edited by Bob.")]
