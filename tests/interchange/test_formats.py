"""Reading and writing interchange files (interchange.formats): what cannot be read, line numbers, the formula guard."""

import csv
import io

import pytest

from interchange.formats import FileProblem, neutralise, read_table, restore, write_csv

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
    import tablib

    text = write_csv(tablib.Dataset(["a"], headers=["slug"]))

    assert text == "slug\na\n"
    assert list(csv.reader(io.StringIO(text))) == [["slug"], ["a"]]
