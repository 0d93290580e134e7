"""`import_zotero`: a Zotero CSV export becomes sources, matched to existing ones by URL."""

from datetime import date

import pytest

from sources.models import Actor, Source
from sources.zotero import _partial_date
from tests.conftest import make_actor, make_source
from tests.import_helpers import DATA, row_counts, run

pytestmark = pytest.mark.django_db

ZOTERO = DATA / "zotero" / "zotero.csv"


def test_a_zotero_export_becomes_sources():
    out, err, error = run("import_zotero", ZOTERO)

    assert error is None, err
    assert "sources: 3 created, 0 updated, 0 unchanged; publishers: 3 created; 0 errors" in out
    article = Source.objects.get(
        url="https://www.eurasiantimes.com/russia-seeks-chinese-rare-earth-tech/"
    )
    assert article.slug == "palve-2025-russia-seeks-chinese-rare-earth-extraction-technology"
    assert (article.title, article.kind) == (
        "Russia seeks Chinese rare-earth extraction technology",
        "article",
    )
    assert article.authors == "Shubhangi Palve"
    assert (article.published, article.accessed, article.language) == (
        "2025-09-12",
        date(2025, 11, 1),
        "en",
    )
    assert (article.publisher.name, article.publisher.kind) == ("The EurAsian Times", "media")
    assert article.notes.startswith("Imported from Zotero (item ABCD2345).")
    report = Source.objects.get(title="Global Critical Minerals Outlook 2025")
    # An organisation's whole name starts the slug, and it publishes the report.
    assert report.slug == "international-energy-agency-2025-global-critical-minerals-outlook-2025"
    assert report.publisher.name == "International Energy Agency"
    assert (report.kind, report.published, report.authors) == (
        "report",
        "2025-05",
        "International Energy Agency",
    )
    # Zotero's "2024-00-00" is a year; an item without a URL is still a source.
    paper = Source.objects.get(title="Rare earths and the magnet supply chain")
    assert (paper.published, paper.url, paper.authors) == ("2024", "", "Jane Doe\nRichard Roe")


def test_importing_the_same_export_twice_changes_nothing():
    run("import_zotero", ZOTERO)
    before = row_counts()

    out, _, error = run("import_zotero", ZOTERO)

    assert error is None
    assert "sources: 0 created, 0 updated, 3 unchanged; publishers: 0 created" in out
    assert row_counts() == before


def test_an_item_matches_an_existing_source_by_url_and_only_fills_what_it_lacks():
    times = make_actor(name="EurAsian Times", slug="eurasian-times", aliases="The EurAsian Times")
    curated = make_source(
        slug="eurasian-times-2025-09-palve",
        title="Curated title",
        url="https://www.eurasiantimes.com/russia-seeks-chinese-rare-earth-tech/",
        published="2025-09",
    )

    out, _, error = run("import_zotero", ZOTERO)

    assert error is None
    assert "sources: 2 created, 1 updated" in out
    curated.refresh_from_db()
    assert (curated.slug, curated.title, curated.published) == (
        "eurasian-times-2025-09-palve",
        "Curated title",
        "2025-09",
    )
    assert curated.authors == "Shubhangi Palve"
    assert curated.accessed == date(2025, 11, 1)
    # The publication was found by alias, not created again.
    assert curated.publisher == times
    assert Actor.objects.filter(name__icontains="EurAsian").count() == 1


def test_a_dry_run_saves_nothing():
    before = row_counts()

    out, _, error = run("import_zotero", ZOTERO, dry_run=True)

    assert error is None
    assert "sources: 3 created" in out and "Dry run: nothing was saved." in out
    assert row_counts() == before


def test_an_item_without_a_title_is_named_and_nothing_is_saved():
    before = row_counts()

    _, err, error = run("import_zotero", DATA / "zotero" / "no_title.csv")

    assert error is not None
    assert "line 2, column Title: the item has no title" in err
    assert row_counts() == before


def test_a_file_that_is_not_a_zotero_export_is_refused():
    before = row_counts()

    _, err, error = run("import_zotero", DATA / "curator" / "sources.csv")

    assert error is not None
    assert "not a Zotero CSV export: missing column 'Key', 'Item Type', 'Title'" in err
    assert row_counts() == before


def test_a_binary_file_is_refused():
    before = row_counts()

    _, err, error = run("import_zotero", DATA / "binary" / "actors.csv")

    assert "the file is not a text file" in err and error is not None
    assert row_counts() == before


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-11-04", "2025-11-04"),
        ("2025-11-00", "2025-11"),
        ("2025-00-04", "2025"),
        ("May 2025", "2025-05"),
        ("November 4, 2025", "2025-11-04"),
        ("4 Nov 2025", "2025-11-04"),
        ("2025", "2025"),
        ("", ""),
        ("soon", ""),
    ],
)
def test_zotero_dates_become_partial_dates(text, expected):
    assert _partial_date(text) == expected
