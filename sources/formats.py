"""Reading and writing interchange files as people make them: CSV (comma, semicolon or tab) and XLSX.

One reader for the admin and the command line alike, so a file that imports in one imports in the
other. `read_table` turns the bytes of an uploaded or local file into a tablib Dataset:

1. An XLSX workbook is recognised by its content (a zip archive), not by its name; its first sheet
   is read, numbers and dates become the text a curator typed.
2. Anything else must be UTF-8 text, with or without a byte-order mark. A file with NUL bytes is
   binary; UTF-16 (Excel's "Unicode text") and other encodings are refused with a plain reason.
3. The separator is read off the header line: the most frequent of comma, semicolon and tab.
   Windows line endings are fine; line breaks inside quoted cells are kept as they are.
4. Cells that an export neutralised with a leading apostrophe (see `neutralise`) get it back off.

Each data row remembers the line it starts on, so errors name the line a curator sees in an editor
(a spreadsheet's row number when no cell holds a line break).
"""

import csv
import datetime
import io
import re

import tablib
from import_export.formats import base_formats

SEPARATORS = (",", ";", "\t")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection";
# tab and carriage return are on OWASP's list too).
_FORMULA_START = re.compile(r"^'*[=+\-@\t\r]")
_NEUTRALISED = re.compile(r"^'+[=+\-@\t\r]")
# A plain number is not a formula, and a spreadsheet reads it as a number: "-5" stays "-5".
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


class FileProblem(ValueError):
    """A file that cannot be read as a table at all; the message says why, in plain words."""


def neutralise(value):
    """Make a cell safe to open in a spreadsheet: a leading `=`, `+`, `-` or `@` gets an apostrophe.

    Apostrophes already in front of such a character get one more, so `restore` can always take
    exactly one off and every text survives an export and a re-import unchanged. Plain numbers
    (`-5`, `-0.25`) are left alone: they are numbers, not formulas.
    """
    if isinstance(value, str) and _FORMULA_START.match(value) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def restore(value):
    """Undo `neutralise`: take one apostrophe off a cell like `'=…`, `'-…` or `''@…`."""
    if _NEUTRALISED.match(value):
        return value[1:]
    return value


def read_table(data, *, name="the file"):
    """Read CSV or XLSX bytes into a Dataset with `line_numbers` (one per row); see module doc."""
    header, rows = iter_table(data, name=name)
    kept_rows, kept_lines = [], []
    for line, row in rows:
        kept_rows.append(row)
        kept_lines.append(line)
    dataset = tablib.Dataset(*kept_rows, headers=header)
    dataset.line_numbers = kept_lines
    return dataset


def iter_table(data, *, name="the file"):
    """The header and an iterator of (line, cells) for CSV or XLSX bytes, read as a stream.

    The same rules as `read_table`; a problem found in a row (too many cells, a value in a column
    without a name) raises FileProblem when the iteration reaches that row.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    if data[:4] == b"PK\x03\x04":
        header, rows = _xlsx_rows(data, name)
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FileProblem(
            f"{name} is an old Excel .xls workbook: save it as .xlsx or as “CSV UTF-8” and try again."
        )
    else:
        header, rows = _csv_rows(_decode(data, name), name)
    return _table(header, rows, name)


def count_rows(data):
    """About how many data rows `iter_table` will give, for a progress bar.

    For CSV, the line breaks after the header: a cell holding a line break or a blank line makes
    it a little high, which a progress bar can bear, and it costs a scan of the bytes instead of a
    second parse of the file. XLSX rows are counted by reading them.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    if data[:4] == b"PK\x03\x04":
        return sum(1 for _ in iter_table(data)[1])
    return max(0, data.rstrip(b"\r\n").count(b"\n"))


