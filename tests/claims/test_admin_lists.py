"""The claim list a curator works in: its columns, its filters picked from searchable lists, and
numbers as stated in the admin's lists and forms."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from claims.models import Claim
from tests.conftest import make_actor, make_claim, make_question, make_source, make_user

pytestmark = pytest.mark.django_db

CLAIMS = reverse("admin:claims_claim_changelist")
FILTER_LIST = reverse("admin:claims_claim_autocomplete_filter")


def cells(html, column):
    """The text of each row's cell in `column` (tags stripped)."""
    found = re.findall(rf'<t[dh] class="field-{column}[^"]*">(.*?)</t[dh]>', html, re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in found]


def test_the_claim_list_shows_each_figure_as_its_source_states_it(admin_client):
    question = make_question(unit="%")
    rank = make_question(kind="rank", unit="rank")
    yes_no = make_question(kind="boolean", unit="")
    make_claim(ref="a-about", question=question, qualifier="about", value=70, unit="%")
    make_claim(ref="b-more", question=question, qualifier="more_than", value=98, unit="%")
    make_claim(ref="c-rank", question=rank, qualifier="exact", value=5, unit="rank")
    make_claim(ref="d-answer", question=yes_no, answer="no")

    html = admin_client.get(CLAIMS).content.decode()

    assert cells(html, "figure") == [
        Claim.objects.get(ref=ref).stated_figure()
        for ref in ("a-about", "b-more", "c-rank", "d-answer")
    ]
    assert cells(html, "figure")[2:] == ["#5", "no"]
    assert "70.000000" not in html and "98.000000" not in html


def test_the_claim_list_shortens_long_titles_and_keeps_the_whole_one_in_the_tooltip(
    admin_client,
):
    title = "Russia seeks Chinese rare-earth extraction technology, and what came of the talks"
    make_claim(source=make_source(title=title), question=make_question(title="Q " + title))

    html = admin_client.get(CLAIMS).content.decode()

    (source,) = cells(html, "source_title")
    (question,) = cells(html, "question_title")
    assert source.endswith("…") and len(source) == 40 and title.startswith(source[:-1])
    assert question.endswith("…") and len(question) == 48
    assert f'title="{title}"' in html and f'title="Q {title}"' in html


def test_the_claim_list_shows_status_quote_found_and_who_checked(admin_client):
    checker = make_user("curator", username="carla")
    source = make_source(text="China handles nearly 90 percent of processing.")
    make_claim(ref="found", source=source, quote="nearly 90 percent")
    make_claim(ref="missing", source=source, quote="91 percent")
    Claim.objects.filter(ref="found").update(checked_by=checker)

    html = admin_client.get(CLAIMS).content.decode()

    assert cells(html, "status") == ["checked", "checked"]
    assert cells(html, "checked_by") == ["carla", "-"]
    found, missing = re.findall(r'<td class="field-quote_found">(.*?)</td>', html, re.S)
    assert 'alt="True"' in found and 'alt="False"' in missing


def test_the_unfiltered_claim_list_runs_a_fixed_number_of_queries(
    admin_client, django_assert_num_queries
):
    for _ in range(3):
        make_claim(question=make_question(), speaker=make_actor(), source=make_source())
    # 1. session, 2. user, 3. count of the page (capped; no full count), 4. the page of claims
    # joined with source, question, speaker and checker, 5. the curators for the "checked by"
    # filter, 6. metals for the metal filter. The question, source and speaker filters read
    # nothing until a curator types.
    with django_assert_num_queries(6):
        response = admin_client.get(CLAIMS)
    assert response.content.count(b'class="action-select"') == 3


@pytest.mark.parametrize("field", ["question", "source", "speaker"])
def test_a_filter_picked_from_the_list_names_its_record_and_filters_by_slug(
    admin_client, django_assert_num_queries, field
):
    kept = make_claim(
        ref="kept",
        question=make_question(slug="q-kept", title="Kept question"),
        source=make_source(slug="s-kept", title="Kept source"),
        speaker=make_actor(slug="a-kept", name="Kept speaker"),
    )
    make_claim(ref="other", question=make_question(), speaker=make_actor())
    record = getattr(kept, field)

    # The six of the unfiltered list, and 7. the chosen record, by its slug, to name it.
    with django_assert_num_queries(7):
        html = admin_client.get(CLAIMS, {field: record.slug}).content.decode()

    assert cells(html, "ref") == ["kept"]
    select = re.search(rf'<select name="{field}".*?</select>', html, re.S).group(0)
    assert "admin-autocomplete" in select
    assert f'data-ajax--url="{FILTER_LIST}"' in select
    assert f'<option value="{record.slug}" selected>{record}</option>' in select


def test_a_filter_on_a_slug_that_names_nothing_says_so_and_lists_nothing(admin_client):
    make_claim(ref="kept", source=make_source())
    html = admin_client.get(CLAIMS, {"source": "gone"}).content.decode()
    assert cells(html, "ref") == []
    assert '<option value="gone" selected>gone (no such record)</option>' in html


def test_a_filter_keeps_the_search_and_the_other_filters_when_a_record_is_picked(admin_client):
    make_claim(source=make_source(slug="s-kept"))
    html = admin_client.get(CLAIMS, {"source": "s-kept", "q": "quote", "status": "checked"})
    form = re.search(
        r'<form method="get" class="autocomplete-filter">(.*?)</form>',
        html.content.decode(),
        re.S,
    ).group(1)
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form))
    # The question filter's form comes first: it keeps the source filter, the search and status.
    assert hidden == {"source": "s-kept", "q": "quote", "status": "checked"}


