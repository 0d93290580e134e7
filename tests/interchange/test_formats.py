"""Reading and writing interchange files (interchange.formats): separators, encodings, XLSX cells,
line numbers, what cannot be read, and the formula guard `neutralise`/`restore`."""

import csv
import datetime
import io

import openpyxl
import pytest
import tablib

from interchange.formats import (
    FileProblem,
    count_rows,
    iter_table,
    line_numbers,
    neutralise,
    read_table,
    restore,
    write_csv,
    write_xlsx,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfes\x00l\x00", "is UTF-16 text"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20, "is an old Excel .xls workbook"),
        (b"PK\x03\x04not really a workbook", "is not a readable XLSX workbook"),
        (b"", "is empty: it needs a header row"),
        (b'slug,name\n"unclosed,quote\n', "is not a well-formed CSV file"),
    ],
)
def test_unreadable_files_get_a_plain_reason(data, message):
    with pytest.raises(FileProblem, match=message):
        read_table(data)


def test_each_row_knows_the_line_it_starts_on():
    dataset = read_table(b'slug,text\na,"two\nlines"\nb,one\n')

    assert dataset.line_numbers == [2, 4]


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+1", "-", "-x", "@risk", "'=already quoted", "''@twice", "\tindented", "plain", "'"],
)
def test_neutralise_and_restore_give_back_any_text(text):
    assert restore(neutralise(text)) == text
    assert not neutralise(text).startswith(("=", "+", "-", "@", "\t"))


@pytest.mark.parametrize("number", ["-5", "-0.25", "3000", "28.5"])
def test_plain_numbers_are_not_neutralised(number):
    assert neutralise(number) == number


def test_csv_written_for_the_command_line_has_no_byte_order_mark():
    text = write_csv(tablib.Dataset(["a"], headers=["slug"]))

    assert text == "slug\na\n"
    assert list(csv.reader(io.StringIO(text))) == [["slug"], ["a"]]


def test_a_lone_carriage_return_in_a_csv_cell_stays_inside_its_cell():
    # Found by the round-trip property (tests/interchange/test_round_trip.py): the csv module
    # quotes a line feed but not a lone CR, which a reader takes for a line end.
    written = write_csv(tablib.Dataset(["a", "one\rtwo"], headers=["key", "text"]))

    assert read_table(written.encode()).dict == [{"key": "a", "text": "one\rtwo"}]


# --------------------------------------------------------------------------- reading


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_the_separator_is_the_one_the_header_line_uses_most(separator):
    data = separator.join(["slug", "name", "note"]) + "\n"
    data += separator.join(["a", "Alpha", '"one, two; three"']) + "\n"

    dataset = read_table(data.encode())

    assert dataset.dict == [{"slug": "a", "name": "Alpha", "note": "one, two; three"}]


def test_a_byte_order_mark_and_windows_line_endings_are_read_away():
    dataset = read_table(b"\xef\xbb\xbfslug,name\r\na,Alpha\r\nb,Beta\r\n")

    assert dataset.headers == ["slug", "name"]
    assert dataset.dict == [{"slug": "a", "name": "Alpha"}, {"slug": "b", "name": "Beta"}]
    assert line_numbers(dataset) == [2, 3]


def test_text_that_is_not_utf8_is_refused_with_the_line_of_the_first_bad_byte():
    with pytest.raises(FileProblem, match=r"is not UTF-8 text \(byte 0xe9 on line 3\)"):
        read_table("slug,name\na,Alpha\nb,Caf\u00e9\n".encode("latin-1"))


def test_blank_rows_and_empty_trailing_columns_are_dropped_and_short_rows_padded():
    dataset = read_table(b"slug,name,,\na,Alpha,,\n,,,\n\nb\n")

    assert dataset.headers == ["slug", "name"]
    assert dataset.dict == [{"slug": "a", "name": "Alpha"}, {"slug": "b", "name": ""}]
    assert line_numbers(dataset) == [2, 5]


