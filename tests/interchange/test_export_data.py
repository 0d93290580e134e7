"""`export_data` and interchange.services.data_export: a whole database out and back in, safely."""

import csv
import gc
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command

from claims.models import Claim
from interchange import registry
from interchange.formats import read_table
from interchange.services import data_export, data_import, import_files_in_folder
from tests.conftest import make_actor, make_claim, make_source
from tests.import_helpers import DATA, delete_everything, row_counts, run, snapshot

pytestmark = pytest.mark.django_db


def read_rows(path):
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_export_writes_the_five_interchange_files(tmp_path):
    out, err, error = run("export_data", tmp_path)

    assert error is None, err
    for stem, header in [
        ("actors", "slug,name,kind,country,parent,aliases,wikidata_id,description"),
        ("sources", "slug,title,kind,publisher,authors,published,url,accessed,language,text,notes"),
        ("metals", "symbol,name,atomic_number,category,members"),
        (
            "questions",
            "slug,title,kind,unit,subjects,metals,tolerance,lower_bound,upper_bound,drift,"
            "description",
        ),
        (
            "claims",
            "ref,source,quote,paraphrase,question,speaker,cited_source,unattributed,about,metals,"
            "qualifier,value,value_high,unit,as_of,answer,status,note,links",
        ),
    ]:
        path = tmp_path / f"{stem}.csv"
        assert f"wrote {path}" in out
        assert path.read_text(encoding="utf-8").splitlines()[0] == header
    metals = {row["symbol"]: row for row in read_rows(tmp_path / "metals.csv")}
    assert metals["Nd"]["atomic_number"] == "60"
    assert "Nd" in metals["LREE"]["members"].split("|")


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_into_an_empty_database_gives_back_the_same_database(
    demo, tmp_path, file_format
):
    # The demo data plus a curator's folder: parents, groups of metals, ranges, every relation.
    assert data_import(paths=import_files_in_folder(DATA / "curator")).ok
    # A Windows line break is stored as a line feed (core/text.py), which both formats keep.
    text = "=1+1\r\nsecond line"
    make_claim(
        ref="negative-and-odd-text",
        source=make_source(notes="-", text=text, url="https://example.org/x"),
        quote="@everyone: it fell by 5 percent",
        paraphrase="+5 would be wrong",
        qualifier="exact",
        value=Decimal("-5.25"),
        unit="%",
    )
    before = snapshot()
    counts = {name: len(records) for name, records in before.items()}
    assert counts["Claim"] > 50 and counts["Actor"] > 30

    data_export(folder=tmp_path / "first", file_format=file_format)
    delete_everything()
    assert snapshot() == {name: {} for name in before}
    report = data_import(paths=import_files_in_folder(tmp_path / "first"))

    assert report.ok, report.errors
    assert snapshot() == before
    # And the database exports to the same files again.
    data_export(folder=tmp_path / "second", file_format=file_format)
    for stem in ("actors", "sources", "metals", "questions", "claims"):
        first = read_table((tmp_path / "first" / f"{stem}.{file_format}").read_bytes())
        second = read_table((tmp_path / "second" / f"{stem}.{file_format}").read_bytes())
        assert first.dict == second.dict, stem


def test_an_export_re_imports_as_unchanged(demo, tmp_path):
    data_export(folder=tmp_path)
    before = row_counts()

    report = data_import(paths=import_files_in_folder(tmp_path))

    assert report.ok, report.errors
    assert all(f.created == f.updated == 0 for f in report.files), report.files
    assert row_counts() == before


def test_a_child_sorted_before_its_parent_is_exported_after_it(tmp_path):
    # By name "Aardvark agency" comes first, but its parent must be above it in the file.
    parent = make_actor(name="Zulu government", slug="zulu-government")
    make_actor(name="Aardvark agency", slug="aardvark-agency", parent=parent)

    data_export(folder=tmp_path)

    slugs = [row["slug"] for row in read_rows(tmp_path / "actors.csv")]
    assert slugs.index("zulu-government") < slugs.index("aardvark-agency")


# --------------------------------------------------------------------------- safe exports


