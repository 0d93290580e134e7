"""Exact caching of the public pages (pages/caching.py), in this process's memory and in Redis.

The Redis runs need a real server: CACHE_TEST_REDIS_URL (set by .ci/run, e.g.
redis://127.0.0.1:6379/4); without it they are skipped and say why.
"""

import logging
import os

import pytest
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse

from claims.models import Claim
from claims.summaries import question_summaries_refresh
from core import dataversion
from tests.conftest import make_claim, make_question, make_source

REDIS_URL = os.environ.get("CACHE_TEST_REDIS_URL", "")
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
}


@pytest.fixture(params=["locmem", "redis"])
def page_cache(request):
    if request.param == "redis" and not REDIS_URL:
        pytest.skip("CACHE_TEST_REDIS_URL is not set (.ci/run sets it to the machine's Redis)")
    with override_settings(CACHES=LOCMEM if request.param == "locmem" else REDIS):
        caches["default"].clear()
        yield caches["default"]
        caches["default"].clear()


@pytest.fixture
def question():
    question = make_question(title="Share of the world's rare earths")
    make_claim(question=question, value=60, quote="Sixty per cent of the world's output.")
    return question


def get(client, url, **headers):
    return client.get(url, headers=headers)


@pytest.mark.django_db
def test_the_second_request_is_served_from_the_cache_without_rendering(
    client, page_cache, question, django_assert_num_queries
):
    url = question.get_absolute_url()
    first = get(client, url)
    assert first.templates
    # 1. the data version, nothing else: no template rendered.
    with django_assert_num_queries(1):
        second = get(client, url)
    assert second.status_code == 200
    assert not second.templates
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


@pytest.mark.django_db
def test_each_format_is_cached_apart(client, page_cache, question):
    url = question.get_absolute_url()
    html, csv, json = (client.get(url, {"format": f}) for f in ("html", "csv", "json"))
    assert len({html["ETag"], csv["ETag"], json["ETag"]}) == 3
    again = client.get(url, {"format": "csv"})
    assert not again.templates
    assert again.content == csv.content
    assert again["Content-Type"] == csv["Content-Type"]
    assert again["Content-Disposition"] == csv["Content-Disposition"]


def change_quote(question):
    claim = question.claims.get()
    claim.quote = "Seventy per cent, a later estimate."
    claim.save()
    return "Seventy per cent, a later estimate."


def delete_claim(question):
    question.claims.get().delete()
    return "No public claims"


def add_metal(question):
    from claims.models import Metal

    question.claims.get().metals.add(Metal.objects.get(symbol="Nd"))
    return None


def refresh_summary(question):
    question_summaries_refresh(question_ids=[question.pk])
    return None


def rename_source(question):
    source = question.claims.get().source
    source.title = "A renamed source"
    source.save()
    return "A renamed source"


def check_a_draft(question):
    draft = make_claim(question=question, value=80, status=Claim.Status.DRAFT, quote="Eighty.")
    Claim.objects.filter(pk=draft.pk).update(status=Claim.Status.CHECKED)
    return "Eighty."


@pytest.mark.django_db
@pytest.mark.parametrize(
    "write",
    [change_quote, delete_claim, add_metal, refresh_summary, rename_source, check_a_draft],
)
def test_the_next_response_after_a_write_reflects_it(client, page_cache, question, write):
    url = question.get_absolute_url()
    before = get(client, url)
    expected = write(question)
    after = get(client, url)
    assert after.templates, "served from the cache after a write"
    assert after["ETag"] != before["ETag"]
    if expected:
        assert expected in after.content.decode()


@pytest.mark.django_db
def test_a_draft_never_enters_a_cached_response(client, page_cache, question):
    url = question.get_absolute_url()
    make_claim(question=question, value=90, status=Claim.Status.DRAFT, quote="A draft's ninety.")
    for fmt in ("html", "csv", "json"):
        assert "A draft's ninety" not in client.get(url, {"format": fmt}).content.decode()
        cached = client.get(url, {"format": fmt})
        assert not cached.templates
        assert "A draft's ninety" not in cached.content.decode()


