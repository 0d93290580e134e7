"""Login brute-force protection (django-axes), through the real admin login form.

Five wrong passwords for one user name from one address lock that pair out (AXES_FAILURE_LIMIT);
then even the right password is refused until the cool-off ends or an admin runs `axes_reset`.
Lock-outs are rows in the database, so each test starts with none. Tests log in with
`client.force_login`: `client.login` passes no request, which django-axes refuses.
"""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from tests.conftest import make_user

LOGIN = reverse("admin:login")


@pytest.fixture
def curator(db):
    return make_user("curator", username="carol")


def log_in(client, username, password, address="10.0.0.1"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


def test_the_right_password_logs_in(client, curator):
    response = log_in(client, "carol", "pw")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_a_wrong_password_shows_the_form_again(client, curator):
    response = log_in(client, "carol", "wrong")
    assert response.status_code == 200
    assert b"Please enter the correct username and password" in response.content


def test_repeated_failures_lock_the_user_out_even_with_the_right_password(client, curator):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "carol", "wrong").status_code == 200
    assert log_in(client, "carol", "wrong").status_code == 429
    locked = log_in(client, "carol", "pw")
    assert locked.status_code == 429
    assert b"locked" in locked.content.lower()
    assert "_auth_user_id" not in client.session


def test_a_lock_out_is_per_user_and_address(client, curator):
    make_user("reader", username="rita")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "carol", "wrong")
    assert log_in(client, "rita", "pw").status_code == 302  # another user, same address
    client.logout()
    assert log_in(client, "carol", "pw", address="10.0.0.2").status_code == 302


def test_a_success_resets_the_count(client, curator):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "carol", "wrong")
    assert log_in(client, "carol", "pw").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "carol", "wrong").status_code == 200


def test_an_admin_unlocks_a_user_with_axes_reset(client, curator):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "carol", "wrong")
    assert AccessAttempt.objects.filter(username="carol").exists()
    call_command("axes_reset_username", "carol", stdout=None)
    assert log_in(client, "carol", "pw").status_code == 302


def test_force_login_still_works_for_tests(client, curator):
    client.force_login(curator)
    assert client.get(reverse("admin:index")).status_code == 200
