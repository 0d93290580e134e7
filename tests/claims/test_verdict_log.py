"""The verdict log (VerdictChange): each change of a question's verdict, with the data version that
published it, written by real committed writes; listed on the question's page, in its JSON and
read-only in the admin."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims.models import Claim, QuestionSummary, VerdictChange
from claims.summaries import SUMMARY_BATCH, question_summaries_refresh
from core import dataversion
from core.models import DataVersion
from interchange.models import ImportBatch
from interchange.services import batch_undo, data_import
from tests.conftest import make_claim, make_question


def logged(question):
    """(old, new) of each change of the question's verdict, oldest first."""
    rows = VerdictChange.objects.filter(question=question).order_by("pk")
    return [(change.old_verdict, change.new_verdict) for change in rows]


def committed(write):
    """Run `write` as one committed transaction; return the question's new log rows."""
    before = VerdictChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with transaction.atomic():
        write()
    return list(VerdictChange.objects.filter(pk__gt=before).order_by("pk"))


def _set(claim, **fields):
    for name, value in fields.items():
        setattr(claim, name, value)
    claim.save()


@pytest.mark.django_db(transaction=True)
def test_each_committed_write_that_moves_the_verdict_logs_it_with_the_version_that_published_it(
    tmp_path,
):
    question = make_question(tolerance=1, unit="%")
    draft = make_claim(question=question, value=50, unit="%", status=Claim.Status.DRAFT)
    assert logged(question) == []  # its first summary, and a draft
    make_claim(question=question, value=90, unit="%")
    # With no public claim a question is "not comparable" (its page says "no claims").
    assert logged(question) == [("not comparable", "single")]

    steps = [
        ("a close claim", lambda: make_claim(question=question, value=91, unit="%")),
        ("the draft checked", lambda: _set(draft, status=Claim.Status.CHECKED)),
        ("the checked draft deleted", lambda: Claim.objects.get(pk=draft.pk).delete()),
        (
            "a contradicting claim",
            lambda: make_claim(ref="far", question=question, value=20, unit="%"),
        ),
    ]
    expected = [
        ("single", "close"),
        ("close", "conflict"),
        ("conflict", "close"),
        ("close", "conflict"),
    ]
    versions = []
    for (name, write), change in zip(steps, expected, strict=True):
        (row,) = committed(write)
        assert (name, row.old_verdict, row.new_verdict) == (name, *change)
        # The version that published the commit; the UPDATE that wrote it in published the next.
        assert row.version == dataversion.current().number - 1, name
        assert DataVersion.objects.get(number=row.version).at == row.at
        versions.append(row.version)

    far = Claim.objects.get(ref="far")
    path = tmp_path / "claims.csv"
    path.write_text(
        "ref,source,quote,question,value,unit,status\n"
        f"far,{far.source.slug},{far.quote},{question.slug},90.5,%,checked\n",
        encoding="utf-8",
    )
    (row,) = committed(lambda: data_import(paths=[path]).ok or pytest.fail("import refused"))
    assert (row.old_verdict, row.new_verdict) == ("conflict", "close")
    assert row.version == dataversion.current().number - 1
    versions.append(row.version)
    batch = ImportBatch.objects.get()

    (row,) = committed(lambda: batch_undo(batch=batch, user=None))
    assert (row.old_verdict, row.new_verdict) == ("close", "conflict")
    assert row.version == dataversion.current().number - 1
    versions.append(row.version)

    # Drafts never count in a verdict: adding and changing them logs nothing.
    assert committed(lambda: make_claim(question=question, value=90, status="draft")) == []
    assert committed(lambda: _set(Claim.objects.get(status="draft"), value=91)) == []

    assert versions == sorted(set(versions))  # each change later than the one before
    assert logged(question) == [
        ("not comparable", "single"),
        *expected,
        ("conflict", "close"),
        ("close", "conflict"),
    ]
    assert not VerdictChange.objects.filter(version=None).exists()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_logs_nothing_and_the_next_commit_is_logged():
    question = make_question(tolerance=1, unit="%")
    make_claim(question=question, value=90, unit="%")

    first = logged(question)

    with pytest.raises(RuntimeError), transaction.atomic():
        make_claim(question=question, value=10, unit="%")
        assert logged(question) == [*first, ("single", "conflict")]  # inside, it is written
        raise RuntimeError("rolled back")

    assert logged(question) == first
    (row,) = committed(lambda: make_claim(question=question, value=10, unit="%"))
    assert (row.old_verdict, row.new_verdict, row.version) == (
        "single",
        "conflict",
        dataversion.current().number - 1,
    )


