"""The question summaries (QuestionSummary): the one place that refreshes and reads them.

1. `request_refresh` recomputes the summaries a write touched, at once in the write's transaction,
   or once at the end of a `summaries_refreshed_once()` block (the admin's bulk delete). The
   receivers in claims.signals call it for every save, delete and import.
2. `summarised` and `placements` read them for the pages, and never write: a summary missing or
   behind its claims (rows written around the signals) is shown as such until `refresh_summaries`
   repairs it.
3. `question_summaries_refresh` does the recomputing, from plain values; `stale_summaries` checks
   the stored summaries against it (refresh_summaries --check).
"""

import json
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from itertools import groupby
from operator import attrgetter
from typing import NamedTuple

from django.db import connections, transaction
from django.db.models import F
from django.db.models.query import ModelIterable
from django.utils import timezone

from core import dataversion
from core.prepared import Prepared

from . import comparison
from .comparison import VERDICT_ORDER
from .models import Claim, Question, QuestionSummary, VerdictChange

SUMMARY_BATCH = 200  # question summaries written per upsert

# The questions to recompute when the outermost summaries_refreshed_once() block ends: a set of
# ids, holding ALL when every summary is to be recomputed; None outside such a block.
_pending = ContextVar("pending_summaries", default=None)
ALL = "all"


@contextmanager
def summaries_refreshed_once():
    """Recompute the summaries touched inside the block once, when it ends, not once per record.

    For writes of many records at a time, such as the admin deleting hundreds of selected claims,
    which would otherwise recompute their questions once for every claim. The block must run
    inside the transaction of the writes, as the admin's actions do.
    """
    if _pending.get() is not None:  # an outer block recomputes them
        yield
        return
    pending = set()
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    request_refresh(None if ALL in pending else pending)


def request_refresh(question_ids=None):
    """Recompute the summaries of these questions (of every question when None): now, or when
    the enclosing summaries_refreshed_once() block ends."""
    if question_ids is not None:
        question_ids = {pk for pk in question_ids if pk is not None}
        if not question_ids:
            return
    pending = _pending.get()
    if pending is not None:
        pending.update(question_ids if question_ids is not None else [ALL])
        return
    # At once, in the same transaction as the change: a rolled-back save leaves no stale summary.
    question_summaries_refresh(question_ids=question_ids)


def summarised(questions):
    """The questions with their QuestionSummary, most contested first: one query, no write.

    Summaries are written with every change of what they are computed from (claims.signals), so
    a page view only reads them. A question that still has none (rows written around the app, by
    SQL or loaddata, until `refresh_summaries` repairs them) comes with `unsummarised(question)`.
    """
    # The lists show the verdict and counts; the placed claims are for the source page.
    questions = (
        questions.select_related("summary")
        .defer("summary__placements")
        # A question not summarised yet has no verdict order: last, on SQLite as on PostgreSQL.
        .order_by(
            F("summary__verdict_order").asc(nulls_last=True),
            "-summary__source_count",
            "title",
            "pk",
        )
    )
    # What each row becomes has no public hook; every slice, page and count made from this
    # queryset keeps the iterable (QuerySet._clone copies it), so no caller has to remember it.
    questions._iterable_class = _WithSummary
    return questions


class _WithSummary(ModelIterable):
    def __iter__(self):
        for question in super().__iter__():
            # select_related cached "no summary": hasattr reads the cache, it sends no query.
            if not hasattr(question, "summary"):
                question.summary = unsummarised(question)
            yield question


def unsummarised(question):
    """The unsaved summary a question without a stored one shows: no verdict (None) and no
    counts, which the pages word as "not summarised yet" rather than guess (display.badge)."""
    return QuestionSummary(
        question=question,
        verdict=None,
        verdict_order=None,
        claim_count=None,
        source_count=None,
        independent_origins=None,
        series=False,
        spread_open_low=False,
        spread_open_high=False,
    )


class Placements(NamedTuple):
    """A question's stored summary as a page comparing a few of its claims needs it: its verdict,
    and every public claim on it placed on its scale (comparison.Placed)."""

    verdict: comparison.Verdict
    placed: list


