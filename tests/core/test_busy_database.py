"""A request refused by a busy SQLite database answers 503 "nothing saved, try again", not 500."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.test import Client

from tests.conftest import make_user


@pytest.fixture
def browser():
    # As a browser sees it: the handler500 view answers, the exception does not reach the test.
    return Client(raise_request_exception=False)


@pytest.mark.django_db
def test_a_login_that_cannot_save_its_session_behind_an_import_answers_503(browser, monkeypatch):
    make_user("curator", username="carol")

    def locked(self, must_create=False):
        raise OperationalError("database is locked")

    monkeypatch.setattr(SessionStore, "save", locked)
    response = browser.post("/admin/login/?next=/admin/", {"username": "carol", "password": "pw"})
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "nothing was saved" in response.content.decode()


@pytest.mark.django_db
def test_any_other_failure_is_still_a_server_error(browser, monkeypatch):
    make_user("curator", username="dave")

    def broken(self, must_create=False):
        raise OperationalError("disk I/O error")

    monkeypatch.setattr(SessionStore, "save", broken)
    response = browser.post("/admin/login/?next=/admin/", {"username": "dave", "password": "pw"})
    assert response.status_code == 500
