"""A claim's own page: its figure credited to who said it, where its year comes from, its links
both ways, and how it stands on its question; as HTML, CSV and JSON."""

import csv
import io

import pytest
from django.urls import reverse

from claims.models import Claim, ClaimLink, Metal
from core import dataversion
from pages.views import claims as claim_pages
from tests.conftest import make_actor, make_claim, make_question, make_source, make_user
from tests.pages.linking import link_in_a_chain

IEA_MINING = "edm-china-share-ree-mining"  # the IEA's 59 %, as The Jamestown Foundation reports it
EAT_MINING = "eat-china-share-ree-mining"  # The EurAsian Times' own "around 70 %"
RESERVES = "edm-russia-ree-reserves"
HARD_TO_VERIFY = "edm-russia-reserves-hard-to-verify"  # the author's caveat on RESERVES


def _page(client, ref, **params):
    return client.get(reverse("claim_detail", args=[ref]), params)


def _section(html, label):
    start = html.index(f'aria-label="{label}"')
    return html[start : html.index("</section>", start)]


@pytest.mark.django_db
def test_it_credits_the_figure_and_says_where_it_stands(client, demo):
    html = _page(client, IEA_MINING).content.decode()

    label = "International Energy Agency (in The Jamestown Foundation): 59%"
    assert f"<h1>{label}</h1>" in html
    assert "<dt>Figure as stated</dt><dd>59%</dd>" in html
    assert '<dt>Origin</dt><dd><a href="/actors/iea/">International Energy Agency</a>' in html
    # Its year is the IEA report's, not the article's (2026).
    assert "<dt>Year compared</dt><dd>2025 (the date of the source it cites)</dd>" in html
    assert '<span class="status">checked</span>' in html
    assert "“Latest figures show that the PRC maintains 59 percent" in html
    assert "Team's note:" in html
    source = '<a href="/sources/edm-2026-02-russia-struggling-prc-rare-earth/">'
    assert f"<dt>Source</dt><dd>{source}" in html
    standing = _section(html, "Standing")
    assert '<a href="/questions/china-share-ree-mining/">' in standing
    assert standing.count('class="badge conflict">conflict<') == 2  # the question's and its own
    assert (
        f'Conflicts with <a href="/claims/{EAT_MINING}/">The EurAsian Times: about 70%</a>'
        in standing
    )


@pytest.mark.django_db
def test_it_shows_its_links_both_ways(client, demo):
    reserves = _page(client, RESERVES).content.decode()
    caveat = _page(client, HARD_TO_VERIFY).content.decode()

    # The caveat states no figure: it is named by its quote, which is the point of it.
    assert f'Qualified by <a href="/claims/{HARD_TO_VERIFY}/">The Jamestown Foundation: “' in (
        _section(reserves, "Links")
    )
    linked = 'Qualifies <a href="/claims/edm-russia-ree-reserves/">Government of Russia (in The'
    assert linked in _section(caveat, "Links")


@pytest.mark.django_db
def test_its_data_has_the_year_the_links_and_the_standing(client, demo):
    document = _page(client, RESERVES, format="json").json()["claim"]
    assert (document["ref"], document["year"], document["year_from"]) == (
        RESERVES,
        2025,
        "cited_source",
    )
    assert document["links"] == []
    assert document["linked_from"] == [{"kind": "qualifies", "ref": HARD_TO_VERIFY}]
    assert document["standing"] == "single"
    assert document["echoes"] == ["eat-russia-ree-reserves"]
    assert document["url"] == f"http://testserver/claims/{RESERVES}/"

    rows = list(
        csv.DictReader(
            io.StringIO(_page(client, RESERVES, format="csv").content.decode("utf-8-sig"))
        )
    )
    assert len(rows) == 1
    assert (rows[0]["linked_from"], rows[0]["year"]) == (f"qualifies:{HARD_TO_VERIFY}", "2025")


@pytest.mark.django_db
def test_a_claim_on_no_question_has_no_standing(client):
    claim = make_claim(quote="A remark.", source=make_source(published="2024-03"))
    response = _page(client, claim.ref)
    html = response.content.decode()
    assert "not yet filed under a question" in html
    assert 'aria-label="Standing"' not in html
    assert "<dt>Year compared</dt><dd>2024 (the date of its source)</dd>" in html
    header = next(
        csv.reader(io.StringIO(_page(client, claim.ref, format="csv").content.decode("utf-8-sig")))
    )
    assert "standing" not in header and "year" in header


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Claim.Status.DRAFT, Claim.Status.RETRACTED])
def test_a_claim_readers_may_not_see_is_not_found(client, status):
    claim = make_claim(status=status)
    assert _page(client, claim.ref).status_code == 404
    assert _page(client, claim.ref, format="json").status_code == 404
    assert _page(client, "no-such-claim").status_code == 404
    # The public pages show the public record to everyone: a curator reads drafts in the admin.
    client.force_login(make_user("curator"))
    assert _page(client, claim.ref).status_code == 404


