"""Writes that touch several models: importing a set of interchange CSV files in one transaction."""

from dataclasses import dataclass, field
from pathlib import Path

import tablib
from django.db import transaction

from sources.resources import ActorResource, SourceResource

from .resources import ClaimResource, MetalResource, QuestionResource

# Dependency order: a file may only refer to records of files before it (and to itself, for
# actor parents and metal groups, whose rows must come after the rows they refer to).
IMPORT_ORDER = (
    ("actors.csv", ActorResource),
    ("sources.csv", SourceResource),
    ("metals.csv", MetalResource),
    ("questions.csv", QuestionResource),
    ("claims.csv", ClaimResource),
)
FILE_NAMES = tuple(name for name, _ in IMPORT_ORDER)


class ImportFileError(ValueError):
    """A file that cannot be read as an interchange CSV at all."""


@dataclass
class FileReport:
    name: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def rows(self):
        return self.created + self.updated + self.unchanged


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


def read_csv(path):
    """Read a UTF-8 CSV file (with or without a byte-order mark) into a tablib Dataset."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            f"{Path(path).name}: the file is not UTF-8 text ({error.reason})."
        ) from None
    dataset = tablib.Dataset()
    if text.strip():
        dataset.load(text, format="csv")
    return dataset


def import_files_in_folder(folder):
    """The interchange files present in a folder, in dependency order."""
    folder = Path(folder)
    return [folder / name for name in FILE_NAMES if (folder / name).is_file()]


def data_import(*, paths, dry_run=False):
    """Import interchange CSV files, all or nothing.

    1. Files are imported in dependency order (actors before sources before claims …), so a
       claims.csv may refer to sources created by the sources.csv beside it.
    2. Everything runs in one transaction; rows of earlier files are visible to later ones.
    3. If any row of any file is invalid, or on a dry run, the transaction is rolled back: the
       report still says what would have been created, updated and left unchanged.
    """
    resources = dict(IMPORT_ORDER)
    ordered = sorted(paths, key=lambda p: FILE_NAMES.index(Path(p).name))
    report = ImportReport(dry_run=dry_run)
    with transaction.atomic():
        for path in ordered:
            name = Path(path).name
            file_report = FileReport(name=name)
            report.files.append(file_report)
            try:
                dataset = read_csv(path)
            except ImportFileError as error:
                file_report.errors.append(str(error))
                continue
            resource = resources[name]()
            result = resource.import_data(
                dataset, dry_run=False, raise_errors=False, use_transactions=False
            )
            _tally(result, file_report)
        if not report.ok or dry_run:
            transaction.set_rollback(True)
    return report


def _tally(result, file_report):
    totals = result.totals
    file_report.created = totals.get("new", 0)
    file_report.updated = totals.get("update", 0)
    file_report.unchanged = totals.get("skip", 0)
    for error in result.base_errors:
        file_report.errors.append(f"{file_report.name}: {error.error}")
    for number, errors in result.row_errors():
        for error in errors:
            file_report.errors.append(f"{file_report.name} line {number + 1}: {error.error}")
    for row in result.invalid_rows:
        for column, messages in row.error_dict.items():
            for message in messages:
                file_report.errors.append(
                    f"{file_report.name} line {row.number + 1}, column {column}: {message}"
                )
