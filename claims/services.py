"""Writes that touch several models: importing and exporting interchange files, importing Zotero.

Called by the commands (import_data, export_data, load_demo, import_zotero); the admin imports one
model at a time through the same resources and the same file reader (sources.formats).
"""

import json
import shutil
import tempfile
from dataclasses import dataclass, field
from itertools import groupby
from operator import attrgetter
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from core.history import change_reason
from core.locks import lock_for_import
from sources.citations import to_bibtex, to_csl_json, zotero_sources
from sources.formats import (
    FileProblem,
    XlsxLimitError,
    count_rows,
    iter_table,
    read_table,
    stream_csv,
    stream_xlsx,
)
from sources.models import Actor, Source
from sources.resources import ActorResource, Problem, SourceResource

from . import comparison
from .display import VERDICT_ORDER
from .models import Claim, Question, QuestionSummary
from .resources import ClaimResource, MetalResource, QuestionResource

# Dependency order: a file may only refer to records of files before it (and to itself, for
# actor parents and metal groups, whose rows must come after the rows they refer to).
IMPORT_ORDER = (
    ("actors", ActorResource),
    ("sources", SourceResource),
    ("metals", MetalResource),
    ("questions", QuestionResource),
    ("claims", ClaimResource),
)
STEMS = tuple(stem for stem, _ in IMPORT_ORDER)
FILE_NAMES = tuple(f"{stem}.csv" for stem in STEMS)
EXTENSIONS = (".csv", ".xlsx")
EXPORT_FORMATS = ("csv", "xlsx", "csl-json", "bibtex")
SUMMARY_BATCH = 200  # question summaries written per upsert


@dataclass
class FileReport:
    name: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def rows(self):
        return self.created + self.updated + self.unchanged

    @property
    def errors(self):
        return [
            f"{self.name} {problem}" if problem.line else f"{self.name}: {problem}"
            for problem in self.problems
        ]


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)
    dry_run: bool = False

    @property
    def errors(self):
        return [error for report in self.files for error in report.errors]

    @property
    def ok(self):
        return not self.errors

    @property
    def applied(self):
        return self.ok and not self.dry_run


def import_files_in_folder(folder):
    """The interchange files present in a folder (CSV or XLSX), in dependency order."""
    folder = Path(folder)
    return [
        folder / f"{stem}{extension}"
        for stem in STEMS
        for extension in EXTENSIONS
        if (folder / f"{stem}{extension}").is_file()
    ]


def data_import(*, paths, dry_run=False, progress=None, user=None):
    """Import interchange files (CSV or XLSX), all or nothing.

    1. Every file name must be one of the five (actors.csv … claims.csv, or .xlsx), each once.
    2. Files are imported in dependency order (actors before sources before claims …), so a
       claims.csv may refer to sources created by the sources.csv beside it; rows of earlier files
       are visible to later ones because everything runs in one transaction.
    3. Each file is read as a stream and its header checked before any of its rows; rows are
       checked and written in batches (InterchangeResource.import_rows, sources/bulk_import.py),
       and every bad row is reported with its line, column and reason.
    4. If anything is wrong in any file, or on a dry run, the transaction is rolled back: the
       report still says what would have been created, updated and left unchanged.

    `progress(file_name, rows_done, rows_total)` is called after each row, if given. Every history
    row written records "import of <file name>" as its reason and `user`, if given, as its author.
    """
    report = ImportReport(dry_run=dry_run)
    resources = dict(IMPORT_ORDER)
    by_stem = {}
    for path in map(Path, paths):
        if path.suffix.lower() not in EXTENSIONS or path.stem not in resources:
            file_report = FileReport(name=path.name)
            file_report.problems.append(
                Problem(
                    "not an interchange file: name it "
                    + ", ".join(FILE_NAMES)
                    + " (or the same names ending in .xlsx)"
                )
            )
            report.files.append(file_report)
        elif path.stem in by_stem:
            file_report = FileReport(name=path.name)
            file_report.problems.append(
                Problem(f"{by_stem[path.stem].name} is there too: keep one")
            )
            report.files.append(file_report)
        else:
            by_stem[path.stem] = path
    if not report.ok:
        return report

    # Each file's shape (readable, its header, its width) is checked before the transaction, so a
    # file that cannot be imported holds no lock and keeps no other import waiting.
    opened = []
    for stem in STEMS:
        if stem not in by_stem:
            continue
        path = by_stem[stem]
        file_report = FileReport(name=path.name)
        report.files.append(file_report)
        try:
            data = path.read_bytes()
            header, rows = iter_table(data, name="the file")
            total = count_rows(data) if progress else 0
        except FileProblem as error:
            file_report.problems.append(Problem(str(error)))
            continue
        except OSError as error:
            file_report.problems.append(Problem(f"cannot be read ({error.strerror})"))
            continue
        opened.append((stem, path, file_report, header, rows, total))

    with transaction.atomic():
        lock_for_import()  # concurrent imports queue rather than collide (core/locks.py)
        for stem, path, file_report, header, rows, total in opened:
            on_row = None
            if progress:

                def on_row(done, total, name=path.name):
                    progress(name, done, total)

            resource = resources[stem](progress=on_row)
            try:
                with change_reason(f"import of {path.name}", user=user):
                    result = resource.import_rows(header, rows, total=total)
            except FileProblem as error:
                # A row further down cannot be read: that is the file's one problem.
                file_report.problems.append(Problem(str(error)))
                continue
            file_report.created = result.created
            file_report.updated = result.updated
            file_report.unchanged = result.unchanged
            file_report.problems.extend(result.problems)
            if progress and file_report.rows:
                # The total was an estimate (count_rows): the bar ends at the rows there were.
                progress(path.name, file_report.rows, file_report.rows)
        if not report.ok or dry_run:
            transaction.set_rollback(True)
        elif any(f.created or f.updated for f in report.files):
            # Bulk writes send no signals (claims.signals): the summaries are redone here, in the
            # import's transaction, all of them since an actor's or source's key may have changed.
            question_summaries_refresh()
    return report