@pytest.mark.django_db(transaction=True)
def test_the_question_page_its_json_and_the_admin_list_the_changes_newest_first(client):
    question = make_question(tolerance=1, unit="%")
    make_claim(question=question, value=90, unit="%")
    (close,) = committed(lambda: make_claim(question=question, value=91, unit="%"))
    (conflict,) = committed(lambda: make_claim(question=question, value=10, unit="%"))

    html = client.get(question.get_absolute_url()).content.decode()
    history = html[html.index("<h2>Verdict history</h2>") :].split("</section>")[0]
    rows = history.split("<tr>")[2:]  # after the header's
    assert [("conflict" in rows[0], "close" in rows[1])] == [(True, True)]
    assert '<span class="badge close">close</span> → <span class="badge conflict">' in rows[0]
    # The badges' words, as on every page: a single origin is "one origin".
    assert '<span class="badge single">one origin</span> → <span class="badge close">' in rows[1]
    assert f'<td class="num">{conflict.version}</td>' in rows[0]
    assert dataversion.Version(close.version, close.at).as_of in rows[1]

    data = client.get(question.get_absolute_url(), {"format": "json"}).json()
    assert data["verdict_history"][:2] == [
        {"version": row.version, "at": row.at.isoformat(), "old": old, "new": new}
        for row, old, new in [(conflict, "close", "conflict"), (close, "single", "close")]
    ]
    assert data["verdict_history"][2]["old"] == "not comparable"  # before its first claim
    csv = client.get(question.get_absolute_url(), {"format": "csv"}).content.decode()
    assert "verdict_history" not in csv  # the CSV is the claims, as before

    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    page = client.get(f"/admin/claims/question/{question.pk}/change/").content.decode()
    log = page[page.index("Changes of its verdict, newest first") :].split("</table>")[0]
    rows = log.split("<tr>")[2:]  # after the header's
    assert [row.split("</td>")[1] for row in rows] == [
        "<td>close → conflict",
        "<td>one origin → close",  # the words of the public pages' badges
        "<td>not comparable → one origin",
    ]
    assert f"<td>{conflict.version}</td>" in rows[0]
    assert 'name="verdict_history"' not in page  # shown, not a field of the form


@pytest.mark.django_db
@pytest.mark.parametrize("questions", [3, 6])
def test_a_bulk_refresh_logs_every_change_with_one_insert_per_batch(questions):
    changed = [make_question(unit="%") for _ in range(questions)]
    for question in changed:
        make_claim(question=question, value=90, unit="%")
    # Stored as a conflict around the app: the refresh finds every verdict changed.
    QuestionSummary.objects.update(verdict="conflict")

    VerdictChange.objects.all().delete()  # each first claim's: "not comparable" to "single"
    with CaptureQueriesContext(connection) as run:
        question_summaries_refresh()

    inserts = [q["sql"] for q in run.captured_queries if "INSERT INTO" in q["sql"].upper()]
    logs = [sql for sql in inserts if VerdictChange._meta.db_table in sql]
    assert len(logs) == 1 and questions < SUMMARY_BATCH
    # 1. the questions locked, 2. the corrections between claims, 3. the claims, 4. their stored
    # verdicts, 5. whether the changes this (test's) transaction logged before are still there
    # (each first claim's, deleted above), 6. the log, 7. the upsert (and the savepoints around
    # them, in a test's transaction); on PostgreSQL also the planner's setting for the claims'
    # query, set before it and put back after (summaries._planned_for_every_row)
    planner = 2 if connection.vendor == "postgresql" else 0
    assert len([q for q in run.captured_queries if "SAVEPOINT" not in q["sql"]]) == 7 + planner
    assert sorted(logged(q) for q in changed) == [[("conflict", "single")]] * questions


@pytest.mark.django_db(transaction=True)
def test_one_transaction_logs_only_the_change_it_commits():
    """A form saving several claims refreshes the summary after each save: the verdicts in
    between were never committed, so the log has one change per transaction at most."""
    question = make_question(unit="%", tolerance=2)
    claim = make_claim(question=question, value=50, unit="%")
    make_claim(question=question, value=50, unit="%")
    before = logged(question)

    with transaction.atomic():  # there and back: nothing to log
        claim.value = 90
        claim.save()
        claim.value = 50
        claim.save()
    assert logged(question) == before

    with transaction.atomic():  # agree, conflict, close: one change, agree to close
        claim.value = 90
        claim.save()
        claim.value = 51
        claim.save()
    assert logged(question)[len(before) :] == [("agree", "close")]

    with transaction.atomic():  # a rolled-back savepoint takes its change with it
        try:
            with transaction.atomic():
                claim.value = 90
                claim.save()
                raise RuntimeError
        except RuntimeError:
            pass
        claim.refresh_from_db()
        claim.value = 50
        claim.save()
    assert logged(question)[len(before) :] == [("agree", "close"), ("close", "agree")]
    assert VerdictChange.objects.filter(question=question, version__isnull=True).count() == 0


@pytest.mark.django_db
def test_the_page_lists_the_newest_twenty_changes_and_the_json_every_one(client):
    question = make_question(unit="%")
    VerdictChange.objects.bulk_create(
        VerdictChange(
            question=question,
            old_verdict="agree" if n % 2 else "conflict",
            new_verdict="conflict" if n % 2 else "agree",
            at=timezone.now(),
            version=n,
        )
        for n in range(1, 26)
    )
    html = client.get(question.get_absolute_url()).content.decode()
    history = html[html.index("<h2>Verdict history</h2>") :].split("</section>")[0]
    assert history.count("<tr>") == 1 + 20  # the header's and the newest twenty
    assert '<td class="num">25</td>' in history and '<td class="num">5</td>' not in history
    assert "Earlier changes are in this page's JSON" in history
    data = client.get(question.get_absolute_url(), {"format": "json"}).json()
    assert [change["version"] for change in data["verdict_history"]] == list(range(25, 0, -1))
