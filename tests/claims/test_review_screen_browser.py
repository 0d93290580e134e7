"""The issue's "Done when" as a curator does it, in real headless Chromium: a new source, a saved
web page uploaded to it, "Find claims in the text", the right candidate ticked (one field edited),
"Create drafts", the drafts in the claim list, marked checked with the bulk action, and the claim
on its question's public page beside the other source's (see tests/pages/test_browser.py for
what the browser tests need)."""

from django.test import Client

from claims.models import Claim
from tests.conftest import make_claim, make_question, make_source, make_user
from tests.pages import test_browser
from tests.pages.test_browser import browser  # noqa: F401 (the fixture)
from tests.sources.test_documents import web_page

pytestmark = test_browser.pytestmark


def test_a_curator_goes_from_a_web_page_to_checked_claims(live_server, browser, tmp_path):  # noqa: F811
    question = make_question(
        slug="china-share", title="China's share of refined rare earth output", unit="%"
    )
    make_claim(source=make_source(title="An older report"), question=question, value=90, unit="%")
    page_file = tmp_path / "article.html"
    page_file.write_bytes(web_page())
    client = Client()
    client.force_login(make_user("curator"))
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()

    page.goto(live_server.url + "/admin/sources/source/add/")
    page.fill("#id_title", "Rare earths today")
    page.press("#id_title", "Tab")  # the admin fills the slug in from the title as it is left
    page.fill("#id_slug", "rare-earths-today")
    page.select_option("#id_kind", "article")
    page.set_input_files("#id_document", str(page_file))
    page.click('input[name="_continue"]')
    page.wait_for_url("**/change/")
    page.click("text=Find claims in the text")

    rows = page.locator("fieldset.review-row")
    assert rows.count() >= 2
    first = rows.nth(0)
    assert "about 91 per cent" in first.locator("mark").inner_text()
    assert first.locator('select[name$="-question"]').input_value() == "china-share"
    boxes = page.locator('input[name="pick"]')
    page.click("text=Tick all")
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    page.click("text=Untick all")
    assert not any(boxes.nth(i).is_checked() for i in range(boxes.count()))
    first.locator('input[name="pick"]').press("Space")  # ticked from the keyboard
    first.locator('input[name$="-as_of"]').fill("2025")
    first.locator('input[name$="-as_of"]').press("Enter")  # submits nothing
    page.wait_for_timeout(500)
    assert "from-text" in page.url and not Claim.objects.filter(quote__contains="91").exists()
    page.click('input[value="Create drafts"]')

    page.wait_for_url("**/admin/claims/claim/?source=rare-earths-today")
    claim = Claim.objects.get(source__slug="rare-earths-today")
    assert (claim.status, claim.as_of, claim.question_id) == ("draft", "2025", question.pk)
    assert page.locator("#result_list tbody tr").count() == 1
    page.locator("#result_list .action-select").check()
    page.select_option('select[name="action"]', "mark_checked")
    page.click('button[name="index"]')
    page.wait_for_selector(".messagelist .success")
    claim.refresh_from_db()
    assert claim.status == "checked"

    page.goto(live_server.url + question.get_absolute_url())
    body = page.locator("body").inner_text()
    assert "Rare earths today" in body and "An older report" in body
    context.close()
