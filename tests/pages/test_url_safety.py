"""Keys in web addresses: slugs and metal symbols.

Every way in (the admin's forms, full_clean, the import) refuses a key that no page address can
hold; a key stored around validation (SQL, old data) never fails a page: it is shown unlinked.
"""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from claims.models import METAL_SYMBOL, Claim, Metal, Question
from sources.models import Actor, Source
from tests.conftest import examples, make_actor, make_claim, make_question, make_source
from tests.import_helpers import row_counts, run

SYMBOL_MESSAGE = METAL_SYMBOL.message
SLUG_MESSAGE = validate_slug.message
# "/" is the fault that was found; the others are what the `str` converter or a careless import
# would let through: spaces, a trailing line feed, non-ASCII letters, the CSV list separator.
BAD_KEYS = ["Xs/Y", "Xi/2", "Nd x", "Nd\n", "Ωm", "La|Ce", "N.d", "%2F", "?"]


# --------------------------------------------------------------------------- what is refused


@pytest.mark.parametrize("symbol", BAD_KEYS)
def test_full_clean_refuses_a_symbol_no_address_can_hold(symbol):
    metal = Metal(symbol=symbol, name="x", category=Metal.Category.GROUP)
    with pytest.raises(ValidationError) as caught:
        metal.full_clean(validate_unique=False, validate_constraints=False)
    assert caught.value.message_dict == {"symbol": [SYMBOL_MESSAGE]}


@pytest.mark.parametrize("symbol", ["Nd", "REE", "LREE", "Xi2", "PGM-6", "rare_x"])
def test_full_clean_accepts_symbols_and_group_codes(symbol):
    Metal(symbol=symbol, name="x", category=Metal.Category.GROUP).full_clean(
        validate_unique=False, validate_constraints=False
    )


def _accepted(validator, key):
    try:
        validator(key)
    except ValidationError:
        return False
    return True


# Keys drawn both from anything and from near the slug grammar, so that both sides are tried.
KEYS = st.text(max_size=12) | st.from_regex(r"[-a-zA-Z0-9_./| ]{1,10}", fullmatch=True)


@examples(3, deadline=None)
@given(key=KEYS)
def test_every_key_the_validators_accept_makes_an_address(key):
    # The validators and pages/urls.py describe one grammar: what one accepts, the other takes.
    if _accepted(METAL_SYMBOL, key):
        assert Metal(symbol=key).get_absolute_url() == f"/metals/{key}/"
    if _accepted(validate_slug, key):
        assert Actor(slug=key).get_absolute_url() == f"/actors/{key}/"
        assert Source(slug=key).get_absolute_url() == f"/sources/{key}/"
        assert Question(slug=key).get_absolute_url() == f"/questions/{key}/"


@pytest.mark.django_db
def test_the_admin_form_refuses_a_symbol_with_a_slash(admin_client):
    response = admin_client.post(
        reverse("admin:claims_metal_add"),
        {"symbol": "Xs/Y", "name": "xs", "category": "group", "atomic_number": ""},
    )
    assert response.status_code == 200  # the form again, with the error
    assert SYMBOL_MESSAGE.replace("'", "&#x27;") in response.content.decode()
    assert not Metal.objects.filter(name="xs").exists()


@pytest.mark.django_db
def test_the_admin_form_refuses_to_change_a_symbol_to_one_with_a_slash(admin_client, neodymium):
    response = admin_client.post(
        reverse("admin:claims_metal_change", args=[neodymium.pk]),
        {"symbol": "Nd/2", "name": "neodymium", "category": "light_ree", "atomic_number": "60"},
    )
    assert response.status_code == 200
    neodymium.refresh_from_db()
    assert neodymium.symbol == "Nd"


@pytest.mark.django_db
def test_the_admin_form_refuses_a_slug_with_a_slash(admin_client):
    response = admin_client.post(
        reverse("admin:sources_actor_add"),
        {"name": "Both", "slug": "russia/china", "kind": "country"},
    )
    assert response.status_code == 200
    assert "Enter a valid “slug”" in response.content.decode()
    assert not Actor.objects.filter(name="Both").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, content, message",
    [
        ("metals.csv", "symbol,name,atomic_number,category\nXi/2,xi,,group\n", SYMBOL_MESSAGE),
        ("metals.csv", "symbol,name,atomic_number,category\nXi Y,xi,,group\n", SYMBOL_MESSAGE),
        ("actors.csv", "slug,name,kind\nru/gov,Government,government\n", SLUG_MESSAGE),
        ("sources.csv", "slug,title,kind\niea/2025,IEA,report\n", SLUG_MESSAGE),
        ("questions.csv", "slug,title,kind,unit\nru/reserves,Reserves,quantity,t\n", SLUG_MESSAGE),
    ],
)
def test_an_import_refuses_a_key_no_address_can_hold(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content)
    before = row_counts()

    out, err, error = run("import_data", path)

    assert error is not None
    column = content.split(",", 1)[0]
    assert f"{name} line 2, column {column}: {message}" in err
    assert row_counts() == before


