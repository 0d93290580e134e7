"""Reading and writing interchange files as people make them: CSV (comma, semicolon or tab) and XLSX.

One reader for the admin and the command line alike, so a file that imports in one imports in the
other. `read_table` turns the bytes of an uploaded or local file into a tablib Dataset:

1. An XLSX workbook is recognised by its content (a zip archive), not by its name; its active
   sheet is read cell by cell as the XML comes (never by the size the file claims for itself),
   numbers and dates become the text a curator typed.
2. Anything else must be UTF-8 text, with or without a byte-order mark. A file that is not, or
   whose header line holds a NUL, is binary; UTF-16 (Excel's "Unicode text") and other encodings
   are refused with a plain reason. Control characters in the cells (NUL included) are read as
   they are: the model fields normalise or refuse them per cell (core/text.py), and the import
   names the line and column.
3. The separator is read off the header line: the most frequent of comma, semicolon and tab.
   Windows line endings are fine; line breaks inside quoted cells are kept as they are.
4. Cells that an export neutralised with a leading apostrophe (see `neutralise`) get it back off.
5. The file's shape is checked as it is read, in linear time: at most MAX_COLUMNS columns, and, for
   the admin, at most `max_rows` data rows (the reading stops at the first row over).

Each data row remembers the line it starts on, so errors name the line a curator sees in an editor
(a spreadsheet's row number when no cell holds a line break).
"""

import csv
import datetime
import io
import re

import tablib
from django.conf import settings
from import_export.formats import base_formats

from core.text import LONG_TEXT_MAX

SEPARATORS = (",", ";", "\t")
#: The most columns an interchange file may have (the widest, claims, has 17): a file wider than
#: this is not an interchange file, and is refused before its rows are read.
MAX_COLUMNS = 200
#: The most characters an XLSX cell holds (Excel's limit); a longer value is exported as CSV only.
XLSX_CELL_MAX = 32_767
# What any worksheet holds at most (Excel's limits): a sheet beyond them is a damaged file.
_XLSX_MAX_COLUMNS = 16_384
_XLSX_MAX_ROWS = 1_048_576
# The csv module reads no cell longer than its limit, one for the whole process. It is raised here
# once, never lowered, to what the longest long text needs: the csv module counts a cell as read
# (a doubled quote once), and a cell may be longer than the text it stores, by an apostrophe
# (`neutralise`) and by a CR before each line feed (normalised away on import).
CSV_FIELD_LIMIT = 2 * LONG_TEXT_MAX + 1
csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
# Characters XML 1.0, and so an XLSX cell, cannot hold. The text rule (core/text.py) keeps
# them out of the database; a value stored before it (or around it) is refused by the writer.
_NOT_IN_XLSX = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection";
# tab and carriage return are on OWASP's list too).
_FORMULA = "=+-@\t\r"
_FORMULA_START = re.compile(f"^'*[{re.escape(_FORMULA)}]")
_NEUTRALISED = re.compile(f"^'+[{re.escape(_FORMULA)}]")
# What such a cell can start with: tested first, as nearly every text exported starts otherwise.
_FORMULA_FIRST = frozenset("'" + _FORMULA)
# A plain number is not a formula, and a spreadsheet reads it as a number: "-5" stays "-5".
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


class FileProblem(ValueError):
    """A file that cannot be read as a table at all; the message says why, in plain words."""


class XlsxLimitError(ValueError):
    """Records an XLSX workbook cannot hold; nothing is written, and the message names them.

    `records` describes each one, e.g. "'long-report' (text: 140,000 characters)". A ValueError,
    so that the admin's export shows the message instead of failing.
    """

    def __init__(self, records):
        self.records = records
        shown = ", ".join(records[:10])
        if len(records) > 10:
            shown += f" and {len(records) - 10:,} more"
        plural = "s hold" if len(records) > 1 else " holds"
        super().__init__(
            f"{len(records):,} record{plural} more than an XLSX cell can (at most "
            f"{XLSX_CELL_MAX:,} characters, no control characters): {shown}. Nothing was "
            "written: export as CSV, which holds every value."
        )


def neutralise(value):
    """Make a cell safe to open in a spreadsheet: a leading `=`, `+`, `-` or `@` gets an apostrophe.

    Apostrophes already in front of such a character get one more, so `restore` can always take
    exactly one off and every text survives an export and a re-import unchanged. Plain numbers
    (`-5`, `-0.25`) are left alone: they are numbers, not formulas.
    """
    if (
        isinstance(value, str)
        and value[:1] in _FORMULA_FIRST
        and _FORMULA_START.match(value)
        and not _PLAIN_NUMBER.match(value)
    ):
        return "'" + value
    return value


def restore(value):
    """Undo `neutralise`: take one apostrophe off a cell like `'=…`, `'-…` or `''@…`."""
    if _NEUTRALISED.match(value):
        return value[1:]
    return value


