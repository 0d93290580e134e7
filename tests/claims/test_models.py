from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from claims.models import Claim, Metal
from tests.conftest import make_actor, make_claim, make_question, make_source

REE = [
    "Sc",
    "Y",
    "La",
    "Ce",
    "Pr",
    "Nd",
    "Pm",
    "Sm",
    "Eu",
    "Gd",
    "Tb",
    "Dy",
    "Ho",
    "Er",
    "Tm",
    "Yb",
    "Lu",
]
RARE_METALS = ["Li", "W", "Ti", "Zr", "Mo", "Nb", "Ta", "Be", "Hf", "In", "Ga", "Re"]


@pytest.mark.django_db
def test_migrate_adds_every_rare_earth_element_each_light_or_heavy():
    elements = Metal.objects.filter(symbol__in=REE)
    assert sorted(elements.values_list("symbol", flat=True)) == sorted(REE)
    assert set(elements.values_list("category", flat=True)) == {"light_ree", "heavy_ree"}
    light = set(Metal.objects.get(symbol="LREE").members.values_list("symbol", flat=True))
    heavy = set(Metal.objects.get(symbol="HREE").members.values_list("symbol", flat=True))
    everything = set(Metal.objects.get(symbol="REE").members.values_list("symbol", flat=True))
    assert light | heavy == everything == set(REE)
    assert not light & heavy
    assert {"La", "Nd"} <= light
    assert {"Dy", "Tb", "Y"} <= heavy


@pytest.mark.django_db
def test_migrate_adds_the_rare_metals_the_seeds_name():
    found = Metal.objects.filter(symbol__in=RARE_METALS, category="rare_metal")
    assert found.count() == len(RARE_METALS)
    assert Metal.objects.get(symbol="W").name == "tungsten"
    assert Metal.objects.get(symbol="W").atomic_number == 74


@pytest.mark.django_db
def test_a_group_has_no_atomic_number_and_an_element_has_one():
    with pytest.raises(IntegrityError), transaction.atomic():
        Metal.objects.create(symbol="XX", name="x", category="group", atomic_number=119 - 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Metal.objects.create(symbol="Xe", name="xenon", category="other")


@pytest.mark.django_db
def test_claim_refs_are_unique():
    make_claim(ref="eat-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_claim(ref="eat-1")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"qualifier": "between", "value": Decimal(3), "value_high": Decimal(2)},
        {"qualifier": "between", "value": Decimal(3)},
        {"qualifier": "exact", "value": Decimal(3), "value_high": Decimal(4)},
        {"qualifier": "about"},
        {"answer": "no", "value": Decimal(1), "qualifier": "exact"},
    ],
    ids=[
        "high-below-low",
        "between-without-high",
        "high-without-between",
        "qualifier-without-value",
        "answer-and-value",
    ],
)
def test_the_database_refuses_an_inconsistent_figure(fields):
    source = make_source()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(ref="bad", source=source, quote="q", **fields)
    assert not Claim.objects.filter(ref="bad").exists()


@pytest.mark.django_db
def test_a_between_figure_is_accepted():
    claim = make_claim(qualifier="between", value=Decimal(2), value_high=Decimal(3), unit="x")
    assert claim.stated_figure() == "2–3 x"


@pytest.mark.django_db
def test_a_question_in_use_cannot_be_deleted_nor_a_speaker():
    question = make_question()
    speaker = make_actor()
    make_claim(question=question, speaker=speaker)
    with pytest.raises(ProtectedError):
        question.delete()
    with pytest.raises(ProtectedError):
        speaker.delete()


@pytest.mark.django_db
def test_a_yes_no_question_has_no_unit():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_question(kind="boolean", unit="%")


@pytest.mark.django_db
def test_the_quote_check_ignores_whitespace_and_says_when_it_cannot_check():
    source = make_source(text="Russia has the fifth-largest\nreserves of rare earth metals.")
    found = make_claim(source=source, quote="the fifth-largest reserves")
    missing = make_claim(source=source, quote="the second-largest reserves")
    unknown = make_claim(source=make_source(text=""), quote="anything")
    assert found.quote_found is True
    assert missing.quote_found is False
    assert unknown.quote_found is None


