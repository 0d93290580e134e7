import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from sources.models import Actor, Source
from tests.conftest import make_actor, make_claim, make_source


@pytest.mark.django_db
def test_it_refuses_two_actors_with_one_slug():
    make_actor(slug="iea")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_actor(slug="iea")


@pytest.mark.django_db
def test_it_refuses_two_sources_with_one_url_but_allows_many_without():
    make_source(url="https://example.org/a")
    make_source(url="")
    make_source(url="")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_source(url="https://example.org/a")
    assert Source.objects.filter(url="").count() == 2


@pytest.mark.django_db
def test_it_refuses_an_actor_that_is_its_own_parent():
    actor = make_actor()
    actor.parent = actor
    with pytest.raises(IntegrityError), transaction.atomic():
        actor.save()


@pytest.mark.django_db
def test_it_finds_the_root_of_the_parent_chain():
    government = make_actor(slug="government-of-russia", kind=Actor.Kind.GOVERNMENT)
    ministry = make_actor(parent=government, kind=Actor.Kind.AGENCY)
    minister = make_actor(parent=ministry, kind=Actor.Kind.PERSON)
    assert minister.root() == government
    assert government.root() == government


@pytest.mark.django_db
def test_it_will_not_delete_a_publisher_or_a_parent_still_in_use():
    outlet = make_actor()
    make_source(publisher=outlet)
    with pytest.raises(ProtectedError):
        outlet.delete()
    parent = make_actor()
    make_actor(parent=parent)
    with pytest.raises(ProtectedError):
        parent.delete()


@pytest.mark.django_db
def test_it_will_not_delete_a_source_that_has_claims_or_is_cited():
    claim = make_claim()
    with pytest.raises(ProtectedError):
        claim.source.delete()
    cited = make_source()
    make_claim(cited_source=cited)
    with pytest.raises(ProtectedError):
        cited.delete()


@pytest.mark.django_db
def test_full_clean_rejects_a_bad_country_wikidata_id_and_date():
    actor = Actor(name="X", slug="x", kind="country", country="rus", wikidata_id="159")
    with pytest.raises(ValidationError) as error:
        actor.full_clean()
    assert set(error.value.message_dict) == {"country", "wikidata_id"}
    source = Source(title="T", slug="t", kind="article", published="2025-13")
    with pytest.raises(ValidationError) as error:
        source.full_clean()
    assert set(error.value.message_dict) == {"published"}


def test_aliases_and_authors_are_one_per_line():
    actor = Actor(aliases="PRC\n  Beijing \n\n")
    source = Source(authors="Shubhangi Palve\nA. N. Other")
    assert actor.alias_list == ["PRC", "Beijing"]
    assert source.author_list == ["Shubhangi Palve", "A. N. Other"]