def read_table(data, *, name="the file", max_rows=None):
    """Read CSV or XLSX bytes into a Dataset with `line_numbers` (one per row); see module doc."""
    header, rows = iter_table(data, name=name, max_rows=max_rows)
    kept_rows, kept_lines = [], []
    for line, row in rows:
        kept_rows.append(row)
        kept_lines.append(line)
    dataset = tablib.Dataset(*kept_rows, headers=header)
    dataset.line_numbers = kept_lines
    return dataset


def line_numbers(dataset):
    """The line each row of a Dataset starts on: those `read_table` noted, or, for a Dataset made
    some other way, 2, 3, … (a header, then one line per row)."""
    lines = getattr(dataset, "line_numbers", None)
    if lines is None or len(lines) != len(dataset):
        lines = list(range(2, len(dataset) + 2))
    return lines


def iter_table(data, *, name="the file", max_rows=None):
    """The header and an iterator of (line, cells) for CSV or XLSX bytes, read as a stream.

    The same rules as `read_table`; a problem found in a row (too many cells, a value in a column
    without a name, one row more than `max_rows`, the admin's limit) raises FileProblem when the
    iteration reaches that row.
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
    return _table(header, rows, name, max_rows)


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
    binary = FileProblem(f"{name} is not a text file (it holds binary data): upload a CSV or XLSX.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if b"\x00" in data:
            raise binary from None
        line = data[: error.start].count(b"\n") + 1
        raise FileProblem(
            f"{name} is not UTF-8 text (byte 0x{data[error.start]:02x} on line {line}): "
            "save it as “CSV UTF-8” and try again."
        ) from None
    # No header names a column with a NUL in it: such a first line is UTF-16 without its mark, or
    # not text at all. A NUL further down is a control character in a cell, for the text rule.
    if "\x00" in _first_line(text):
        raise binary
    return text


def _first_line(text):
    end = text.find("\n")
    return text if end < 0 else text[:end]


def _separator(text):
    first_line = _first_line(text)
    counts = {sep: first_line.count(sep) for sep in SEPARATORS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _csv_rows(text, name):
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(text), strict=True)
    try:
        header = next(reader, [])
    except csv.Error as error:
        raise _csv_problem(error, reader, name) from None

    def rows():
        start = reader.line_num + 1
        try:
            for record in reader:
                yield start, [restore(cell) for cell in record]
                start = reader.line_num + 1
        except csv.Error as error:
            raise _csv_problem(error, reader, name) from None

    return header, rows()


def _csv_problem(error, reader, name):
    # The csv module tells a cell over its limit only by the words of its message.
    if "field limit" in str(error):
        return FileProblem(
            f"{name}: a cell on line {reader.line_num} holds more than {CSV_FIELD_LIMIT:,} "
            f"characters; a text field holds at most {LONG_TEXT_MAX:,}."
        )
    return FileProblem(f"{name} is not a well-formed CSV file (line {reader.line_num}: {error}).")


def _xlsx_rows(data, name):
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error for a damaged archive
        raise FileProblem(f"{name} is not a readable XLSX workbook.") from None
    rows = _sheet_rows(book, name)
    first = next(rows, None)
    if first is None or first[0] != 1:  # the header is row 1: without one, the file is empty
        return [], iter(())
    return first[1], rows


def _sheet_rows(book, name):
    """(row number, cells as text) of the active sheet's rows that hold a value, as they come.

    openpyxl's own reader trusts the size the sheet claims (its <dimension>, which may say A1:C2
    of a sheet of five rows) and builds each row whole, however many cells it has. Here each cell
    is parsed by openpyxl's cell parser as soon as it ends and then dropped, so memory holds one
    row of at most MAX_COLUMNS values, and a value beyond that column is refused at once. The
    parser is openpyxl's read-only internals (as in ReadOnlyWorksheet._cells_by_row): the tests
    of this module read real workbooks, so an openpyxl upgrade that changes them shows there.
    """
    from openpyxl.worksheet._reader import CELL_TAG, DATA_TAG, ROW_TAG, WorkSheetParser
    from openpyxl.xml.functions import iterparse

    damaged = f"{name} is not a readable XLSX workbook."
    try:
        sheet = book.active
        source = sheet._get_source()
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        events = iterparse(source, events=("start", "end"))
        sheet_data = row = None
        rows_read = cells_in_row = 0
        values = {}
        for event, element in events:
            if element.tag == CELL_TAG and event == "end":
                cell = parser.parse_cell(element)
                row.remove(element)  # the first child: what came before it is gone already
                cells_in_row += 1
                column = cell["column"]
                if column > _XLSX_MAX_COLUMNS or cells_in_row > _XLSX_MAX_COLUMNS:
                    raise FileProblem(damaged)
                if cell["value"] is None:
                    continue
                if column > MAX_COLUMNS:
                    raise FileProblem(
                        f"{name} has a value in column {column:,} (line {parser.row_counter:,}): "
                        f"an interchange file has at most {MAX_COLUMNS} columns."
                    )
                values[column] = cell["value"]
            elif element.tag == ROW_TAG and event == "start":
                rows_read += 1
                number = element.get("r")
                parser.row_counter = int(number) if number else parser.row_counter + 1
                if rows_read > _XLSX_MAX_ROWS or parser.row_counter > _XLSX_MAX_ROWS:
                    raise FileProblem(damaged)
                parser.col_counter = cells_in_row = 0
                row, values = element, {}
            elif element.tag == ROW_TAG:
                sheet_data.remove(element)
                if values:
                    cells = [""] * max(values)
                    for column, value in values.items():
                        cells[column - 1] = _xlsx_text(value)
                    yield parser.row_counter, cells
            elif element.tag == DATA_TAG and event == "start":
                sheet_data = element
    except FileProblem:
        raise
    except Exception:  # a damaged sheet: bad XML, a cell outside a row, a wrong string index …
        raise FileProblem(damaged) from None
    finally:
        book.close()


def _xlsx_text(value):
    """The text a curator typed, for a value openpyxl read from a cell.

    Not core.numbers.number: a cell's number must come back as exactly the digits written (an
    export's 28.5 re-imports as "28.5"), without grouping or rounding to a reader's precision.
    """
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


def _table(header, rows, name, max_rows):
    if len(header) > MAX_COLUMNS:
        raise FileProblem(
            f"{name} has {len(header):,} columns in its header row: an interchange file has at "
            f"most {MAX_COLUMNS}."
        )
    header = [str(cell).strip() for cell in header]
    if not any(header):
        raise FileProblem(f"{name} is empty: it needs a header row naming its columns.")
    width = len(header)
    # A spreadsheet often saves empty columns after the last one: dropped, but only when empty.
    unnamed = [i for i, column in enumerate(header) if not column]
    keep = [i for i, column in enumerate(header) if column]

    def kept():
        count = 0
        for line, row in rows:
            if not any(cell.strip() for cell in row):
                continue  # blank lines and a spreadsheet's empty rows mean nothing
            count += 1
            if max_rows is not None and count > max_rows:
                raise FileProblem(
                    f"{name} has more than {max_rows:,} data rows; an admin import may hold at "
                    f"most {max_rows:,}: split it, or import it with "
                    "`python manage.py import_data` on the server."
                )
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
    # The csv module quotes a cell holding the line terminator's characters, not one holding a
    # lone CR, which a reader then takes for the end of the line: such a row is quoted whole.
    quoted = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_ALL)
    rows = iter(rows)
    writer.writerow(next(rows))
    for row in rows:
        cells = _csv_cells(row)
        (quoted if any("\r" in text for text in cells) else writer).writerow(cells)


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

    A record with a value no XLSX cell holds (longer than XLSX_CELL_MAX, or a character XML
    cannot hold) raises XlsxLimitError naming every such record, once all rows are read, and
    nothing is written to `handle`. The first column names the record (its natural key).
    """
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    rows = iter(rows)
    header = list(next(rows))
    sheet.append(header)
    refused = []
    try:
        for row in rows:
            cells = [_xlsx_cell(_cell(value)) for value in row]
            problems = [
                f"{column}: {problem}"
                for column, cell in zip(header, cells, strict=True)
                if (problem := _xlsx_problem(cell))
            ]
            if problems:
                refused.append(f"'{_cell(row[0])}' ({'; '.join(problems)})")
            elif not refused:
                sheet.append(cells)
        if refused:
            raise XlsxLimitError(refused)
    except BaseException:
        _discard(sheet)
        raise
    book.save(handle)


