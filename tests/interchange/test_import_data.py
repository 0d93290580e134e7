"""`import_data` and interchange.services.data_import: whole folders, all or nothing, files as people make them.

Every bad-input test checks the message a curator reads and that no table (history included) changed.
"""

import io
from datetime import date
from decimal import Decimal

import pytest

from claims.models import Claim, Metal, Question
from interchange.management.commands._progress import Progress
from interchange.services import data_import
from sources.models import Actor, Source
from tests.conftest import make_source
from tests.import_helpers import DATA, copy_folder, delete_everything, row_counts, run, snapshot

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- a curator's folder


def test_a_curators_folder_imports_in_one_go():
    out, err, error = run("import_data", DATA / "curator")

    assert error is None, err
    assert "actors.csv: 3 created, 0 updated, 0 unchanged, 0 errors" in out
    assert "sources.csv: 2 created, 0 updated, 0 unchanged, 0 errors" in out
    assert "metals.csv: 1 created, 0 updated, 0 unchanged, 0 errors" in out
    assert "questions.csv: 2 created, 0 updated, 0 unchanged, 0 errors" in out
    assert "claims.csv: 2 created, 0 updated, 0 unchanged, 0 errors" in out

    ministry = Actor.objects.get(slug="ministry-of-industry-kazakhstan")
    assert ministry.parent.slug == "government-of-kazakhstan"
    assert ministry.aliases == "MIC RK\nMinprom"
    source = Source.objects.get(slug="kazinform-2026-03-ree-deposit")
    assert source.publisher.slug == "kazinform-news"
    assert source.authors == "Aigerim Seitkali\nDana Omarova"
    assert (source.published, source.accessed) == ("2026-03", date(2026, 3, 20))
    assert source.text.count("\n") == 1
    magnets = Metal.objects.get(symbol="MAGNET")
    assert sorted(magnets.members.values_list("symbol", flat=True)) == ["Dy", "Nd", "Pr", "Tb"]
    question = Question.objects.get(slug="kazakhstan-ree-deposit-ore")
    assert question.tolerance == Decimal("1.5")
    assert sorted(question.metals.values_list("symbol", flat=True)) == ["MAGNET", "REE"]
    # An empty tolerance cell means none.
    assert Question.objects.get(slug="kazakhstan-ree-reserves-rank").tolerance == 0

    claim = Claim.objects.get(ref="kazinform-deposit-ore")
    assert claim.source == source
    assert claim.question == question
    assert claim.speaker == ministry
    assert claim.cited_source.slug == "mic-rk-2026"
    assert list(claim.about.values_list("slug", flat=True)) == ["government-of-kazakhstan"]
    assert (claim.qualifier, claim.value, claim.unit, claim.as_of) == ("about", 20, "Mt", "2026")
    between = Claim.objects.get(ref="kazinform-top-three")
    assert (between.value, between.value_high, between.status) == (1, 3, "draft")


def test_importing_the_same_folder_twice_changes_nothing():
    run("import_data", DATA / "curator")
    before = row_counts()
    updated = {claim.ref: claim.updated for claim in Claim.objects.all()}

    out, err, error = run("import_data", DATA / "curator")

    assert error is None, err
    assert "claims.csv: 0 created, 0 updated, 2 unchanged, 0 errors" in out
    assert "actors.csv: 0 created, 0 updated, 3 unchanged, 0 errors" in out
    assert row_counts() == before
    assert {claim.ref: claim.updated for claim in Claim.objects.all()} == updated


def test_a_changed_cell_is_an_update(tmp_path):
    run("import_data", DATA / "curator")
    folder = copy_folder("curator", tmp_path)
    claims = folder / "claims.csv"
    claims.write_text(claims.read_text().replace(",draft,", ",checked,"))

    report = data_import(paths=[claims])

    assert report.ok, report.errors
    assert (report.files[0].updated, report.files[0].unchanged) == (1, 1)
    assert Claim.objects.get(ref="kazinform-top-three").status == "checked"


def test_a_dry_run_reports_what_would_change_and_saves_nothing():
    before = row_counts()

    out, err, error = run("import_data", DATA / "curator", dry_run=True)

    assert error is None, err
    assert "claims.csv: 2 created" in out
    assert "Dry run: nothing was saved." in out
    assert row_counts() == before


def test_a_single_file_can_be_imported(tmp_path):
    out, err, error = run("import_data", DATA / "curator" / "actors.csv")

    assert error is None, err
    assert Actor.objects.filter(slug="kazinform-news").exists()


def test_absent_optional_columns_leave_fields_as_they_are(tmp_path):
    run("import_data", DATA / "curator")
    path = tmp_path / "claims.csv"
    path.write_text(
        "ref,source,quote,status\nkazinform-top-three,kazinform-2026-03-ree-deposit,"
        "It would rank Kazakhstan among the top three holders of rare-earth reserves.,"
        "checked\n"
    )

    report = data_import(paths=[path])

    assert report.ok, report.errors
    claim = Claim.objects.get(ref="kazinform-top-three")
    assert (claim.status, claim.value_high, claim.qualifier) == ("checked", 3, "between")