@pytest.mark.django_db
def test_a_matching_if_none_match_answers_304_without_rendering(
    client, question, django_assert_num_queries
):
    url = question.get_absolute_url()
    etag = get(client, url)["ETag"]
    with django_assert_num_queries(1):
        response = get(client, url, if_none_match=etag)
    assert response.status_code == 304
    assert not response.templates
    assert response["ETag"] == etag
    make_source()  # any write
    assert get(client, url, if_none_match=etag).status_code == 200


@pytest.mark.django_db
def test_if_modified_since_the_versions_time_answers_304(client, question):
    url = question.get_absolute_url()
    last_modified = get(client, url)["Last-Modified"]
    assert get(client, url, if_modified_since=last_modified).status_code == 304


@pytest.mark.django_db
def test_public_responses_revalidate_by_default_and_vary_on_the_cookie(client, question):
    response = get(client, question.get_absolute_url())
    assert response["Cache-Control"] == "max-age=0, must-revalidate"
    assert "Cookie" in response["Vary"]
    with override_settings(PUBLIC_PAGES_MAX_AGE=30):
        assert get(client, reverse("home"))["Cache-Control"] == "public, max-age=30"


@pytest.mark.django_db
def test_with_the_login_setting_responses_are_private(client, question, django_user_model):
    user = django_user_model.objects.create_user("reader", password="a long passphrase")
    client.force_login(user)
    with override_settings(PUBLIC_PAGES_REQUIRE_LOGIN=True):
        response = get(client, question.get_absolute_url())
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=0, must-revalidate"


@pytest.mark.django_db
def test_a_logged_in_readers_page_is_never_served_to_anyone_else(
    client, page_cache, question, django_user_model
):
    url = question.get_absolute_url()
    user = django_user_model.objects.create_user("curator-ann", password="a long passphrase")
    client.force_login(user)
    get(client, url)  # sets the CSRF cookie
    mine = get(client, url)
    assert "curator-ann" in mine.content.decode()
    client.logout()
    theirs = get(client, url)
    assert "curator-ann" not in theirs.content.decode()
    assert theirs["ETag"] != mine["ETag"]


@pytest.mark.django_db
def test_every_public_page_says_the_time_of_its_data(client, question):
    version = dataversion.current()
    for url in (reverse("home"), question.get_absolute_url(), reverse("source_list")):
        assert (
            f'Data as of <time datetime="{version.at.isoformat()}'
            in get(client, url).content.decode()
        )


@pytest.mark.django_db
@override_settings(PUBLIC_PAGES_CACHE_MAX_BYTES=100)
def test_a_response_above_the_size_limit_is_not_cached(client, question):
    url = question.get_absolute_url()
    get(client, url)
    assert get(client, url).templates


@pytest.mark.django_db
def test_with_redis_down_pages_answer_uncached_and_the_log_says_so(client, question, caplog):
    down = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    with override_settings(CACHES=down), caplog.at_level(logging.WARNING, "pages.caching"):
        first = get(client, question.get_absolute_url())
        second = get(client, question.get_absolute_url())
    assert first.status_code == second.status_code == 200
    assert second.templates
    assert "Public page cache unavailable" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_committed_write_reaches_the_next_response_as_in_production(client, page_cache):
    """Outside a test's transaction: the version is published by the write's on-commit bump."""
    question = make_question()
    claim = make_claim(question=question, value=60, quote="Sixty per cent.")
    url = question.get_absolute_url()
    before = get(client, url)
    from django.db import transaction

    with transaction.atomic():
        claim.quote = "Sixty-five per cent."
        claim.save()
    after = get(client, url)
    assert after["ETag"] != before["ETag"]
    assert "Sixty-five per cent." in after.content.decode()


@pytest.mark.django_db
def test_a_csv_above_the_size_limit_is_streamed_whole_and_not_cached(client, page_cache, question):
    for n in range(30):
        make_claim(question=question, value=n, quote=f"Claim number {n} of a long export.")
    url = question.get_absolute_url()
    with override_settings(PUBLIC_PAGES_CACHE_MAX_BYTES=500):
        streamed = client.get(url, {"format": "csv"})
        assert streamed.streaming
        text = b"".join(streamed.streaming_content).decode()
        again = client.get(url, {"format": "csv"})
    assert text.startswith("\ufeffref,")
    assert all(f"Claim number {n} of a long export." in text for n in range(30))
    assert len(text.splitlines()) == 32  # the header, the fixture's claim and these 30
    assert again.streaming, "a streamed response was cached"