@pytest.mark.django_db
def test_with_the_login_setting_readers_log_in_first(client, settings, django_user_model):
    settings.PUBLIC_PAGES_REQUIRE_LOGIN = True
    public, draft = make_claim(), make_claim(status=Claim.Status.DRAFT)
    response = _page(client, public.ref)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    # A team member (no staff rights) reads public claims, and still no drafts.
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    assert _page(client, public.ref).status_code == 200
    assert _page(client, draft.ref).status_code == 404


@pytest.mark.django_db
def test_links_to_or_from_claims_readers_may_not_see_are_left_out(client):
    claim, checked = make_claim(), make_claim(value=1, unit="%")
    draft = make_claim(status=Claim.Status.DRAFT, quote="Unchecked yet.")
    ClaimLink.objects.create(claim=claim, kind="qualifies", target=draft)
    ClaimLink.objects.create(claim=draft, kind="disputes", target=claim)
    ClaimLink.objects.create(claim=checked, kind="disputes", target=claim)

    html = _page(client, claim.ref).content.decode()
    document = _page(client, claim.ref, format="json").json()["claim"]

    assert draft.ref not in html and "Unchecked yet." not in html
    assert f'Disputed by <a href="/claims/{checked.ref}/">' in html
    assert (document["links"], document["linked_from"]) == (
        [],
        [{"kind": "disputes", "ref": checked.ref}],
    )


@pytest.mark.django_db
def test_a_correction_of_its_own_origin_supersedes_it(client):
    usgs, other = make_actor(name="USGS"), make_actor(name="Other agency")
    question = make_question(tolerance=0)
    old = make_claim(question=question, speaker=usgs, value=10, unit="%", as_of="2024")
    new = make_claim(question=question, speaker=usgs, value=12, unit="%", as_of="2025")
    make_claim(question=question, speaker=other, value=12, unit="%", as_of="2025")
    ClaimLink.objects.create(claim=new, kind="corrects", target=old)

    html = _page(client, old.ref).content.decode()
    document = _page(client, old.ref, format="json").json()["claim"]
    question_html = client.get(question.get_absolute_url()).content.decode()

    standing = _section(html, "Standing")
    # The old figure leaves the verdict: USGS's revision and the other agency agree.
    assert 'class="badge agree">agree<' in standing
    assert 'class="badge superseded">superseded<' in standing
    assert f'Superseded by <a href="/claims/{new.ref}/">USGS' in standing
    assert (document["standing"], document["superseded_by"]) == ("superseded", [new.ref])
    assert "The sources agree." in question_html
    row = question_html[question_html.index(f'id="claim-{old.ref}"') :].split("</tr>")[0]
    assert "superseded by USGS" in row and f'corrected by <a href="/claims/{new.ref}/">' in row


@pytest.mark.django_db
def test_a_correction_by_another_origin_is_a_link_and_supersedes_nothing(client):
    question = make_question(tolerance=0)
    first = make_claim(question=question, speaker=make_actor(), value=10, unit="%")
    second = make_claim(question=question, speaker=make_actor(), value=12, unit="%")
    ClaimLink.objects.create(claim=second, kind="corrects", target=first)

    html = _page(client, first.ref).content.decode()

    assert "superseded" not in _section(html, "Standing")
    assert f'Conflicts with <a href="/claims/{second.ref}/">' in html
    assert f'Corrected by <a href="/claims/{second.ref}/">' in _section(html, "Links")


@pytest.mark.django_db
def test_every_claim_row_elsewhere_links_to_its_page(client, neodymium):
    actor = make_actor()
    question = make_question()
    a, b = make_source(title="Reserves A"), make_source(title="Reserves B")
    claim = make_claim(
        source=a,
        question=question,
        speaker=actor,
        metals=[neodymium],
        value=5,
        unit="%",
        quote="Reserves are five.",
    )
    make_claim(source=b, question=question, value=6, unit="%", quote="Reserves are six.")
    href = f'href="/claims/{claim.ref}/"'
    for url, params in [
        (question.get_absolute_url(), {}),
        (a.get_absolute_url(), {}),
        (b.get_absolute_url(), {}),  # named beside the other source's claim
        (reverse("compare"), {"a": a.slug, "b": b.slug}),
        (reverse("search"), {"q": "reserves"}),
        (reverse("metal_detail", args=["Nd"]), {}),
        (actor.get_absolute_url(), {}),
    ]:
        assert href in client.get(url, params).content.decode(), url