def data_export(*, folder, file_format="csv", only=None):
    """Write the whole database to `folder` and return the paths written.

    csv and xlsx write the five interchange files (actors, sources, metals, questions, claims), or
    the ones named in `only`, which `data_import` reads back into the same database. Rows are
    streamed to the file (InterchangeResource.export_rows), so memory stays flat on a large table.
    csl-json and bibtex write the sources as a reference list (sources.json, sources.bib).

    All or nothing: the files are written to a new hidden folder beside `folder` (on the same
    file system, so that moving them is a rename) and moved into `folder` only once every one is
    written; on any failure `folder` is as it was (not even created). A value no XLSX cell holds
    raises XlsxLimitError naming every such record of every file.
    """
    if file_format not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format '{file_format}': use {', '.join(EXPORT_FORMATS)}")
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        names = _export_files(staging, file_format, only)
        folder.mkdir(exist_ok=True)
        for name in names:
            (staging / name).replace(folder / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [folder / name for name in names]


def _export_files(folder, file_format, only):
    """Write data_export's files into `folder`; returns their names."""
    if file_format in ("csl-json", "bibtex"):
        sources = Source.objects.with_related().order_by("slug")
        if file_format == "csl-json":
            name, content = "sources.json", to_csl_json(sources)
        else:
            name, content = "sources.bib", to_bibtex(sources)
        (folder / name).write_text(content, encoding="utf-8")
        return [name]
    names, refused = [], []
    for stem, resource_class in IMPORT_ORDER:
        if only and stem not in only:
            continue
        rows = resource_class().export_rows()
        name = f"{stem}.{file_format}"
        if file_format == "csv":
            with open(folder / name, "w", encoding="utf-8", newline="") as handle:
                stream_csv(rows, handle)
        else:
            try:
                with open(folder / name, "wb") as handle:
                    stream_xlsx(rows, handle, title=stem)
            except XlsxLimitError as error:
                # The other files are still read, so that one message names every record.
                refused.extend(f"{stem} {record}" for record in error.records)
        names.append(name)
    if refused:
        raise XlsxLimitError(refused)
    return names


@dataclass
class ZoteroReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    publishers_created: int = 0
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False

    @property
    def errors(self):
        return [str(problem) for problem in self.problems]

    @property
    def ok(self):
        return not self.problems


def zotero_import(*, path, dry_run=False):
    """Import a Zotero CSV export as Sources, all or nothing.

    1. The file is read like any interchange file (UTF-8 or XLSX, any separator); each item
       becomes source fields (sources.citations.zotero_sources), or a problem for its line.
    2. An item whose URL is already a source's fills in what that source lacks and never overwrites
       a curator's value; an item without a URL matches a source of the same slug (made from the
       first author, the year and the title). Anything else is a new source.
    3. The publication (“Publication Title”, or “Publisher”) becomes the publisher: an actor of that
       name or alias, else a new actor.
    4. Any problem, or a dry run, rolls everything back.
    """
    report = ZoteroReport(dry_run=dry_run)
    try:
        dataset = read_table(Path(path).read_bytes(), name="the file")
        items = zotero_sources(dataset)
    except FileProblem as error:
        report.problems.append(Problem(str(error)))
        return report
    with transaction.atomic():
        publishers = {}
        for item in items:
            if item.problems:
                report.problems.extend(item.problems)
                continue
            _zotero_item(item, report, publishers)
        if not report.ok or dry_run:
            transaction.set_rollback(True)
    return report


def _zotero_item(item, report, publishers):
    fields = dict(item.fields)
    publication = fields.pop("publication", "")
    source = None
    if fields.get("url"):
        source = Source.objects.filter(url=fields["url"]).first()
    if source is None and not fields.get("url"):
        source = Source.objects.filter(slug=fields["slug"], url="").first()
    if source is None:
        fields["slug"] = _free_slug(fields["slug"])
        source = Source(**fields)
        if publication:
            source.publisher = _publisher(publication, item.news, report, publishers)
        return _save_source(source, item, report, created=True)
    changed = False
    for name, value in fields.items():
        if name != "slug" and value not in ("", None) and getattr(source, name) in ("", None):
            setattr(source, name, value)
            changed = True
    if publication and source.publisher_id is None:
        source.publisher = _publisher(publication, item.news, report, publishers)
        changed = True
    if changed:
        return _save_source(source, item, report, created=False)
    report.unchanged += 1


def _save_source(source, item, report, *, created):
    from django.core.exceptions import ValidationError

    try:
        source.full_clean()
    except ValidationError as error:
        for column, messages in error.message_dict.items():
            for message in messages:
                report.problems.append(Problem(message, line=item.line, column=column))
        return
    source.save()
    if created:
        report.created += 1
    else:
        report.updated += 1


def _free_slug(slug):
    candidate, n = slug, 2
    while Source.objects.filter(slug=candidate).exists():
        suffix = f"-{n}"
        candidate, n = slug[: 120 - len(suffix)] + suffix, n + 1
    return candidate


def _publisher(name, news, report, publishers):
    from django.db.models import Q
    from django.utils.text import slugify

    if name in publishers:
        return publishers[name]
    actor = Actor.objects.filter(Q(name__iexact=name) | Q(slug=slugify(name))).first()
    if actor is None:
        # Aliases are one per line: match a whole line, not a part of one.
        for candidate in Actor.objects.filter(aliases__icontains=name):
            if name.lower() in (alias.lower() for alias in candidate.alias_list):
                actor = candidate
                break
    if actor is None:
        slug, n = slugify(name)[:100] or "publisher", 2
        base = slug
        while Actor.objects.filter(slug=slug).exists():
            slug, n = f"{base[:95]}-{n}", n + 1
        actor = Actor.objects.create(
            name=name[:200],
            slug=slug,
            kind=Actor.Kind.MEDIA if news else Actor.Kind.ORGANISATION,
        )
        report.publishers_created += 1
    publishers[name] = actor
    return actor


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


def stale_summaries(*, question_ids=None):
    """The ids of the questions whose stored summary differs from a fresh recompute of its claims
    (or that have none), in order: what `refresh_summaries --check` reports.

    Takes the same locks as a refresh, so that it never reports a summary that a transaction is
    just rewriting; it writes nothing.
    """
    with transaction.atomic():
        questions = _locked_questions(question_ids)
        stored = QuestionSummary.objects.filter(question__in=list(questions))
        stored = {summary.question_id: summary for summary in stored}
        return sorted(
            summary.question_id
            for summary in _fresh_summaries(questions, question_ids)
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
    questions = Question.objects.only("kind", "unit", "tolerance").order_by("pk")
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
    rows = claims.order_by("question_id").figures("source__published", chunk_size=5000)
    for pk, group in groupby(rows, key=attrgetter("question_id")):
        question = questions.pop(pk, None)
        if question is None:  # created since the questions were read: its own save refreshes it
            continue
        yield _summary_of(question, list(group))
    for question in questions.values():  # no claims
        yield _summary_of(question, [])


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
    """The QuestionSummary of a question from its claims' ClaimFigures (read with the source's
    publication date)."""
    # In the question page's order (by publication, then ref), so that the source page names
    # "the first few" other claims in that order too.
    claims = sorted(claims, key=lambda claim: (claim.extra[0], claim.figure.ref))
    placed = comparison.place_figures(
        [claim.figure for claim in claims], kind=question.kind, unit=question.unit
    )
    summary = comparison.summarise_placed(placed, tolerance=question.tolerance)
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
    if not summaries:
        return
    fields = [f.name for f in QuestionSummary._meta.concrete_fields if not f.primary_key]
    QuestionSummary.objects.bulk_create(
        summaries, update_conflicts=True, unique_fields=["question"], update_fields=fields
    )
