"""Importing and exporting whole sets of interchange files: what the commands call.

import_data, export_data and load_demo come here; the admin imports one model at a time through the
same resources and the same file reader (interchange.formats), and undoes an import through
`batch_undo`. The files there are, and their
order, are those the apps registered (interchange.registry).
"""

import shutil
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from core.history import change_reason
from core.locks import lock_for_import

from . import registry
from .batches import recording
from .formats import (
    FileProblem,
    XlsxLimitError,
    count_rows,
    iter_table,
    stream_csv,
    stream_xlsx,
)
from .models import ImportBatch
from .problems import Problem
from .signals import records_imported
from .undo import UndoRefused, undo

EXTENSIONS = (".csv", ".xlsx")


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


def import_files_in_folder(folder):
    """The interchange files present in a folder (CSV or XLSX), in dependency order."""
    folder = Path(folder)
    return [
        folder / f"{stem}{extension}"
        for stem in registry.stems()
        for extension in EXTENSIONS
        if (folder / f"{stem}{extension}").is_file()
    ]


def data_import(*, paths, dry_run=False, progress=None, user=None):
    """Import interchange files (CSV or XLSX), all or nothing.

    1. Every file name must be a registered one (`registry.file_names()`: actors.csv …
       claims.csv, or .xlsx), each once.
    2. Files are imported in dependency order (actors before sources before claims …), so a
       claims.csv may refer to sources created by the sources.csv beside it; rows of earlier files
       are visible to later ones because everything runs in one transaction.
    3. Each file is read as a stream and its header checked before any of its rows; rows are
       checked and written in batches (InterchangeResource.import_rows, interchange/engine/),
       and every bad row is reported with its line, column and reason.
    4. If anything is wrong in any file, or on a dry run, the transaction is rolled back: the
       report still says what would have been created, updated and left unchanged.

    `progress(file_name, rows_done, rows_total)` is called after each row, if given. Every history
    row written records "import of <file name>" as its reason and `user`, if given, as its author.
    """
    report = ImportReport(dry_run=dry_run)
    resources = {file.stem: file.resource for file in registry.files()}
    by_stem = {}
    for path in map(Path, paths):
        if path.suffix.lower() not in EXTENSIONS or path.stem not in resources:
            file_report = FileReport(name=path.name)
            file_report.problems.append(
                Problem(
                    "not an interchange file: name it "
                    + ", ".join(registry.file_names())
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
    for stem in registry.stems():
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

    with transaction.atomic(), ExitStack() as stack:
        lock_for_import()  # concurrent imports queue rather than collide (core/locks.py)
        batch = None
        if not dry_run:
            # The batch an undo restores (interchange/batches.py); rolled back with the import.
            recorder = recording(files=[o[1].name for o in opened], user=user)
            batch = stack.enter_context(recorder).batch
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
            # Bulk writes send no post_save: what the apps derive from the records (question
            # summaries) is redone by the receivers of this signal, in the import's transaction.
            records_imported.send(sender=None, batch=batch)
    return report


def batch_undo(*, batch, user):
    """Undo an import: every record it created deleted, every record it changed or deleted put
    back as it was before (interchange/undo.py), in one transaction; returns undo.Undone.

    Raises UndoRefused, with every reason, and changes nothing, when the import was undone
    already or any of its records was changed since (a curator's edit, a later import). The undo
    queues behind imports (core/locks.py), records "undo of import #N (files)" and `user` in the
    history of every record it writes, bumps their versions, and sends `records_imported` so that
    what the apps derive (question summaries) is recomputed.
    """
    with transaction.atomic():
        lock_for_import()
        batch = (
            ImportBatch.objects.select_for_update(of=("self",))
            .select_related("undone_by")
            .get(pk=batch.pk)
        )
        if batch.undone is not None:
            when = timezone.localtime(batch.undone).strftime("%Y-%m-%d %H:%M")
            who = batch.undone_by or "a command"
            raise UndoRefused([f"{batch} was undone already, by {who} on {when}"])
        reason = f"undo of import #{batch.pk} ({batch.files})"
        with change_reason(reason, user=user):
            done = undo(batch, user=user, reason=reason)
        batch.undone = timezone.now()
        batch.undone_by = user if getattr(user, "pk", None) else None
        batch.save(update_fields=["undone", "undone_by"])
        records_imported.send(sender=None, batch=batch)
    return done


def data_export(*, folder, file_format="csv", only=None):
    """Write the whole database to `folder` and return the paths written.

    csv and xlsx write every registered interchange file (`registry.files()`), or
    the ones named in `only`, which `data_import` reads back into the same database. Rows are
    streamed to the file (InterchangeResource.export_rows), so memory stays flat on a large table.
    csl-json and bibtex write the sources as a reference list (sources.json, sources.bib).

    All or nothing: the files are written to a new hidden folder beside `folder` (on the same
    file system, so that moving them is a rename) and moved into `folder` only once every one is
    written; on any failure `folder` is as it was (not even created). A value no XLSX cell holds
    raises XlsxLimitError naming every such record of every file.
    """
    formats = registry.export_formats()
    if file_format not in formats:
        raise ValueError(f"unknown export format '{file_format}': use {', '.join(formats)}")
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
    if file_format not in registry.FILE_FORMATS:
        export = registry.export(file_format)  # csl-json, bibtex: registered by the sources app
        (folder / export.file_name).write_text(export.write(), encoding="utf-8")
        return [export.file_name]
    names, refused = [], []
    for file in registry.files():
        stem = file.stem
        if only and stem not in only:
            continue
        rows = file.resource().export_rows()
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


def write_report(command, report):
    """One summary line per file, then every error; shared with load_demo."""
    for file_report in report.files:
        command.stdout.write(
            f"{file_report.name}: {file_report.created} created, {file_report.updated} updated, "
            f"{file_report.unchanged} unchanged, {len(file_report.problems)} errors"
        )
    for error in report.errors:
        command.stderr.write(error)
    if report.ok:
        if report.dry_run:
            command.stdout.write("Dry run: nothing was saved.")
        else:
            command.stdout.write(command.style.SUCCESS("Imported."))
