"""The review screen (claims/admin_extraction.py): a source's figures as candidates a curator
ticks, edits and creates as drafts in one transaction; readers get a 403 and no button; a bad row
refuses them all; re-running proposes no recorded figure; a fixed number of queries."""

from decimal import Decimal

import pytest
from django.urls import reverse

from claims.extraction import Recorded, extract, unrecorded
from claims.models import Claim
from claims.services import FROM_TEXT_REASON
from tests.conftest import make_claim, make_question, make_source, make_user

pytestmark = pytest.mark.django_db

TEXT = (
    "China accounts for about 91 per cent of the world's refined rare earth output.\n"
    "Russia plans to produce 2,000 tonnes of rare earth oxides by 2030."
)


def url(source):
    return reverse("admin:claims_claim_from_text", args=[source.pk])


def keys(response):
    return [row.key for row, _ in response.context["rows"]]


def posted(response, ticked, **edits):
    """What a browser sends from the screen as rendered, with `ticked` rows and `edits`."""
    data = {"pick": ticked, "create": "Create drafts"}
    for row, _ in response.context["rows"]:
        for name, value in row.values.items():
            data[f"{row.key}-{name}"] = value
    data.update(edits)
    return data


@pytest.fixture
def curator(client):
    client.force_login(make_user("curator"))
    return client


@pytest.fixture
def source():
    make_question(slug="china-share", title="China's share of refined rare earths", unit="%")
    return make_source(slug="new-article", title="New article", text=TEXT)


def test_the_source_page_has_the_button_for_curators_only(client, source):
    page = reverse("admin:sources_source_change", args=[source.pk])
    client.force_login(make_user("curator"))
    assert url(source) in client.get(page).content.decode()
    client.force_login(make_user("reader"))
    assert url(source) not in client.get(page).content.decode()
    assert client.get(url(source)).status_code == 403
    assert client.post(url(source), {"pick": ["x"]}).status_code == 403


def test_the_screen_marks_each_quote_in_its_paragraph(curator, source):
    response = curator.get(url(source))
    html = response.content.decode()
    assert len(keys(response)) == 2
    assert "<mark>China accounts for about 91 per cent" in html
    row = response.context["rows"][0][0]
    assert row.values["value"] == "91" and row.values["unit"] == "%"
    assert row.values["question"] == "china-share"
    assert 'list="review-actors"' in html and html.count('<datalist id="review-actors">') == 1


def test_create_drafts_makes_the_ticked_rows_drafts_with_refs_from_the_slug(curator, source):
    make_claim(source=source, ref="new-article-4", quote="other", value=None)
    response = curator.get(url(source))
    first, second = keys(response)
    data = posted(response, [first, second], **{f"{second}-as_of": "2031"})

    response = curator.post(url(source), data)

    assert response.status_code == 302
    drafts = Claim.objects.filter(source=source, ref__in=["new-article-5", "new-article-6"])
    assert [(c.ref, c.status, c.value, c.as_of) for c in drafts.order_by("ref")] == [
        ("new-article-5", "draft", 91, ""),
        ("new-article-6", "draft", 2000, "2031"),
    ]
    claim = drafts.get(ref="new-article-5")
    assert claim.question.slug == "china-share" and claim.quote_found is True
    assert claim.created_by.username.startswith("curator")
    assert claim.history.latest().history_change_reason == FROM_TEXT_REASON
    # Re-running proposes neither figure again.
    assert keys(curator.get(url(source))) == []


def test_an_invalid_row_refuses_all_and_keeps_the_edits(curator, source):
    response = curator.get(url(source))
    first, second = keys(response)
    data = posted(
        response,
        [first, second],
        **{f"{first}-value": "ninety", f"{second}-speaker": "nobody", f"{second}-unit": "t"},
    )
    data[f"{second}-question"] = "china-share"  # tonnes under a share: refused by problems_on

    response = curator.post(url(source), data)

    assert response.status_code == 200
    assert not Claim.objects.filter(source=source).exists()
    rows = {row.key: row for row, _ in response.context["rows"]}
    assert any("not a number" in e for e in rows[first].errors)
    assert any("no actor has the slug" in e for e in rows[second].errors)
    assert rows[first].values["value"] == "ninety"
    assert "Nothing was created" in response.content.decode()


def test_a_row_filed_under_another_dimension_is_refused(curator, source):
    response = curator.get(url(source))
    _, second = keys(response)
    data = posted(response, [second], **{f"{second}-question": "china-share"})
    response = curator.post(url(source), data)
    assert response.status_code == 200
    assert any("cannot stand on this question" in e for e in response.context["rows"][1][0].errors)
    assert not Claim.objects.exists()


def test_a_tampered_post_creates_nothing(curator, source):
    response = curator.get(url(source))
    data = posted(response, ["c0-1-0"])
    response = curator.post(url(source), data)
    assert response.status_code == 200
    assert "are not candidates of this source" in response.content.decode()
    response = curator.post(url(source), {"pick": keys(response)[:1]})  # fields missing
    assert response.status_code in (200, 302)
    assert curator.post(url(source), {}).status_code == 200


def test_a_new_question_is_made_in_the_rows_unit(curator, source):
    response = curator.get(url(source))
    _, second = keys(response)
    data = posted(
        response,
        [second],
        **{f"{second}-question": "__new__", f"{second}-new_title": "Russia's REO output plan"},
    )
    assert curator.post(url(source), data).status_code == 302
    claim = Claim.objects.get(source=source)
    assert (claim.question.slug, claim.question.unit) == ("russias-reo-output-plan", "t")


def _text(count):
    return "\n".join(f"The mine produced {n + 10} thousand tonnes of nickel." for n in range(count))


@pytest.mark.parametrize("count", [20, 200])
def test_the_screen_takes_the_same_queries_for_20_and_200_candidates(
    curator, count, django_assert_num_queries
):
    for _ in range(5):
        make_question(unit="t")
    source = make_source(text=_text(count))
    with django_assert_num_queries(13):
        response = curator.get(url(source))
    assert len(keys(response)) == count


def test_unrecorded_drops_only_the_recorded_figure_at_its_place():
    text = "Output rose by 70 percent in May. Exports also grew 70 percent in June."
    candidates = extract(text)
    recorded = [Recorded("Exports also grew 70 percent in June.", "", Decimal(70), None, "%")]
    left = unrecorded(text, candidates, recorded)
    assert [c.quote for c in left] == ["Output rose by 70 percent in May."]


def test_a_superuser_may_use_the_screen(admin_client, source):
    assert admin_client.get(url(source)).status_code == 200