def _discard(sheet):
    """Close a write-only sheet that will not be saved, and remove the temporary file openpyxl
    streams its rows to: what saving does with them, less the saving."""
    sheet.close()
    sheet._writer.cleanup()


def _xlsx_problem(cell):
    if not isinstance(cell, str):
        return ""
    if len(cell) > XLSX_CELL_MAX:
        return f"{len(cell):,} characters"
    found = _NOT_IN_XLSX.search(cell)
    return f"U+{ord(found.group()):04X} at character {found.start() + 1}" if found else ""


def _dataset_rows(dataset):
    yield dataset.headers
    yield from dataset


def _cell(value):
    return "" if value is None else str(value)


def _xlsx_cell(text):
    # A number only when it reads back as the same text: not "007", "28.50", "2.0" (read back
    # as "2") or more digits than a float holds. (So not core.numbers.number, which writes for
    # readers: the cell must give back exactly its text.)
    if len(text) <= 15 and _PLAIN_NUMBER.match(text):
        number = int(text) if "." not in text else float(text)
        if _xlsx_text(number) == text:
            return number
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
        return read_table(in_stream, max_rows=settings.IMPORT_ADMIN_MAX_ROWS)

    def export_data(self, dataset, **kwargs):
        # With a byte-order mark, because a download is usually opened in Excel, which reads a
        # UTF-8 file without one as the local code page.
        return write_csv(dataset, bom=True)


class InterchangeXLSX(base_formats.XLSX):
    """XLSX for the admin, read and written by the same code as the command line."""

    def get_title(self):
        return "xlsx"

    def create_dataset(self, in_stream, **kwargs):
        return read_table(in_stream, max_rows=settings.IMPORT_ADMIN_MAX_ROWS)

    def export_data(self, dataset, **kwargs):
        return write_xlsx(dataset)


INTERCHANGE_FORMATS = [InterchangeCSV, InterchangeXLSX]
