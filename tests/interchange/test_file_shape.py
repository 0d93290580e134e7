"""The shape of an import file, checked as it is read and in linear time: columns, rows, XLSX sizes.

An interchange file has at most MAX_COLUMNS columns; an admin import at most
settings.IMPORT_ADMIN_MAX_ROWS data rows (the command line has no such limit); an XLSX sheet is read
cell by cell, whatever size it claims for itself.
"""

import io
import re
import time
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from interchange.formats import MAX_COLUMNS, FileProblem, read_table
from interchange.services import data_import
from sources.models import Actor
from tests.import_helpers import row_counts

SHEET = "xl/worksheets/sheet1.xml"
HEADER = ["slug", "name", "kind"]


def workbook(rows, *, dimension=None):
    """XLSX bytes made by openpyxl; `dimension` rewrites the size the sheet claims for itself."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    if dimension is None:
        return out.getvalue()
    return _rewrite_sheet(
        out.getvalue(),
        lambda xml: re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"', xml),
    )


def raw_workbook(sheet_data):
    """XLSX bytes whose sheet's <sheetData> is the given XML (rows a test could not make with
    openpyxl in reasonable time: a million of them, or one of a million cells)."""
    return _rewrite_sheet(
        workbook([["x"]]),
        lambda xml: re.sub(
            r"<sheetData>.*</sheetData>", f"<sheetData>{sheet_data}</sheetData>", xml
        ),
    )


def _rewrite_sheet(data, change):
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == SHEET:
                xml = content.decode()
                changed = change(xml)
                assert changed != xml
                content = changed.encode()
            target.writestr(item, content)
    return out.getvalue()


def upload(client, content, name, file_format):
    return client.post(
        reverse("admin:sources_actor_import"),
        {"resource": "0", "format": file_format, "import_file": SimpleUploadedFile(name, content)},
    )


# --------------------------------------------------------------------------- F9: every row is read


FIVE_ACTORS = [HEADER] + [[f"actor-{n}", f"Actor {n}", "media"] for n in range(1, 6)]


def test_a_workbook_whose_size_tag_claims_fewer_rows_is_read_whole():
    data = workbook(FIVE_ACTORS, dimension="A1:C2")
    assert b'<dimension ref="A1:C2"' in zipfile.ZipFile(io.BytesIO(data)).read(SHEET)

    dataset = read_table(data)

    assert [row[0] for row in dataset] == [f"actor-{n}" for n in range(1, 6)]
    assert dataset.line_numbers == [2, 3, 4, 5, 6]


@pytest.mark.django_db
def test_such_a_workbook_imports_every_row_on_the_command_line_and_in_the_admin(
    tmp_path, admin_client
):
    data = workbook(FIVE_ACTORS, dimension="A1:C2")
    (tmp_path / "actors.xlsx").write_bytes(data)

    report = data_import(paths=[tmp_path / "actors.xlsx"], dry_run=True)
    assert report.ok and report.files[0].created == 5

    preview = upload(admin_client, data, "actors.xlsx", "1")
    form = preview.context["confirm_form"]
    admin_client.post(reverse("admin:sources_actor_process_import"), {**form.initial})
    assert Actor.objects.filter(slug__startswith="actor-").count() == 5


def test_a_size_tag_claiming_the_whole_sheet_costs_nothing():
    # openpyxl's reader pads every row to the claimed width: 16,384 cells per row.
    data = workbook(FIVE_ACTORS, dimension="A1:XFD1048576")

    started = time.monotonic()
    dataset = read_table(data)

    assert len(dataset) == 5 and dataset.headers == HEADER
    assert time.monotonic() - started < 2


# --------------------------------------------------------------------------- F6: columns


def test_a_csv_with_a_million_columns_is_refused_at_once():
    data = (",".join(f"c{n}" for n in range(1_000_000)) + "\n").encode()

    started = time.monotonic()
    with pytest.raises(FileProblem) as caught:
        read_table(data)

    assert str(caught.value) == (
        "the file has 1,000,000 columns in its header row: an interchange file has at most 200."
    )
    assert time.monotonic() - started < 10  # was 121 s, in the import's transaction


@pytest.mark.django_db
def test_import_data_refuses_a_file_too_wide_and_saves_nothing(tmp_path):
    (tmp_path / "actors.csv").write_text(",".join(HEADER + [f"c{n}" for n in range(MAX_COLUMNS)]))
    before = row_counts()

    report = data_import(paths=[tmp_path / "actors.csv"])

    assert report.errors == [
        "actors.csv: the file has 203 columns in its header row: an interchange file has at "
        "most 200."
    ]
    assert row_counts() == before


@pytest.mark.django_db
def test_a_header_as_wide_as_the_limit_is_read_and_its_columns_checked(tmp_path):
    # Exactly MAX_COLUMNS: the shape is fine; the unknown columns are the problem, each once.
    (tmp_path / "actors.csv").write_text(",".join(HEADER + [f"c{n}" for n in range(197)]))

    report = data_import(paths=[tmp_path / "actors.csv"])

    assert len(report.errors) == 197
    assert report.errors[0] == (
        "actors.csv line 1: unknown column 'c0': the columns are slug, name, kind, country, "
        "parent, aliases, wikidata_id, description"
    )


def test_an_xlsx_value_beyond_the_column_limit_is_refused():
    data = raw_workbook(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>slug</t></is></c>'
        '<c r="GT1" t="inlineStr"><is><t>far</t></is></c></row>'
    )

    with pytest.raises(FileProblem) as caught:
        read_table(data)

    assert str(caught.value) == (
        "the file has a value in column 202 (line 1): an interchange file has at most 200 columns."
    )


def test_an_xlsx_row_of_a_million_cells_is_refused_without_building_it():
    # 115 KB of XLSX; openpyxl built the row whole: 9 s and a gigabyte.
    cells = '<c t="inlineStr"><is><t>x</t></is></c>' * 1_000_000
    data = raw_workbook(f"<row>{cells}</row>")

    started = time.monotonic()
    with pytest.raises(FileProblem) as caught:
        read_table(data)

    assert "an interchange file has at most 200 columns" in str(caught.value)
    assert time.monotonic() - started < 2


def test_an_xlsx_row_with_more_cells_than_a_worksheet_has_is_a_damaged_file():
    data = raw_workbook(f"<row>{'<c/>' * 16_385}</row>")

    with pytest.raises(FileProblem) as caught:
        read_table(data)

    assert str(caught.value) == "the file is not a readable XLSX workbook."


def test_empty_cells_beyond_the_limit_are_no_problem():
    # A spreadsheet may keep formatted empty cells far to the right.
    data = raw_workbook(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>slug</t></is></c><c r="ZZ1" s="0"/></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>a</t></is></c><c r="ZZ2" s="0"/></row>'
    )

    assert read_table(data).dict == [{"slug": "a"}]


# --------------------------------------------------------------------------- F6: rows (admin)


def a_million_identical_rows(*, broken_after=None):
    """A small upload that unpacks to a million rows; with `broken_after`, the sheet's XML is
    broken after that many data rows, so a reader that went on past them would fail otherwise."""
    row = (
        "<row>"
        + "".join(
            f'<c t="inlineStr"><is><t>{cell}</t></is></c>' for cell in ("same", "Same", "media")
        )
        + "</row>"
    )
    header = "<row>" + "".join(f'<c t="inlineStr"><is><t>{c}</t></is></c>' for c in HEADER)
    if broken_after is None:
        return raw_workbook(header + "</row>" + row * 1_000_000)
    rest = 1_000_000 - broken_after
    return raw_workbook(header + "</row>" + row * broken_after + "<row><c><</row>" + row * rest)


def test_the_reader_stops_at_the_first_row_over_max_rows():
    # Rows past the limit are never parsed: the broken XML after row 50,001 is not reached, so
    # the limit is what is reported (reading the whole file tied a worker for 120 s). Checked by
    # what is read, not by a timing, which a shared machine makes noisy.
    data = a_million_identical_rows(broken_after=50_001)
    assert len(data) < 1_000_000  # a small upload

    with pytest.raises(FileProblem) as caught:
        read_table(data, max_rows=50_000)

    assert str(caught.value) == (
        "the file has more than 50,000 data rows; an admin import may hold at most 50,000: "
        "split it, or import it with `python manage.py import_data` on the server."
    )
    # The same file read without a limit reaches the broken row.
    with pytest.raises(FileProblem) as unlimited:
        read_table(a_million_identical_rows(broken_after=10), max_rows=50_000)
    assert "not a readable XLSX workbook" in str(unlimited.value)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "file_format"), [("actors.csv", "0"), ("actors.xlsx", "1")])
def test_the_admin_refuses_a_file_over_its_row_limit_with_the_reason(
    admin_client, settings, name, file_format
):
    settings.IMPORT_ADMIN_MAX_ROWS = 4
    rows = FIVE_ACTORS
    if file_format == "0":
        content = "\n".join(",".join(row) for row in rows).encode()
    else:
        content = workbook(rows)
    before = row_counts()

    response = upload(admin_client, content, name, file_format)

    assert response.context["form"].errors["import_file"] == [
        "the file has more than 4 data rows; an admin import may hold at most 4: split it, or "
        "import it with `python manage.py import_data` on the server."
    ]
    assert row_counts() == before


@pytest.mark.django_db
def test_the_admin_takes_a_file_of_exactly_its_row_limit(admin_client, settings):
    settings.IMPORT_ADMIN_MAX_ROWS = 5

    response = upload(admin_client, workbook(FIVE_ACTORS), "actors.xlsx", "1")

    assert "confirm_form" in response.context


@pytest.mark.django_db
def test_the_command_line_has_no_row_limit(tmp_path, settings):
    settings.IMPORT_ADMIN_MAX_ROWS = 2
    (tmp_path / "actors.xlsx").write_bytes(workbook(FIVE_ACTORS))

    report = data_import(paths=[tmp_path / "actors.xlsx"])

    assert report.ok and report.files[0].created == 5