@pytest.mark.django_db
def test_the_origin_is_the_first_known_of_speaker_cited_publisher_cited_source_publisher_source():
    government = make_actor(slug="government-of-russia", name="Government of Russia")
    ministry = make_actor(slug="ministry", parent=government)
    oecd = make_actor(slug="oecd", name="OECD")
    iea = make_actor(slug="iea", name="International Energy Agency", parent=oecd)
    jamestown = make_actor(slug="jamestown", name="The Jamestown Foundation")
    cited = make_source(slug="iea-2025-10-23", publisher=iea)
    unpublished = make_source(slug="note-2025", title="An unpublished note")
    edm = make_source(slug="edm", title="Eurasia Daily Monitor", publisher=jamestown)
    plain = make_source(slug="eat", title="The EurAsian Times article")

    claims = {
        "speaker": make_claim(source=edm, speaker=ministry, cited_source=cited),
        "cited publisher": make_claim(source=edm, cited_source=cited),
        "cited source": make_claim(source=edm, cited_source=unpublished),
        "publisher": make_claim(source=edm),
        "source": make_claim(source=plain),
        "unattributed": make_claim(source=edm, speaker=ministry, unattributed=True),
    }

    expected = {
        "speaker": ("actor:government-of-russia", "Government of Russia"),
        # Two reports of one agency are one origin: the IEA's top-level actor.
        "cited publisher": ("actor:oecd", "OECD"),
        "cited source": ("source:note-2025", "An unpublished note"),
        "publisher": ("actor:jamestown", "The Jamestown Foundation"),
        "source": ("source:eat", "The EurAsian Times article"),
        "unattributed": (f"unattributed:{claims['unattributed'].ref}", "unnamed reports"),
    }
    assert {case: (c.origin, c.origin_label) for case, c in claims.items()} == expected
    # figures() reads the same origins as plain values, in its one query.
    read = {claim.figure.ref: claim for claim in Claim.objects.figures()}
    assert {
        case: (read[c.ref].figure.origin, read[c.ref].origin_label) for case, c in claims.items()
    } == (expected)


@pytest.mark.django_db
def test_the_credit_names_the_origin_and_where_it_was_reported_unless_it_is_the_publishers_own():
    iea = make_actor(slug="iea", name="International Energy Agency")
    jamestown = make_actor(slug="jamestown", name="The Jamestown Foundation")
    edm = make_source(publisher=jamestown)
    untitled = make_source(title="A blog post")
    by_iea = make_claim(source=edm, speaker=iea)
    own = make_claim(source=edm)
    unnamed = make_claim(source=untitled, unattributed=True)
    blog = make_claim(source=untitled)

    credits = {c.ref: c.credit for c in (by_iea, own, unnamed, blog)}

    assert credits == {
        by_iea.ref: "International Energy Agency (in The Jamestown Foundation)",
        own.ref: "The Jamestown Foundation",
        unnamed.ref: "unnamed reports (in A blog post)",
        blog.ref: "A blog post",
    }
    assert {c.figure.ref: c.credit for c in Claim.objects.figures()} == credits


@pytest.mark.django_db
def test_an_origin_past_the_joined_parents_is_still_its_top_actor():
    top = make_actor(slug="top", name="Top")
    actor = top
    for depth in range(5):
        actor = make_actor(slug=f"level-{depth}", parent=actor)
    source = make_source(publisher=actor)
    claim = make_claim(source=source)

    (figure,) = Claim.objects.figures()

    assert (figure.figure.origin, figure.origin_label) == ("actor:top", "Top")
    # The publisher's own figure: credited to the publisher, not to its top-level actor.
    assert (claim.origin, claim.credit) == ("actor:top", actor.name)


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({"qualifier": "about", "value": Decimal("28.500000"), "unit": "Mt"}, "about 28.5 Mt"),
        ({"qualifier": "more_than", "value": Decimal("98"), "unit": "%"}, "more than 98%"),
        ({"qualifier": "exact", "value": Decimal("3000"), "unit": "t"}, "3,000 t"),
        ({"qualifier": "exact", "value": Decimal("5"), "unit": "rank"}, "#5"),
        ({"answer": "no"}, "no"),
        ({}, ""),
    ],
)
def test_the_figure_reads_as_stated(fields, text):
    assert Claim(**fields).stated_figure() == text