def test_the_unattributed_mark_imports_exports_and_comes_back(tmp_path):
    run("import_data", DATA / "curator")
    # Files written before the column import as before: nothing is unattributed.
    assert not Claim.objects.filter(unattributed=True).exists()
    path = tmp_path / "claims.csv"
    path.write_text(
        "ref,source,quote,unattributed\nkazinform-top-three,kazinform-2026-03-ree-deposit,"
        "It would rank Kazakhstan among the top three holders of rare-earth reserves.,yes\n"
    )
    assert data_import(paths=[path]).ok
    before = snapshot()
    assert before["Claim"]["kazinform-top-three"]["unattributed"] is True
    assert before["Claim"]["kazinform-deposit-ore"]["unattributed"] is False

    out, err, error = run("export_data", tmp_path / "export")
    assert error is None, err
    delete_everything()
    out, err, error = run("import_data", tmp_path / "export")

    assert error is None, err
    assert snapshot() == before


def test_an_unattributed_cell_that_is_not_a_mark_is_explained(tmp_path):
    run("import_data", DATA / "curator")
    path = tmp_path / "claims.csv"
    path.write_text(
        "ref,source,quote,unattributed\nkazinform-top-three,kazinform-2026-03-ree-deposit,"
        "It would rank Kazakhstan among the top three holders of rare-earth reserves.,maybe\n"
    )

    report = data_import(paths=[path])

    assert not report.ok
    assert "unattributed 'maybe' is not a mark: use 'yes' or leave it empty" in str(report.errors)


# --------------------------------------------------------------------------- bad rows


def test_each_bad_row_is_named_with_line_column_and_reason_and_nothing_is_saved():
    make_source(slug="eurasian-times-2025-09-palve")
    before = row_counts()

    out, err, error = run("import_data", DATA / "bad_rows")

    assert error is not None
    assert "9 error(s): nothing was saved" in str(error)
    for message in [
        "claims.csv line 3, column source: source 'tass-2025' does not exist",
        "claims.csv line 4, column value: value 'abc' is not a number",
        "claims.csv line 5, column unit: unit 'tonnes' is unknown — did you mean 't'?",
        "claims.csv line 6, column qualifier: qualifier 'more than' is unknown — did you mean "
        "'more_than'?",
        "claims.csv line 6, column status: status 'Checked' is unknown — did you mean 'checked'?",
        "claims.csv line 6, column about: actor 'nowhere-land' does not exist",
        "claims.csv line 6, column metals: metal 'Xx' does not exist",
        "claims.csv line 6, column as_of: 2025-13 is not a date: use YYYY, YYYY-MM or YYYY-MM-DD.",
        "claims.csv line 7, column answer: a claim has an answer or a value, not both",
    ]:
        assert message in err
    assert "claims.csv: 1 created, 0 updated, 0 unchanged, 9 errors" in out
    assert row_counts() == before
    assert not Claim.objects.filter(ref="good-row").exists()


def test_an_error_in_one_file_saves_none_of_the_files(tmp_path):
    folder = copy_folder("curator", tmp_path)
    claims = folder / "claims.csv"
    claims.write_text(claims.read_text().replace(",about,20,", ",about,twenty,"))
    before = row_counts()

    out, err, error = run("import_data", folder)

    assert error is not None
    assert "claims.csv line 2, column value: value 'twenty' is not a number" in err
    assert "actors.csv: 3 created" in out  # would have been: the report still says so
    assert row_counts() == before


def test_a_number_with_a_decimal_comma_is_explained(tmp_path):
    path = tmp_path / "questions.csv"
    path.write_text('slug,title,tolerance\nq-one,Question one,"2,5"\n')
    before = row_counts()

    report = data_import(paths=[path])

    assert report.errors == [
        "questions.csv line 2, column tolerance: tolerance '2,5' is not a number: use a point for "
        "decimals and no thousands separators (28.5, 3000)"
    ]
    assert row_counts() == before


def test_missing_and_unknown_columns_are_reported_before_any_row():
    before = row_counts()

    out, err, error = run("import_data", DATA / "bad_columns")

    assert error is not None
    assert "actors.csv line 1: missing required column 'kind'" in err
    assert "actors.csv line 1: unknown column 'colour' — did you mean 'country'?" in err
    # No row was read: the file's one row is neither created nor an error of its own.
    assert "actors.csv: 0 created, 0 updated, 0 unchanged, 2 errors" in out
    assert row_counts() == before


def test_a_key_on_two_rows_is_an_error(tmp_path):
    path = tmp_path / "actors.csv"
    path.write_text("slug,name,kind\ntwice,Once,person\nother,Other,person\ntwice,Twice,person\n")
    before = row_counts()

    report = data_import(paths=[path])

    assert report.errors == [
        "actors.csv line 4, column slug: slug 'twice' is also on line 2: each record once"
    ]
    assert row_counts() == before


