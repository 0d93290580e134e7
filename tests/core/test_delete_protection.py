"""A record still in use cannot be deleted from the admin: the delete page says why, never a 500."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from claims.models import Claim, Metal, Question
from sources.models import Actor, Source
from tests.conftest import make_actor, make_claim, make_question, make_source, make_user


@pytest.fixture
def curator(client, db):
    # A curator: may delete records, but not records other records still use.
    client.force_login(make_user("curator"))
    return client


def delete_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])


def assert_refused(client, obj, *uses):
    page = client.get(delete_url(obj))
    assert page.status_code == 200
    text = page.content.decode()
    assert "cannot be deleted while other records use it" in text
    for use in uses:
        assert use in text
    # Confirming anyway changes nothing and shows the same refusal.
    response = client.post(delete_url(obj), {"post": "yes"})
    assert response.status_code == 200
    assert "cannot be deleted while other records use it" in response.content.decode()
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_a_source_with_claims_or_cited_by_one_is_refused(curator):
    claim = make_claim(ref="edm-ree-reserves")
    assert_refused(curator, claim.source, "edm-ree-reserves")
    cited = make_source()
    make_claim(ref="cites-iea", cited_source=cited)
    assert_refused(curator, cited, "cites-iea")


def test_an_actor_that_speaks_publishes_or_is_a_parent_is_refused(curator):
    speaker = make_actor()
    make_claim(ref="manturov-said", speaker=speaker)
    assert_refused(curator, speaker, "manturov-said")
    parent = make_actor()
    make_actor(name="Ministry of Industry and Trade", parent=parent)
    assert_refused(curator, parent, "Ministry of Industry and Trade")


def test_an_actor_a_claim_or_question_is_about_is_refused(curator):
    # Many-to-many links are not PROTECTed by the database; the admin protects them.
    china = make_actor(name="China")
    make_claim(ref="about-china", about=[china])
    assert_refused(curator, china, "about-china")
    russia = make_actor(name="Russia")
    make_question(title="Russia's reserves").subjects.add(russia)
    assert_refused(curator, russia, "Russia&#x27;s reserves")


def test_a_metal_in_a_claim_a_question_or_a_group_is_refused(curator):
    nd = Metal.objects.get(symbol="Nd")  # a member of the REE groups
    assert_refused(curator, nd, "rare earth elements")
    scandium = Metal.objects.get(symbol="Sc")
    Metal.objects.filter(members=scandium).delete()  # free it of its groups first
    make_claim(ref="scandium-claim", metals=[scandium])
    assert_refused(curator, scandium, "scandium-claim")


def test_a_question_with_claims_is_refused(curator):
    question = make_question()
    make_claim(ref="filed-claim", question=question)
    assert_refused(curator, question, "filed-claim")


def test_a_record_nothing_uses_is_deleted(curator):
    source = make_source()
    actor = make_actor()
    for obj in (source, actor):
        assert curator.get(delete_url(obj)).status_code == 200
        assert curator.post(delete_url(obj), {"post": "yes"}).status_code == 302
        assert not type(obj).objects.filter(pk=obj.pk).exists()


def test_the_bulk_delete_action_refuses_records_in_use(curator):
    claim = make_claim(ref="keeps-its-source")
    unused = make_source()
    url = reverse("admin:sources_source_changelist")
    data = {"action": "delete_selected", "_selected_action": [claim.source.pk, unused.pk]}
    page = curator.post(url, data)
    assert page.status_code == 200
    assert "keeps-its-source" in page.content.decode()
    response = curator.post(url, {**data, "post": "yes"})
    assert response.status_code == 200
    assert Source.objects.filter(pk__in=[claim.source.pk, unused.pk]).count() == 2


def test_a_use_added_after_the_confirmation_page_is_refused_with_a_message(curator, monkeypatch):
    # The race: the confirmation page saw no use, a claim was filed, then the curator confirmed.
    from core.admin import RecordAdmin

    source = make_source()
    make_claim(source=source)
    monkeypatch.setattr(
        RecordAdmin,
        "get_deleted_objects",
        lambda self, objs, request: ([str(o) for o in objs], {}, set(), []),
    )
    response = curator.post(delete_url(source), {"post": "yes"})
    assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("still in use" in m for m in messages)
    assert Source.objects.filter(pk=source.pk).exists()
    assert Claim.objects.filter(source=source).exists()
    assert Question.objects.count() == 0
    assert Actor.objects.count() == 0
