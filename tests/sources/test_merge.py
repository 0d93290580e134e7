"""Merging two actors or two sources that are one record (sources.services.records_merge), and
the admin action that does it after a page choosing which one stays."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim, Question, QuestionSummary
from sources.models import Actor, Source
from sources.services import record_uses, records_merge
from tests.conftest import make_actor, make_claim, make_question, make_source, make_user

ACTORS = reverse("admin:sources_actor_changelist")
SOURCES = reverse("admin:sources_source_changelist")


def make_iea_twice():
    """The IEA recorded twice, "International Energy Agency" used everywhere an actor can be."""
    iea = make_actor(name="IEA", slug="iea", aliases="IEA Paris")
    long = make_actor(
        name="International Energy Agency",
        slug="international-energy-agency",
        aliases="IEA Paris\nAgence internationale de l'énergie",
        country="FR",
        wikidata_id="Q826700",
    )
    return iea, long


def history_reason(record):
    return type(record).history.filter(id=record.pk).latest("history_date").history_change_reason


@pytest.mark.django_db
def test_merging_actors_repoints_every_reference_and_keeps_the_names():
    iea, long = make_iea_twice()
    # Claims: one spoken by it, one about it, one about both (a link to drop, not to double).
    spoken = make_claim(speaker=long)
    about = make_claim(about=[long])
    both = make_claim(about=[long, iea])
    published = make_source(publisher=long)
    child = make_actor(parent=long)
    question = make_question()
    question.subjects.set([long])

    merge = records_merge(keep=iea, remove=long)

    assert not Actor.objects.filter(pk=long.pk).exists()
    assert Claim.objects.get(pk=spoken.pk).speaker == iea
    assert list(Claim.objects.get(pk=about.pk).about.all()) == [iea]
    assert list(Claim.objects.get(pk=both.pk).about.all()) == [iea]
    assert Source.objects.get(pk=published.pk).publisher == iea
    assert Actor.objects.get(pk=child.pk).parent == iea
    assert list(Question.objects.get(pk=question.pk).subjects.all()) == [iea]
    iea.refresh_from_db()
    # Its own names become aliases, once each; a shared alias stays single.
    assert iea.alias_list == [
        "IEA Paris",
        "International Energy Agency",
        "international-energy-agency",
        "Agence internationale de l'énergie",
    ]
    # Blank fields are filled from the other's.
    assert (iea.country, iea.wikidata_id) == ("FR", "Q826700")
    assert merge.kept == iea
    assert {use.label: use.count for use in merge.uses} == {
        "actors (parent)": 1,
        "sources (publisher)": 1,
        "questions (subjects)": 1,
        "claims (speaker)": 1,
        "claims (about)": 2,
    }
    assert set(merge.taken) == {"country", "wikidata_id", "aliases"}


@pytest.mark.django_db
def test_each_repointed_record_gets_one_new_version_and_a_history_row_saying_so(
    django_user_model,
):
    curator = make_user("curator")
    iea, long = make_iea_twice()
    claim = make_claim(speaker=long, about=[long])
    untouched = make_claim(speaker=iea)
    version, history = claim.version, claim.history.count()

    records_merge(keep=iea, remove=long, user=curator)

    claim.refresh_from_db()
    # Re-pointed through two fields, changed once.
    assert claim.version == version + 1
    assert claim.history.count() == history + 1
    latest = claim.history.latest("history_date")
    assert latest.history_type == "~"
    assert latest.history_user == curator
    assert latest.history_change_reason == (
        "merge of actor “International Energy Agency” (international-energy-agency) into "
        "“IEA” (iea)"
    )
    assert latest.speaker_id == iea.pk
    # The history row has the links as they now are: a revert to it keeps the claim about the IEA.
    assert [link.actor_id for link in latest.about.all()] == [iea.pk]
    # The kept actor's and the deleted actor's history say so too.
    assert history_reason(iea) == latest.history_change_reason
    removed = Actor.history.filter(id=long.pk).latest("history_date")
    assert removed.history_type == "-"
    assert removed.history_user == curator
    assert untouched.version == Claim.objects.get(pk=untouched.pk).version


@pytest.mark.django_db
def test_merging_sources_repoints_claims_and_citations_and_takes_what_the_kept_one_lacks():
    kept = make_source(title="IEA Global Critical Minerals Outlook", slug="iea-outlook")
    copy = make_source(
        title="Global Critical Minerals Outlook 2025",
        slug="iea-outlook-2025",
        url="https://www.iea.org/reports/global-critical-minerals-outlook-2025",
        text="China's share of refining is 91 percent.",
    )
    in_it = make_claim(source=copy, quote="91 percent")
    citing = make_claim(cited_source=copy)

    merge = records_merge(keep=kept, remove=copy)

    assert not Source.objects.filter(pk=copy.pk).exists()
    assert Claim.objects.get(pk=in_it.pk).source == kept
    assert Claim.objects.get(pk=citing.pk).cited_source == kept
    kept.refresh_from_db()
    # The URL can move at once: the other source, which held it, is gone first.
    assert kept.url == copy.url and kept.text == copy.text
    assert {use.label: use.count for use in merge.uses} == {
        "claims (source)": 1,
        "claims (cited source)": 1,
    }
    assert history_reason(kept).startswith("merge of source “Global Critical Minerals Outlook")


@pytest.mark.django_db
def test_the_moved_claims_quotes_are_looked_for_in_the_kept_sources_text():
    kept = make_source(text="China's share of refining is 91 percent, the IEA says.")
    copy = make_source()  # no text: whether its claims' quotes are in it is unknown
    claim = make_claim(source=copy, quote="91 percent")
    assert Claim.objects.get(pk=claim.pk).quote_found is None

    records_merge(keep=kept, remove=copy)

    assert Claim.objects.get(pk=claim.pk).quote_found is True


@pytest.mark.django_db
def test_the_question_summaries_are_recomputed_when_two_origins_become_one():
    question = make_question(tolerance=1)
    iea, long = make_iea_twice()
    make_claim(question=question, speaker=iea, value=91, unit="%")
    make_claim(question=question, speaker=long, value=91, unit="%")
    assert QuestionSummary.objects.get(question=question).verdict == "agree"

    records_merge(keep=iea, remove=long)

    # One origin now: the two claims echo each other and agree with no one.
    assert QuestionSummary.objects.get(question=question).verdict == "single"


@pytest.mark.django_db
def test_a_merge_runs_as_many_queries_for_many_claims_as_for_few(neodymium):
    def queries_to_merge(n):
        iea, long = make_iea_twice()
        iea.slug, long.slug = f"iea-{n}", f"long-{n}"  # a second pair beside the first
        iea.save()
        long.save()
        for _ in range(n):
            make_claim(speaker=long, about=[long], metals=[neodymium])
        with CaptureQueriesContext(connection) as queries:
            records_merge(keep=iea, remove=long)
        return len(queries)

    # Re-pointed, versioned and given history in bulk: never a query per claim.
    assert queries_to_merge(3) == queries_to_merge(12)


def assert_nothing_changed(records, claims):
    for record in records:
        stored = type(record).objects.get(pk=record.pk)
        assert (stored.version, stored.aliases) == (record.version, record.aliases)
    for claim in claims:
        stored = Claim.objects.get(pk=claim.pk)
        assert (stored.speaker_id, stored.version) == (claim.speaker_id, claim.version)


@pytest.mark.django_db
def test_an_actor_is_not_merged_with_itself():
    iea, _ = make_iea_twice()
    claim = make_claim(speaker=iea)
    with pytest.raises(ValidationError, match="“IEA” cannot be merged with itself"):
        records_merge(keep=iea, remove=Actor.objects.get(pk=iea.pk))
    assert_nothing_changed([iea], [claim])


@pytest.mark.django_db
def test_an_actor_is_not_merged_with_a_source():
    iea, _ = make_iea_twice()
    source = make_source()
    with pytest.raises(ValidationError, match="only be merged with another actor, not with a"):
        records_merge(keep=iea, remove=source)
    assert Source.objects.filter(pk=source.pk).exists()


@pytest.mark.django_db
def test_only_actors_and_sources_are_merged():
    first, second = make_question(), make_question()
    with pytest.raises(ValidationError, match="Only actors and sources can be merged"):
        records_merge(keep=first, remove=second)
    assert Question.objects.filter(pk=second.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("levels", [1, 2], ids=["parent", "grandparent"])
def test_an_actor_is_not_merged_into_its_own_descendant(levels):
    government = make_actor(name="Government of Russia")
    below = government
    for _ in range(levels):
        below = make_actor(parent=below)
    claim = make_claim(speaker=government)
    with pytest.raises(ValidationError, match="its chain of parents") as refusal:
        records_merge(keep=below, remove=government)
    assert "Keep “Government of Russia” instead" in refusal.value.messages[0]
    assert_nothing_changed([government, below], [claim])


@pytest.mark.django_db
def test_a_child_merged_into_its_parent_hands_over_its_children():
    government = make_actor(name="Government of Russia")
    ministry = make_actor(parent=government)
    department = make_actor(parent=ministry)
    records_merge(keep=government, remove=ministry)
    department.refresh_from_db()
    government.refresh_from_db()
    assert department.parent == government
    # Its parent was the kept actor itself: not taken over (an actor is not its own parent).
    assert government.parent is None


@pytest.mark.django_db
def test_a_record_changed_since_it_was_read_is_not_merged():
    iea, long = make_iea_twice()
    claim = make_claim(speaker=long)
    seen = Actor.objects.get(pk=long.pk)
    long.description = "Paris-based agency"
    long.save()
    with pytest.raises(ValidationError, match="was changed by someone else"):
        records_merge(keep=iea, remove=seen)
    assert_nothing_changed([iea, long], [claim])


@pytest.mark.django_db
def test_a_record_deleted_since_it_was_read_is_not_merged():
    iea, long = make_iea_twice()
    Actor.objects.filter(pk=long.pk).delete()
    with pytest.raises(ValidationError, match="no longer exists"):
        records_merge(keep=iea, remove=long)
    assert_nothing_changed([iea], [])


@pytest.mark.django_db
def test_a_failing_write_rolls_the_whole_merge_back(monkeypatch):
    iea, long = make_iea_twice()
    claim = make_claim(speaker=long, about=[long])

    def refuse(*args, **kwargs):
        raise RuntimeError("disk full")

    # The last write of the merge: every re-pointing before it must be undone.
    monkeypatch.setattr(Actor, "save", refuse)
    with pytest.raises(RuntimeError):
        records_merge(keep=iea, remove=long)
    monkeypatch.undo()
    assert Actor.objects.filter(pk=long.pk).exists()
    assert list(Claim.objects.get(pk=claim.pk).about.all()) == [long]
    assert_nothing_changed([iea, long], [claim])


@pytest.mark.django_db
def test_record_uses_counts_each_field_that_points_at_a_record():
    iea, long = make_iea_twice()
    make_claim(speaker=long, about=[long])
    make_claim(about=[long])
    assert {use.label: use.count for use in record_uses(long)} == {
        "claims (speaker)": 1,
        "claims (about)": 2,
    }
    assert record_uses(iea) == []


# ------------------------------------------------------------------------------------ the admin


def action(ids, **fields):
    return {"action": "merge_selected", "_selected_action": [str(pk) for pk in ids], **fields}


@pytest.mark.django_db
def test_the_merge_page_shows_both_actors_and_what_uses_each(client):
    client.force_login(make_user("curator"))
    iea, long = make_iea_twice()
    make_claim(speaker=long)
    make_claim(speaker=long)
    page = client.post(ACTORS, action([iea.pk, long.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Merge two actors" in html
    assert f'name="keep" value="{iea.pk}"' in html
    assert f'name="keep" value="{long.pk}"' in html
    assert "Used by claims (speaker)" in html
    assert f'name="version_{long.pk}" value="{long.version}"' in html
    # Nothing is merged by opening the page.
    assert Actor.objects.filter(pk=long.pk).exists()


@pytest.mark.django_db
def test_a_curator_merges_two_actors_from_the_list(client):
    curator = make_user("curator")
    client.force_login(curator)
    iea, long = make_iea_twice()
    claim = make_claim(speaker=long)
    fields = {"post": "yes", "keep": str(iea.pk)}
    fields |= {f"version_{a.pk}": str(a.version) for a in (iea, long)}
    response = client.post(ACTORS, action([iea.pk, long.pk], **fields), follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:sources_actor_change", args=[iea.pk])
    assert (
        "Merged “International Energy Agency (international-energy-agency)” into “IEA”: "
        "re-pointed claims (speaker): 1." in response.content.decode()
    )
    assert Claim.objects.get(pk=claim.pk).speaker == iea
    assert Claim.history.filter(id=claim.pk).latest("history_date").history_user == curator


@pytest.mark.django_db
def test_a_merge_from_a_page_opened_before_a_change_is_refused(client):
    client.force_login(make_user("curator"))
    iea, long = make_iea_twice()
    fields = {"post": "yes", "keep": str(iea.pk)}
    fields |= {f"version_{a.pk}": str(a.version) for a in (iea, long)}
    Actor.objects.get(pk=long.pk).save()  # someone saves it meanwhile
    page = client.post(ACTORS, action([iea.pk, long.pk], **fields))
    assert page.status_code == 200
    html = page.content.decode()
    assert "was changed by someone else since you opened this page" in html
    # The page again, at the version as it now is.
    assert f'name="version_{long.pk}" value="{long.version + 1}"' in html
    assert Actor.objects.filter(pk=long.pk).exists()


@pytest.mark.django_db
def test_the_merge_page_asks_which_one_stays(client):
    client.force_login(make_user("curator"))
    iea, long = make_iea_twice()
    fields = {f"version_{a.pk}": str(a.version) for a in (iea, long)}
    page = client.post(ACTORS, action([iea.pk, long.pk], post="yes", **fields))
    assert "Choose the one that stays." in page.content.decode()
    assert Actor.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_merging_needs_exactly_two_selected(client, count):
    client.force_login(make_user("curator"))
    actors = [make_actor() for _ in range(count)]
    response = client.post(ACTORS, action([a.pk for a in actors]), follow=True)
    assert "Select exactly two actors to merge" in response.content.decode()
    assert Actor.objects.count() == count


@pytest.mark.django_db
def test_a_reader_cannot_merge(client):
    client.force_login(make_user("reader"))
    iea, long = make_iea_twice()
    page = client.get(ACTORS)
    assert b"merge_selected" not in page.content
    fields = {"post": "yes", "keep": str(iea.pk)}
    fields |= {f"version_{a.pk}": str(a.version) for a in (iea, long)}
    client.post(ACTORS, action([iea.pk, long.pk], **fields))
    assert Actor.objects.count() == 2


@pytest.mark.django_db
def test_a_curator_merges_two_sources_from_the_list(client):
    client.force_login(make_user("curator"))
    kept, copy = make_source(title="Kept"), make_source(title="Copy")
    claim = make_claim(source=copy)
    page = client.post(SOURCES, action([kept.pk, copy.pk]))
    assert "Merge two sources" in page.content.decode()
    fields = {"post": "yes", "keep": str(kept.pk)}
    fields |= {f"version_{s.pk}": str(s.version) for s in (kept, copy)}
    client.post(SOURCES, action([kept.pk, copy.pk], **fields))
    assert Claim.objects.get(pk=claim.pk).source == kept
    assert not Source.objects.filter(pk=copy.pk).exists()
