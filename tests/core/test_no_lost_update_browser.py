"""Two curators saving one claim, each in a real headless Chromium tab of their own.

Both open the claim; alice changes its quote and saves; bob changes its paraphrase and saves: bob
is told who changed it and when, with a link to its history, and his page shows alice's quote with
his paraphrase still in it; saving again keeps both. Screenshots go to test-artifacts/ (see
tests/pages/test_browser.py for what the browser tests need).
"""

from django.test import Client
from django.urls import reverse

from claims.models import Claim
from tests.conftest import make_claim, make_user
from tests.pages import test_browser
from tests.pages.test_browser import ARTIFACTS, browser  # noqa: F401 (the fixture)

pytestmark = test_browser.pytestmark
WINDOW = {"width": 1400, "height": 900}


def _tab(browser, live_server, name):  # noqa: F811 (the fixture)
    """A tab logged in as the curator `name`, with a session of its own."""
    client = Client()
    client.force_login(make_user("curator", username=name))
    context = browser.new_context(viewport=WINDOW)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context.new_page()


def test_the_second_of_two_curators_is_refused_and_keeps_his_edit(live_server, browser):  # noqa: F811
    claim = make_claim(quote="China handles nearly 90 percent.", status=Claim.Status.DRAFT)
    url = live_server.url + reverse("admin:claims_claim_change", args=[claim.pk])
    alice, bob = _tab(browser, live_server, "alice"), _tab(browser, live_server, "bob")
    alice.goto(url)
    bob.goto(url)

    alice.fill("#id_quote", "China handles nearly 90 percent of processing.")
    alice.click("input[name=_continue]")
    assert "was changed successfully" in alice.locator("ul.messagelist").inner_text()
    bob.fill("#id_paraphrase", "China's share of processing: about 90 %.")
    bob.click("input[name=_continue]")

    ARTIFACTS.mkdir(exist_ok=True)
    bob.screenshot(path=ARTIFACTS / "admin-conflicting-save-refused.png", full_page=True)
    refusal = bob.locator("ul.errorlist.nonfield")
    assert "was changed by alice on " in refusal.inner_text()
    history = reverse("admin:claims_claim_history", args=[claim.pk])
    assert refusal.locator("a").get_attribute("href") == history
    assert bob.input_value("#id_quote") == "China handles nearly 90 percent of processing."
    assert bob.input_value("#id_paraphrase") == "China's share of processing: about 90 %."
    claim.refresh_from_db()
    assert claim.paraphrase == ""

    bob.click("input[name=_continue]")
    assert "was changed successfully" in bob.locator("ul.messagelist").inner_text()
    claim.refresh_from_db()
    assert claim.quote == "China handles nearly 90 percent of processing."
    assert claim.paraphrase == "China's share of processing: about 90 %."