# --------------------------------------------------------------------------- what is stored anyway


@pytest.fixture
def stored_around_validation(db):
    """Records whose keys were written with .update(), past every validator: a metal, an actor,
    a source, a question and a claim, each linked from pages whose own keys are fine."""
    bad_metal = Metal.objects.create(symbol="Xs", name="xs-metal", category="group")
    bad_actor = make_actor(name="Slashed actor")
    child = make_actor(name="Its child", slug="its-child", parent=bad_actor)
    bad_source = make_source(title="Slashed source", publisher=bad_actor)
    good_source = make_source(title="Good source", slug="good-source", publisher=child)
    shared = make_question(title="Shared question", slug="shared")
    shared.subjects.add(bad_actor)
    shared.metals.add(bad_metal)
    bad_question = make_question(title="Slashed question")
    bad_question.metals.add(Metal.objects.get(symbol="Nd"))
    for ref, source, value in (("x-1", bad_source, 10), ("good-claim", good_source, 50)):
        make_claim(
            ref=ref,
            source=source,
            question=shared,
            speaker=bad_actor,
            cited_source=bad_source,
            about=[bad_actor],
            metals=[bad_metal],
            value=value,
            unit="%",
            quote=f"Slashed figure {value}.",
        )
    make_claim(source=good_source, question=bad_question, value=1, unit="%", about=[child])
    Metal.objects.filter(pk=bad_metal.pk).update(symbol="Xs/Y")
    Actor.objects.filter(pk=bad_actor.pk).update(slug="ru/gov")
    Source.objects.filter(pk=bad_source.pk).update(slug="iea/2025")
    Question.objects.filter(pk=bad_question.pk).update(slug="q/1")
    Claim.objects.filter(ref="x-1").update(ref="x/1")


def test_an_unaddressable_key_makes_no_address():
    assert Metal(symbol="Xs/Y").get_absolute_url() == ""
    assert Actor(slug="ru/gov").get_absolute_url() == ""
    assert Question(slug="").get_absolute_url() == ""
    # A claim's page is its own, whatever its source's key.
    assert Claim(ref="c1", source=Source(slug="iea/2025")).get_absolute_url() == "/claims/c1/"
    assert Claim(ref="c/1").get_absolute_url() == ""


PAGES = [
    ("home", []),
    ("question_list", []),
    ("question_detail", ["shared"]),
    ("source_list", []),
    ("source_detail", ["good-source"]),
    ("metal_list", []),
    ("metal_detail", ["Nd"]),
    ("actor_list", []),
    ("actor_detail", ["its-child"]),
    ("claim_detail", ["good-claim"]),
]


@pytest.mark.parametrize("name, args", PAGES)
def test_pages_show_a_record_whose_key_was_stored_around_validation_unlinked(
    client, stored_around_validation, name, args
):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    html = response.content.decode()
    # Named, never linked to: no address holds its key.
    for href in (
        'href="/metals/Xs',
        'href="/actors/ru',
        'href="/sources/iea',
        'href="/questions/q',
        'href="/claims/x',
    ):
        assert href not in html
    assert 'href=""' not in html
    shown = {"Xs/Y", "xs-metal", "Slashed actor", "Slashed source", "Slashed question"}
    assert any(text in html for text in shown)


def test_the_compare_and_search_pages_show_them_unlinked(client, stored_around_validation):
    for url, params in (
        (reverse("search"), {"q": "Slashed"}),
        (reverse("compare"), {"a": "good-source", "b": "good-source"}),
    ):
        response = client.get(url, params)
        assert response.status_code < 500
        assert 'href=""' not in response.content.decode()
    html = client.get(reverse("search"), {"q": "Slashed"}).content.decode()
    assert "Slashed actor" in html and "Slashed source" in html and "Slashed figure 10." in html


def test_the_metal_list_names_the_metal_without_a_link(client, stored_around_validation):
    html = client.get(reverse("metal_list")).content.decode()
    assert "<li>xs-metal <span" in html
    assert "<a href=" in html  # the others are still linked
    assert '<a href="/metals/Nd/">Nd</a>' in html


@pytest.mark.parametrize("name, args", PAGES + [("search", [])])
def test_exports_give_no_address_for_such_a_record(client, stored_around_validation, name, args):
    response = client.get(reverse(name, args=args), {"format": "json", "q": "Slashed"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "/metals/Xs" not in text and "/actors/ru" not in text
    assert "/sources/iea" not in text and "/questions/q/" not in text
    assert client.get(reverse(name, args=args), {"format": "csv"}).status_code == 200


def test_the_metals_json_says_null_for_the_page_it_cannot_address(client, stored_around_validation):
    metals = json.loads(client.get(reverse("metal_list"), {"format": "json"}).content)["metals"]
    pages = {metal["symbol"]: metal["page"] for metal in metals}
    assert pages["Xs/Y"] is None
    assert pages["Nd"] == "http://testserver/metals/Nd/"
