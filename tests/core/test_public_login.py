"""PUBLIC_PAGES_REQUIRE_LOGIN: the public pages for team members only."""

import pytest
from django.urls import reverse

PUBLIC_URLS = ["/", "/questions/", "/sources/", "/compare/", "/metals/", "/actors/", "/search/?q=x"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_pages_are_open_by_default(client, url):
    assert client.get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url", [*PUBLIC_URLS, "/questions/x/?format=csv"])
def test_the_setting_sends_anonymous_readers_to_the_login_page(client, settings, url):
    settings.PUBLIC_PAGES_REQUIRE_LOGIN = True
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.django_db
def test_a_team_member_logs_in_and_reads(client, settings, django_user_model):
    # A team member: an ordinary user, not staff; the admin would turn them away.
    django_user_model.objects.create_user("reader", password="a long passphrase")
    settings.PUBLIC_PAGES_REQUIRE_LOGIN = True
    assert client.get(reverse("login")).status_code == 200
    response = client.post(
        reverse("login"),
        {"username": "reader", "password": "a long passphrase", "next": "/sources/"},
    )
    assert response.status_code == 302 and response["Location"] == "/sources/"
    assert client.get("/sources/").status_code == 200
    assert b"Signed in as reader" in client.get("/").content


@pytest.mark.django_db
def test_the_admin_keeps_its_own_login(client, settings):
    settings.PUBLIC_PAGES_REQUIRE_LOGIN = True
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