def test_the_filter_list_searches_the_records_and_answers_their_slugs(admin_client):
    make_source(slug="jamestown-2025", title="Jamestown on rare earths")
    make_source(slug="other-2025", title="Something else")
    response = admin_client.get(
        FILTER_LIST,
        {"app_label": "claims", "model_name": "claim", "field_name": "source", "term": "james"},
    )
    assert response.status_code == 200
    assert response.json()["results"] == [
        {"id": "jamestown-2025", "text": "Jamestown on rare earths"}
    ]


@pytest.mark.parametrize(
    ("params", "status"),
    [
        # Not one of the claim list's filters: the cited source is a field, not a filter.
        ({"app_label": "claims", "model_name": "claim", "field_name": "cited_source"}, 403),
        # Another model's field, even one with a filter of that name here.
        ({"app_label": "sources", "model_name": "source", "field_name": "publisher"}, 403),
        ({"app_label": "claims", "model_name": "claim"}, 403),
    ],
)
def test_the_filter_list_answers_only_for_the_claim_lists_filters(admin_client, params, status):
    assert admin_client.get(FILTER_LIST, params).status_code == status


def test_the_filter_list_is_for_those_who_may_see_the_claims(client, django_user_model):
    make_source(title="Jamestown on rare earths")
    params = {"app_label": "claims", "model_name": "claim", "field_name": "source", "term": "j"}
    # A staff account without a role sees no records, so no list of them either.
    nobody = django_user_model.objects.create_user("nobody", password="pw", is_staff=True)
    client.force_login(nobody)
    assert client.get(FILTER_LIST, params).status_code == 403
    # A reader sees every record: the list too.
    client.force_login(make_user("reader"))
    assert client.get(FILTER_LIST, params).json()["results"][0]["text"] == (
        "Jamestown on rare earths"
    )


def test_the_checked_by_filter_lists_those_who_may_check_and_filters_by_them(admin_client):
    carla, dan = make_user("curator", username="carla"), make_user("curator", username="dan")
    make_user("reader", username="rita")
    get_user_model().objects.create_user("outsider", password="pw")  # no admin access
    make_claim(ref="by-carla")
    make_claim(ref="by-dan")
    Claim.objects.filter(ref="by-carla").update(checked_by=carla)
    Claim.objects.filter(ref="by-dan").update(checked_by=dan)

    html = admin_client.get(CLAIMS).content.decode()
    choices = re.search(r'data-filter-title="checked by".*?</details>', html, re.S).group(0)
    # The curators and the superuser: a reader may not check a claim, nor an outsider.
    assert set(re.findall(r">([a-z]+)</a>", choices)) == {"carla", "dan", "root"}

    filtered = admin_client.get(CLAIMS, {"checked_by__id__exact": carla.pk}).content.decode()
    assert cells(filtered, "ref") == ["by-carla"]


def test_the_quote_found_filter_separates_found_missing_and_unknown(admin_client):
    source = make_source(text="China handles nearly 90 percent of processing.")
    make_claim(ref="found", source=source, quote="nearly 90 percent")
    make_claim(ref="missing", source=source, quote="91 percent")
    make_claim(ref="no-text", source=make_source(text=""))
    for params, refs in [
        ({"quote_found__exact": "1"}, ["found"]),
        ({"quote_found__exact": "0"}, ["missing"]),
        ({"quote_found__isnull": "True"}, ["no-text"]),
    ]:
        assert cells(admin_client.get(CLAIMS, params).content.decode(), "ref") == refs


def test_the_question_list_shows_tolerances_as_stated(admin_client):
    make_question(title="A share", tolerance=Decimal("2"))
    make_question(title="B reserve", tolerance=Decimal("0.25"))
    html = admin_client.get(reverse("admin:claims_question_changelist")).content.decode()
    assert cells(html, "tolerance") == ["2", "0.25"]
    assert "2.000000" not in html


def test_forms_show_figures_and_tolerances_as_stated(admin_client):
    question = make_question(tolerance=Decimal(2), lower_bound=0, upper_bound=100)
    claim = make_claim(question=question, qualifier="between", value=28.5, value_high=30, unit="%")

    claim_form = admin_client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    question_form = admin_client.get(reverse("admin:claims_question_change", args=[question.pk]))

    claim_html, question_html = claim_form.content.decode(), question_form.content.decode()
    assert re.search(r'name="value" value="28.5"', claim_html)
    assert re.search(r'name="value_high" value="30"', claim_html)
    for name, value in [("tolerance", "2"), ("lower_bound", "0"), ("upper_bound", "100")]:
        assert re.search(rf'name="{name}" value="{value}"', question_html), name
    assert ".000000" not in claim_html and ".000000" not in question_html


def test_a_reader_sees_figures_as_stated_on_a_read_only_claim(client):
    claim = make_claim(question=make_question(), qualifier="about", value=70, unit="%")
    client.force_login(make_user("reader"))
    html = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    value = re.search(r'<div class="readonly">\s*70\s*</div>', html)
    assert value is not None
    assert "70.000000" not in html


def test_a_figure_sent_back_as_shown_is_not_a_change(admin_client):
    claim = make_claim(question=make_question(), qualifier="about", value=70, unit="%")
    page = admin_client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    form = page.context["adminform"].form
    # The browser shows "70" and sends it back: the stored 70.000000, unchanged.
    assert 'value="70"' in str(form["value"])
    assert not form.fields["value"].has_changed(form.initial["value"], "70")