def placements(claims):
    """Question id -> its Placements, for the questions of `claims`: one query, no write.

    A question without a summary is left out, and a claim its summary lacks (both written around
    the app's signals, until `refresh_summaries` repairs them) has no standing: the pages show
    such claims without one, and never recompute a summary on a view.
    """
    shown = {claim.question_id for claim in claims if claim.question_id is not None}
    if not shown:
        return {}
    records = QuestionSummary.objects.filter(question__in=shown, placements__isnull=False)
    return {
        pk: Placements(
            comparison.Verdict(verdict),
            [comparison.placed_from_record(record) for record in placed],
        )
        for pk, verdict, placed in records.values_list("question", "verdict", "placements")
    }


def question_summaries_refresh(*, question_ids=None):
    """Recompute the QuestionSummary of these questions (of every question when None).

    Reads plain values, not model instances, so that all the questions of a large database are
    summarised in seconds:

    1. The questions' kind, unit and tolerance, each row locked (`_locked_questions`) before any
       claim is read, so that refreshes of one question run one after the other.
    2. The public claims filed under the questions, as comparison.Figure values with their
       origins (ClaimQuerySet.figures), in one query ordered by question, and handled one
       question at a time: holding every claim of a large database at once would make Python's
       garbage collector walk them all again and again (a full refresh at a million claims took
       half as long again; reading by batches of questions was slower still).
    3. Per question, each claim placed on its scale (kept as the summary's `placements`) and
       summarised (comparison.summarise_placed); the rows are upserted SUMMARY_BATCH at a time.
    """
    with transaction.atomic():
        batch = []
        for summary in _fresh_summaries(_locked_questions(question_ids), question_ids):
            batch.append(summary)
            if len(batch) == SUMMARY_BATCH:
                _write_summaries(batch)
                batch = []
        _write_summaries(batch)


def stale_summaries():
    """The ids of the questions whose stored summary differs from a fresh recompute of its claims
    (or that have none), in order, over every question: what `refresh_summaries --check` reports.

    Takes the same locks as a refresh, so that it never reports a summary that a transaction is
    just rewriting; it writes nothing.
    """
    with transaction.atomic():
        questions = _locked_questions(None)
        stored = QuestionSummary.objects.filter(question__in=list(questions))
        stored = {summary.question_id: summary for summary in stored}
        return sorted(
            summary.question_id
            for summary in _fresh_summaries(questions, None)
            if _summary_values(summary) != _summary_values(stored.get(summary.question_id))
        )


def _locked_questions(question_ids):
    """The questions to summarise by id, their rows locked until the transaction ends.

    Two transactions that each save a claim of one question would otherwise both recompute its
    summary at the same time, each without the other's uncommitted claim, and whichever wrote
    last would keep a summary that misses the other's change (seen: drafts left counted). With
    the lock, the second refresh waits for the first transaction to commit; under PostgreSQL's
    READ COMMITTED its claim query then sees every committed write. Rows are locked in id order,
    so two refreshes of several questions cannot deadlock each other. NO KEY UPDATE, the lock
    an UPDATE of the row itself takes, does not block the key-share lock that inserting a claim
    takes on its question. SQLite has no row locks and needs none: it runs one writer at a time.
    """
    questions = Question.objects.only(
        "kind", "unit", "tolerance", "drift", "lower_bound", "upper_bound"
    ).order_by("pk")
    if question_ids is not None:
        questions = questions.filter(pk__in=list(question_ids))
    return {question.pk: question for question in questions.select_for_update(no_key=True)}


def _fresh_summaries(questions, question_ids):
    """An unsaved QuestionSummary for each of `questions` (id → Question), from its claims; all
    claims are read when `question_ids` is None (no list of every id for the database to match)."""
    questions = dict(questions)
    claims = Claim.objects.public().filed()
    if question_ids is not None:
        claims = claims.filter(question__in=list(questions))
    rows = claims.order_by("question_id").figures(chunk_size=5000)
    # One question's few hundred claims read fast with any plan (a curator's save refreshes
    # one); many questions' are read by the hundred thousand (an import, a full refresh).
    with _planned_for_every_row(claims.db) if len(questions) > 1 else nullcontext():
        for pk, group in groupby(rows, key=attrgetter("question_id")):
            question = questions.pop(pk, None)
            if question is None:  # created since the questions were read: its own save does it
                continue
            yield _summary_of(question, list(group))
    for question in questions.values():  # no claims
        yield _summary_of(question, [])