def test_line_numbers_are_those_the_reader_noted_or_else_counted_from_two():
    read = read_table(b'slug,text\na,"two\nlines"\nb,one\n')
    made = tablib.Dataset(["a"], ["b"], ["c"], headers=["slug"])
    changed = read_table(b"slug\na\nb\n")
    changed.append(["c"])  # a row the reader never saw: its lines no longer fit

    assert line_numbers(read) == [2, 4]
    assert line_numbers(made) == [2, 3, 4]
    assert line_numbers(changed) == [2, 3, 4]


def test_rows_are_read_as_they_come_and_a_bad_row_fails_only_when_reached():
    header, rows = iter_table(b"slug,name\na,Alpha\nb,Beta,extra\n")

    assert header == ["slug", "name"]
    assert next(rows) == (2, ["a", "Alpha"])
    with pytest.raises(FileProblem, match="line 3 has 3 cells but the header names 2 columns"):
        next(rows)


def test_rows_are_counted_for_a_progress_bar_without_reading_them():
    assert count_rows(b"slug\na\nb\nc\n") == 3
    assert count_rows(b"slug\r\na\r\nb") == 2
    assert count_rows(b"slug\n") == 0


def test_an_apostrophe_an_export_put_in_front_of_a_formula_is_taken_off_on_reading():
    dataset = read_table(b"slug,note\na,'=1+1\nb,''@twice\nc,'plain\nd,'-5\n")

    assert [row["note"] for row in dataset.dict] == ["=1+1", "'@twice", "'plain", "-5"]


def test_an_xlsx_workbook_is_known_by_its_content_and_read_as_the_text_a_curator_typed(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["slug", "whole", "decimal", "day", "moment", "flag", "formula"])
    sheet.append(
        [
            "a",
            3000,
            28.5,
            datetime.date(2025, 11, 4),
            datetime.datetime(2025, 11, 4, 10, 30),
            True,
            "'=1+1",
        ]
    )
    path = tmp_path / "named-like-a.csv"
    book.save(path)

    dataset = read_table(path.read_bytes())

    assert dataset.dict == [
        {
            "slug": "a",
            "whole": "3000",
            "decimal": "28.5",
            "day": "2025-11-04",
            "moment": "2025-11-04T10:30:00",
            "flag": "yes",
            "formula": "=1+1",
        }
    ]


# --------------------------------------------------------------------------- writing and the guard


def test_a_written_csv_neutralises_formulas_and_reads_back_as_it_was():
    values = ["=SUM(A1:A3)", "+1", "@risk", "-5", "-0.25", "'quoted", "plain"]
    dataset = tablib.Dataset(*[[value] for value in values], headers=["note"])

    text = write_csv(dataset)

    written = [row[0] for row in csv.reader(io.StringIO(text))][1:]
    assert written == ["'=SUM(A1:A3)", "'+1", "'@risk", "-5", "-0.25", "'quoted", "plain"]
    assert [row["note"] for row in read_table(text.encode()).dict] == values


def test_an_admin_download_has_a_byte_order_mark_for_excel():
    from interchange.formats import InterchangeCSV

    text = InterchangeCSV().export_data(tablib.Dataset(["a"], headers=["slug"]))

    assert text == "\ufeffslug\na\n"


def test_a_written_xlsx_holds_numbers_it_keeps_exactly_and_text_otherwise():
    values = ["28.5", "-5", "3000", "007", "2.0", "28.50", "12345678901234567", "2025-11", "=x"]
    dataset = tablib.Dataset(*[[value] for value in values], headers=["cell"])

    book = openpyxl.load_workbook(io.BytesIO(write_xlsx(dataset)))
    cells = [row[0] for row in book.active.iter_rows(min_row=2, values_only=True)]

    assert cells == [28.5, -5, 3000, "007", "2.0", "28.50", "12345678901234567", "2025-11", "'=x"]
    assert [row["cell"] for row in read_table(write_xlsx(dataset)).dict] == values
