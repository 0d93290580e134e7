"""The newcomer's walk, in real headless Chromium against a live server.

Home → the question on Russia's world rank in rare-earth reserves (the two seed sources conflict,
in the table and in the chart) → a source → compare → download the table as CSV. Screenshots of
each page go to test-artifacts/ (gitignored) for a person to look at.

Needs Debian's `chromium` at /usr/bin/chromium (`make test` installs it when it can) and the
`playwright` package; the tests are skipped, saying why, when either is missing.
"""

import csv
import io
import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections

# Playwright's sync API runs an event loop in this thread; Django refuses database access from a
# thread with a running loop unless told it is safe. Only this module's tests drive a browser.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WORLD_RANK = "Russia’s world rank in rare-earth reserves"

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is not installed"
)
pytestmark = [
    pytest.mark.skipif(
        not (Path(CHROMIUM).exists() or shutil.which("chromium")),
        reason=f"no Chromium at {CHROMIUM}: `apt-get install chromium` (as root) to run them",
    ),
    # The live server reads committed data; serialized_rollback puts back the metals that the
    # migrations create, which the flush after a transactional test would otherwise remove.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        # While Playwright's loop runs, Django keeps this thread's connections apart from the ones
        # it closes at teardown (asgiref's Local sees an async context): close them while it still
        # runs, or the test database cannot be dropped ("being accessed by other users").
        connections.close_all()
        browser.close()


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())


def _shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


def test_a_newcomer_sees_the_conflict_and_downloads_the_table(live_server, demo, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)

    page.goto(live_server.url + "/")
    _shot(page, "1-home")
    row = page.locator("table.questions tr", has_text=WORLD_RANK)
    assert row.locator(".badge").inner_text() == "conflict"
    row.get_by_role("link", name=WORLD_RANK).click()

    page.wait_for_url("**/questions/russia-ree-reserves-world-rank/")
    _shot(page, "2-question")
    assert page.locator(".verdict .headline").inner_text().endswith("The sources conflict.")
    table = page.locator("table.claims")
    assert table.locator("tbody tr:not(.origin)").count() == 2
    assert table.locator(".badge.conflict").count() == 2
    chart = page.locator("svg.interval-chart")
    assert chart.is_visible()
    assert chart.locator("g.bar.conflict").count() == 2
    assert "The EurAsian Times: #5" in chart.text_content()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename == "question-russia-ree-reserves-world-rank.csv"
    csv_bytes = Path(download.path()).read_bytes()
    assert csv_bytes.startswith(b"\xef\xbb\xbfref,source,")  # UTF-8 with a byte-order mark
    rows = list(csv.DictReader(io.StringIO(csv_bytes.decode("utf-8-sig"))))
    assert [row["standing"] for row in rows].count("conflict") == 2
    assert {row["verdict"] for row in rows} == {"conflict"}

    table.get_by_role(
        "link", name="Russia seeks Chinese rare-earth extraction technology"
    ).first.click()
    page.wait_for_url("**/sources/eurasian-times-2025-09-palve/")
    _shot(page, "3-source")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Russia seeks Chinese rare-earth extraction technology"
    )
    page.get_by_role("link", name="Compare this source with another →").click()

    page.wait_for_url("**/compare/?a=eurasian-times-2025-09-palve")
    page.get_by_label("Source B").select_option("edm-2026-02-russia-struggling-prc-rare-earth")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url("**/compare/?a=*&b=*")
    _shot(page, "4-compare")
    shared = page.locator("table.compare tr", has_text=WORLD_RANK)
    assert shared.locator(".badge").inner_text() == "conflict"

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    assert download_info.value.suggested_filename.startswith("compare-")


def test_the_question_page_reads_on_a_phone(live_server, demo, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page.goto(live_server.url + "/questions/russia-ree-reserves-world-rank/")
    _shot(page, "5-question-phone")
    # Nothing wider than the screen: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("svg.interval-chart").is_visible()