@contextmanager
def _planned_for_every_row(alias):
    """Inside the block, PostgreSQL plans the cursors of `alias` for reading every row.

    It plans a cursor's query for its first tenth of rows by default (cursor_tuple_fraction):
    nested loops in the claims' order, where a refresh reads them all. Planned for all, a full
    refresh at a million claims took 5.6-6.0 s instead of 6.8-7.0 s (the claims' query 0.7 s
    instead of 1.4 s). The setting is the transaction's (a refresh runs in its write's), and
    put back after the block, so that the rest of that transaction plans as it did.
    """
    connection = connections[alias]
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        # The value before is read first: a materialised CTE is computed before the query
        # that reads it.
        cursor.execute(
            "WITH before AS MATERIALIZED (SELECT current_setting('cursor_tuple_fraction') AS v) "
            "SELECT v, set_config('cursor_tuple_fraction', '1', true) FROM before"
        )
        (before, _) = cursor.fetchone()
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('cursor_tuple_fraction', %s, true)", [before])


# What a summary says, as its row holds it: all of it but the time it was computed.
_SUMMARY_FIELDS = [
    f.attname
    for f in QuestionSummary._meta.concrete_fields
    if not f.primary_key and f.name != "computed"
]


def _summary_values(summary):
    if summary is None:
        return None
    values = {name: getattr(summary, name) for name in _SUMMARY_FIELDS}
    # As the database gives them back: placements as JSON lists, the spread as floats.
    values["placements"] = json.loads(json.dumps(values["placements"]))
    for name in ("spread_low", "spread_high"):
        if values[name] is not None:
            values[name] = float(values[name])
    return values


def _summary_of(question, claims):
    """The QuestionSummary of a question from its claims' ClaimFigures."""
    # In the question page's order (by publication, then ref), so that the source page names
    # "the first few" other claims in that order too.
    claims = sorted(claims, key=lambda claim: (claim.figure.source_published, claim.figure.ref))
    placed = comparison.place_figures(
        [claim.figure for claim in claims],
        kind=question.kind,
        unit=question.unit,
        bounds=question.bounds,
    )
    summary = comparison.summarise_placed(
        placed, tolerance=question.tolerance, drift=question.drift
    )
    spread = summary.spread or (None, None)
    return QuestionSummary(
        question_id=question.pk,
        verdict=str(summary.verdict),
        verdict_order=VERDICT_ORDER[summary.verdict],
        claim_count=len(claims),
        source_count=len({claim.source_id for claim in claims}),
        independent_origins=summary.independent_origins,
        series=summary.series,
        spread_low=spread[0],
        spread_high=spread[1],
        spread_open_low=summary.spread_open[0],
        spread_open_high=summary.spread_open[1],
        placements=[comparison.placed_record(claim) for claim in placed],
        computed=timezone.now(),
    )


def _write_summaries(summaries):
    """Upsert a batch of summaries, and log each verdict they change (_log_verdict_changes)."""
    if not summaries:
        return
    _log_verdict_changes(summaries)
    fields = [f.name for f in QuestionSummary._meta.concrete_fields if not f.primary_key]
    QuestionSummary.objects.bulk_create(
        summaries, update_conflicts=True, unique_fields=["question"], update_fields=fields
    )