def test_a_parent_below_its_child_is_explained():
    before = row_counts()

    _, err, error = run("import_data", DATA / "self_reference")

    assert error is not None
    assert (
        "actors.csv line 2, column parent: actor 'parent-government' does not exist yet "
        "('parent-government' is on line 3 of this file: put it above the rows that refer to it)"
    ) in err
    assert row_counts() == before


def test_a_file_with_another_name_is_refused(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("slug,name,kind\nx,X,person\n")
    before = row_counts()

    _, err, error = run("import_data", path)

    assert error is not None
    assert "people.csv: not an interchange file: name it actors.csv, sources.csv" in err
    assert row_counts() == before


def test_a_folder_without_interchange_files_is_an_error(tmp_path):
    _, _, error = run("import_data", tmp_path)

    assert "holds none of actors.csv" in str(error)


def test_a_row_longer_than_the_header_is_refused(tmp_path):
    path = tmp_path / "actors.csv"
    path.write_text("slug,name,kind\nx,X,person,surplus\n")
    before = row_counts()

    report = data_import(paths=[path])

    assert report.errors == ["actors.csv: line 2 has 4 cells but the header names 3 columns."]
    assert row_counts() == before


# --------------------------------------------------------------------------- files as people make them


def test_a_file_with_a_byte_order_mark_and_windows_line_endings_imports():
    assert (DATA / "bom_crlf" / "actors.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in (DATA / "bom_crlf" / "actors.csv").read_bytes()

    out, err, error = run("import_data", DATA / "bom_crlf")

    assert error is None, err
    ministry = Actor.objects.get(slug="ministry-of-industry-kazakhstan")
    assert ministry.parent.slug == "government-of-kazakhstan"
    assert ministry.description == "Runs the geological survey programme."


def test_a_semicolon_separated_file_is_detected():
    out, err, error = run("import_data", DATA / "semicolon")

    assert error is None, err
    agency = Actor.objects.get(slug="new-agency")
    assert (agency.name, agency.country) == ("Agence nouvelle", "FR")
    assert agency.aliases == "AN;l'Agence\nNA"


def test_an_excel_file_with_trailing_empty_columns_and_rows_imports(tmp_path):
    path = tmp_path / "actors.csv"
    # What Excel's "CSV UTF-8" writes after a stray edit: a BOM, CRLF, empty cells and rows.
    path.write_bytes(
        b"\xef\xbb\xbfslug,name,kind,,\r\nexcel-actor,Excel actor,company,,\r\n,,,,\r\n"
    )

    report = data_import(paths=[path])

    assert report.ok, report.errors
    assert Actor.objects.get(slug="excel-actor").kind == "company"


def test_an_xlsx_file_imports(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["slug", "title", "kind", "published", "accessed", "url"])
    # A spreadsheet stores a typed date as a date and a typed year as a number.
    sheet.append(["xlsx-source", "From a workbook", "report", 2025, date(2025, 11, 4), None])
    book.save(tmp_path / "sources.xlsx")

    out, err, error = run("import_data", tmp_path)

    assert error is None, err
    source = Source.objects.get(slug="xlsx-source")
    assert (source.published, source.accessed, source.url) == ("2025", date(2025, 11, 4), "")


def test_a_file_that_is_not_utf8_is_refused():
    before = row_counts()

    _, err, error = run("import_data", DATA / "latin1")

    assert error is not None
    assert (
        "actors.csv: the file is not UTF-8 text (byte 0xe3 on line 2): save it as “CSV UTF-8” "
        "and try again."
    ) in err
    assert row_counts() == before


def test_a_binary_file_is_refused():
    before = row_counts()

    _, err, error = run("import_data", DATA / "binary")

    assert error is not None
    assert "actors.csv: the file is not a text file (it holds binary data)" in err
    assert row_counts() == before


# --------------------------------------------------------------------------- progress and load_demo


def test_a_large_file_shows_progress_on_stderr(tmp_path):
    path = tmp_path / "actors.csv"
    rows = "".join(f"actor-{n},Actor {n},person\n" for n in range(600))
    path.write_text("slug,name,kind\n" + rows)
    stream = io.StringIO()

    report = data_import(paths=[path], progress=Progress(stream))

    assert report.ok
    lines = stream.getvalue().splitlines()
    # Not a terminal (a log, CI): one line at the start and at every tenth.
    assert lines[:2] == ["actors.csv: 1/600 rows (0 %)", "actors.csv: 60/600 rows (10 %)"]
    assert lines[-1] == "actors.csv: 600/600 rows (100 %)"
    assert len(lines) == 11


def test_a_small_file_shows_no_progress(tmp_path):
    stream = io.StringIO()

    data_import(paths=[DATA / "curator" / "actors.csv"], progress=Progress(stream))

    assert stream.getvalue() == ""