def test_formula_like_cells_are_neutralised_in_csv_and_numbers_are_not(tmp_path):
    actor = make_actor(slug="formula", name='=HYPERLINK("http://evil")', aliases="@risk\n+1")
    make_claim(
        ref="negative",
        source=make_source(slug="dash-notes", notes="-"),
        quote="-5 percent",
        speaker=actor,
        qualifier="exact",
        value=Decimal("-5"),
        unit="%",
    )

    data_export(folder=tmp_path)

    actors = {row["slug"]: row for row in read_rows(tmp_path / "actors.csv")}
    assert actors["formula"]["name"] == '\'=HYPERLINK("http://evil")'
    assert actors["formula"]["aliases"] == "'@risk|+1"
    sources = {row["slug"]: row for row in read_rows(tmp_path / "sources.csv")}
    assert sources["dash-notes"]["notes"] == "'-"
    claim = next(row for row in read_rows(tmp_path / "claims.csv") if row["ref"] == "negative")
    assert claim["quote"] == "'-5 percent"
    assert claim["value"] == "-5"  # a number, not a formula: left as it is

    report = data_import(paths=import_files_in_folder(tmp_path))

    assert report.ok, report.errors
    assert all(f.created == f.updated == 0 for f in report.files)


def test_formula_like_cells_are_neutralised_in_xlsx_and_numbers_stay_numbers(tmp_path):
    make_claim(
        ref="negative",
        quote="=SUM(A1:A9)",
        qualifier="between",
        value=Decimal("-5"),
        value_high=Decimal("28.5"),
        unit="%",
    )

    data_export(folder=tmp_path, file_format="xlsx")

    sheet = openpyxl.load_workbook(tmp_path / "claims.xlsx").active
    header = [cell.value for cell in sheet[1]]
    rows = [dict(zip(header, cells, strict=True)) for cells in sheet.iter_rows(min_row=2)]
    row = next(row for row in rows if row["ref"].value == "negative")
    assert row["quote"].value == "'=SUM(A1:A9)"
    assert row["quote"].data_type == "s"  # text, never a formula
    assert (row["value"].value, row["value_high"].value) == (-5, 28.5)
    report = data_import(paths=[tmp_path / "claims.xlsx"])
    assert report.ok and report.files[0].created == report.files[0].updated == 0
    assert Claim.objects.get(ref="negative").quote == "=SUM(A1:A9)"


# --------------------------------------------------------------------------- reference formats


def test_export_data_writes_csl_json_and_bibtex(demo, tmp_path):
    out_json, _, error_json = run("export_data", tmp_path, "--format", "csl-json")
    out_bib, _, error_bib = run("export_data", tmp_path, "--format", "bibtex")

    assert error_json is None and error_bib is None
    assert "sources.json" in out_json and "sources.bib" in out_bib
    assert '"id": "eurasian-times-2025-09-palve"' in (tmp_path / "sources.json").read_text()
    assert "{eurasian-times-2025-09-palve," in (tmp_path / "sources.bib").read_text()


@pytest.mark.parametrize("stem", ["actors", "sources", "metals", "questions", "claims"])
def test_the_streamed_export_has_the_cells_of_import_exports_own(demo, stem):
    # export_data streams rows without model instances (InterchangeResource.export_rows); the
    # admin's export goes through import-export's export(). Both must write the same cells.
    assert data_import(paths=import_files_in_folder(DATA / "curator")).ok
    resource_class = next(file.resource for file in registry.files() if file.stem == stem)
    expected = resource_class().export()

    header, *rows = list(resource_class().export_rows(chunk_size=7))

    assert header == expected.headers
    assert len(rows) > 3
    assert [tuple(row) for row in rows] == [tuple(row) for row in expected]


def test_export_data_only_writes_the_files_asked_for(demo, tmp_path):
    out, err, error = run("export_data", tmp_path, "--only", "claims", "--only", "sources")

    assert error is None, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["claims.csv", "sources.csv"]
    assert len(read_rows(tmp_path / "claims.csv")) == Claim.objects.count()


def test_called_from_code_it_leaves_the_callers_garbage_collection_alone(tmp_path):
    # Only `manage.py export_data`, a process of its own, freezes what it loaded.
    frozen = gc.get_freeze_count()
    call_command("export_data", str(tmp_path), stdout=io.StringIO())
    assert gc.get_freeze_count() == frozen