def _log_verdict_changes(summaries):
    """A VerdictChange for each of `summaries` whose verdict differs from the stored one: one
    query for the stored verdicts of the batch, one bulk insert, in the summaries' transaction
    (a rolled-back write logs nothing). A question with no stored summary logs nothing: its
    first verdict changes none that anyone could have cited. The rows get their version after
    the commit (_publish_verdict_changes).

    One transaction logs one change a question at most, from the verdict it started with to
    the one it commits: a form that saves several claims refreshes the summary after each, and
    the verdicts in between were never committed, so nobody could have read or cited them.
    """
    fresh = {summary.question_id: summary.verdict for summary in summaries}
    stored = QuestionSummary.objects.filter(question__in=list(fresh)).values_list(
        "question", "verdict"
    )
    pending = _unpublished_verdict_changes()
    changed = {pk: old for pk, old in stored if old != fresh[pk]}
    amended = _amend(pending, {pk: fresh[pk] for pk in changed if pk in pending})
    now = timezone.now()
    new = [
        VerdictChange(question_id=pk, old_verdict=old, new_verdict=fresh[pk], at=now)
        for pk, old in changed.items()
        if pk not in amended
    ]
    for change in VerdictChange.objects.bulk_create(new):
        pending[change.question_id] = (change.pk, change.old_verdict)


def _amend(pending, verdicts):
    """Make each change already logged in this transaction for a question of `verdicts` end at
    its new verdict, or drop it where that is the verdict it started from: a few queries for a
    whole batch. Returns the questions so amended; a change whose row went with a rolled-back
    savepoint leaves `pending` and is not among them, so that a new one is logged."""
    if not verdicts:
        return set()
    logged = {pending[pk][0] for pk in verdicts}
    alive = set(VerdictChange.objects.filter(pk__in=logged).values_list("pk", flat=True))
    amended, dropped, ending = set(), [], {}
    for pk, verdict in verdicts.items():
        change_pk, first = pending[pk]
        if change_pk not in alive:
            del pending[pk]
            continue
        amended.add(pk)
        if verdict == first:
            del pending[pk]
            dropped.append(change_pk)
        else:
            ending.setdefault(verdict, []).append(change_pk)
    if dropped:
        VerdictChange.objects.filter(pk__in=dropped).delete()
    for verdict, changes in ending.items():
        VerdictChange.objects.filter(pk__in=changes).update(new_verdict=verdict)
    return amended


def _unpublished_verdict_changes():
    """The verdict changes the current transaction wrote, {question id: (change id, the verdict
    it started from)}: one per transaction, filled in by one UPDATE once it is published
    (dataversion.on_published).

    Kept on the connection with the entry its callback has in the connection's on-commit list:
    a rollback (of the transaction, or of the savepoint it was registered in) drops that entry,
    and the next write starts anew, registered anew.
    """
    connection = transaction.get_connection()
    pending, entry = getattr(connection, "verdict_changes_unpublished", (None, None))
    if pending is None or not any(each is entry for each in connection.run_on_commit):
        pending = {}
        dataversion.on_published(lambda version: _publish_verdict_changes(pending, version))
        connection.verdict_changes_unpublished = (pending, connection.run_on_commit[-1])
    return pending


def _publish_verdict_changes(pending, version):
    """Give the verdict changes `pending` wrote the data version that published their commit,
    and its time.

    One UPDATE for the whole transaction, in autocommit after the commit. It is a write, so it
    publishes a version of its own, one above `version`: a page rendered and cached between the
    commit and this UPDATE (under `version`, its log rows without a version yet) is not served
    again, and the page cache stays exact.
    """
    if pending:
        ids = [change_pk for change_pk, _ in pending.values()]
        VerdictChange.objects.filter(pk__in=ids).update(version=version.number, at=version.at)
        pending.clear()


def verdict_history(question):
    """The question's verdict changes as its JSON gives them, newest first (VerdictChange)."""
    return [
        {"version": version, "at": at.isoformat(), "old": old, "new": new}
        for version, at, old, new in _VERDICT_CHANGES(question_id=question.pk)
    ]


# Prepared (core.prepared): the JSON reads it on every first request after a write.
_VERDICT_CHANGES = Prepared(
    lambda question_id: (
        VerdictChange.objects.filter(question_id=question_id)
        .order_by("-pk")
        .values_list("version", "at", "old_verdict", "new_verdict")
    ),
    question_id=int,
)