@pytest.mark.django_db
@pytest.mark.parametrize("others", [3, 6])
def test_it_runs_the_same_queries_whatever_the_number_of_links_and_claims(
    client, django_assert_num_queries, neodymium, others
):
    question = make_question()
    claim = make_claim(
        question=question,
        speaker=make_actor(parent=make_actor()),
        cited_source=make_source(publisher=make_actor()),
        about=[make_actor()],
        metals=[neodymium, Metal.objects.get(symbol="Pr")],
        value=10,
        unit="%",
    )
    rest = [
        make_claim(question=question, speaker=make_actor(), value=10 + n, unit="%")
        for n in range(others)
    ]
    # Links each way, to claims with figures and to one without (named by its quote).
    link_in_a_chain([*rest, claim, make_claim(quote="Hard to verify.")])
    # 1. the claim with its source, question, speaker, cited source and their publishers' chains,
    # 2. the actors it is about, 3. its metals, 4-7. its links each way with the claims at the
    # other ends, 8. the placed claims of its question, 9. the claims its standing names
    # Each page also reads the data version (core.dataversion): +1 below. Read it
    # once first, so that the version of the writes above is not counted.
    dataversion.current()
    with django_assert_num_queries(10):
        assert _page(client, claim.ref).status_code == 200
    # The same but the named claims
    with django_assert_num_queries(9):
        assert _page(client, claim.ref, format="json").status_code == 200


@pytest.mark.django_db
def test_the_lists_data_carry_each_claims_links_as_claims_csv_writes_them(client):
    question = make_question()
    first, second = (make_claim(question=question, value=v, unit="%") for v in (10, 11))
    third = make_claim(question=question, value=12, unit="%")
    ClaimLink.objects.create(claim=third, kind="qualifies", target=first)
    ClaimLink.objects.create(claim=third, kind="corrects", target=second)

    response = client.get(question.get_absolute_url(), {"format": "csv"})
    rows = {
        row["ref"]: row for row in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    }
    claims = {
        claim["ref"]: claim
        for claim in client.get(question.get_absolute_url(), {"format": "json"}).json()["claims"]
    }

    # By kind, then ref: what the links column of claims.csv reads back.
    assert rows[third.ref]["links"] == f"corrects:{second.ref}|qualifies:{first.ref}"
    assert rows[first.ref]["linked_from"] == f"qualifies:{third.ref}"
    assert claims[third.ref]["links"] == [
        {"kind": "corrects", "ref": second.ref},
        {"kind": "qualifies", "ref": first.ref},
    ]
    assert claims[second.ref]["linked_from"] == [{"kind": "corrects", "ref": third.ref}]


@pytest.mark.django_db
def test_the_source_page_marks_a_superseded_claim(client):
    agency = make_actor(name="Agency")
    question = make_question()
    source = make_source()
    old = make_claim(source=source, question=question, speaker=agency, value=10, unit="%")
    new = make_claim(question=question, speaker=agency, value=20, unit="%")
    ClaimLink.objects.create(claim=new, kind="corrects", target=old)

    html = client.get(source.get_absolute_url()).content.decode()

    article = html[html.index(f'id="claim-{old.ref}"') :].split("</article>")[0]
    assert 'class="badge superseded">superseded<' in article
    assert f'Superseded by <a href="/claims/{new.ref}/">Agency (in ' in article
    assert "No other source on this question yet." not in article


@pytest.mark.django_db
def test_past_a_few_the_claims_it_stands_with_are_counted(client, monkeypatch):
    monkeypatch.setattr(claim_pages, "SHOWN_PER_RELATION", 2)
    question = make_question()
    claim = make_claim(question=question, value=10, unit="%")
    for _ in range(4):
        make_claim(question=question, value=10, unit="%")

    standing = _section(_page(client, claim.ref).content.decode(), "Standing")

    assert standing.count('<a href="/claims/') == 2
    assert "… and 2 more: <a" in standing
    # The data names them all.
    assert len(_page(client, claim.ref, format="json").json()["claim"]["agrees_with"]) == 4