def _decode(data, name):
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise FileProblem(
            f"{name} is UTF-16 text (Excel's “Unicode text”): save it as “CSV UTF-8” and try again."
        )
    if b"\x00" in data:
        raise FileProblem(
            f"{name} is not a text file (it holds binary data): upload a CSV or XLSX."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FileProblem(
            f"{name} is not UTF-8 text (byte 0x{data[error.start]:02x} on line {line}): "
            "save it as “CSV UTF-8” and try again."
        ) from None
    if re.search(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]", text[:10000]):
        raise FileProblem(f"{name} is not a text file (it holds control characters).")
    return text


def _separator(text):
    first_line = text.split("\n", 1)[0]
    counts = {sep: first_line.count(sep) for sep in SEPARATORS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _csv_rows(text, name):
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(text), strict=True)
    try:
        header = next(reader, [])
    except csv.Error as error:
        raise FileProblem(
            f"{name} is not a well-formed CSV file (line {reader.line_num}: {error})."
        ) from None

    def rows():
        start = reader.line_num + 1
        try:
            for record in reader:
                yield start, [restore(cell) for cell in record]
                start = reader.line_num + 1
        except csv.Error as error:
            raise FileProblem(
                f"{name} is not a well-formed CSV file (line {reader.line_num}: {error})."
            ) from None

    return header, rows()


def _xlsx_rows(data, name):
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error for a damaged archive
        raise FileProblem(f"{name} is not a readable XLSX workbook.") from None
    try:
        cells = [
            [_xlsx_text(value) for value in row] for row in book.active.iter_rows(values_only=True)
        ]
    finally:
        book.close()
    if not cells:
        return [], iter(())
    return cells[0], zip(range(2, len(cells) + 1), cells[1:], strict=True)


def _xlsx_text(value):
    """The text a curator typed, for a value openpyxl read from a cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return restore(str(value))


def _table(header, rows, name):
    header = [str(cell).strip() for cell in header]
    if not any(header):
        raise FileProblem(f"{name} is empty: it needs a header row naming its columns.")
    width = len(header)
    # A spreadsheet often saves empty columns after the last one: dropped, but only when empty.
    unnamed = [i for i, column in enumerate(header) if not column]
    keep = [i for i, column in enumerate(header) if column]

    def kept():
        for line, row in rows:
            if not any(cell.strip() for cell in row):
                continue  # blank lines and a spreadsheet's empty rows mean nothing
            if len(row) > width:
                if any(cell.strip() for cell in row[width:]):
                    raise FileProblem(
                        f"line {line} has {len(row)} cells but the header names {width} columns."
                    )
                row = row[:width]
            elif len(row) < width:
                row = row + [""] * (width - len(row))
            for i in unnamed:
                if row[i].strip():
                    raise FileProblem(f"column {i + 1} has values but no name in the header row.")
            yield line, [row[i] for i in keep] if unnamed else row

    return [header[i] for i in keep], kept()


# --------------------------------------------------------------------------- writing


def write_csv(dataset, *, bom=False):
    """A Dataset as CSV text: comma-separated, `\\n` line ends, formula-like cells neutralised."""
    out = io.StringIO()
    if bom:
        out.write("\ufeff")
    stream_csv(_dataset_rows(dataset), out)
    return out.getvalue()


def stream_csv(rows, handle):
    """Write rows (the first one the header) to a text file as `write_csv` does, one at a time."""
    writer = csv.writer(handle, lineterminator="\n")
    rows = iter(rows)
    writer.writerow(next(rows))
    writer.writerows(map(_csv_cells, rows))


# What a cell must start with for `neutralise` to change it: a cheap test that spares nearly every
# cell of a large export the regular expressions.
_RISKY_START = frozenset("'=+-@\t\r")


def _csv_cells(row):
    """A row's cells as `neutralise(_cell(value))` gives them, at a fraction of the calls."""
    cells = ["" if value is None else str(value) for value in row]
    return [neutralise(text) if text[:1] in _RISKY_START else text for text in cells]


def write_xlsx(dataset, *, title="data"):
    """A Dataset as an XLSX workbook (bytes); see `stream_xlsx`."""
    out = io.BytesIO()
    stream_xlsx(_dataset_rows(dataset), out, title=title)
    return out.getvalue()


def stream_xlsx(rows, handle, *, title="data"):
    """Write rows (the first one the header) to a binary file as an XLSX workbook.

    Every cell is written as text, except numbers that a spreadsheet holds exactly (a float reads
    back as the same digits): text cells keep leading zeros and partial dates such as `2025-11`,
    and a figure such as 28.5 is still a number to sort and sum. Formula-like text is neutralised.
    openpyxl's write-only mode keeps memory flat however many rows there are.
    """
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    rows = iter(rows)
    sheet.append(list(next(rows)))
    for row in rows:
        sheet.append([_xlsx_cell(_cell(value)) for value in row])
    book.save(handle)


def _dataset_rows(dataset):
    yield dataset.headers
    yield from dataset


def _cell(value):
    return "" if value is None else str(value)


def _xlsx_cell(text):
    if _PLAIN_NUMBER.match(text) and len(text) <= 15:
        if "." not in text:
            if str(int(text)) == text:  # not "007"
                return int(text)
        elif repr(float(text)) == text:  # not "28.50" or more digits than a float holds
            return float(text)
    return neutralise(text)


# --------------------------------------------------------------------------- admin formats


class InterchangeCSV(base_formats.CSV):
    """CSV for the admin: read by `read_table` (so bytes in, any separator), written neutralised."""

    def get_title(self):
        return "csv"

    def is_binary(self):
        # The raw bytes reach `read_table`, which decodes them and explains a wrong encoding.
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        return read_table(in_stream)

    def export_data(self, dataset, **kwargs):
        # With a byte-order mark, because a download is usually opened in Excel, which reads a
        # UTF-8 file without one as the local code page.
        return write_csv(dataset, bom=True)


class InterchangeXLSX(base_formats.XLSX):
    """XLSX for the admin, read and written by the same code as the command line."""

    def get_title(self):
        return "xlsx"

    def create_dataset(self, in_stream, **kwargs):
        return read_table(in_stream)

    def export_data(self, dataset, **kwargs):
        return write_xlsx(dataset)


INTERCHANGE_FORMATS = [InterchangeCSV, InterchangeXLSX]
