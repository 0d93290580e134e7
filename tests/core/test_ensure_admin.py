"""`manage.py ensure_admin`, which `make run` calls: a local admin account and how to log in."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from core.management.commands import ensure_admin

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def password_file(tmp_path, monkeypatch):
    path = tmp_path / ".admin-password"
    monkeypatch.setattr(ensure_admin, "PASSWORD_FILE", path)
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    return path


def run(*args):
    out = io.StringIO()
    call_command("ensure_admin", *args, stdout=out)
    return out.getvalue()


def test_it_creates_a_superuser_and_prints_the_same_password_on_every_run(password_file):
    first = run()
    password = password_file.read_text().strip()

    assert f"password: {password}" in first and run() == first
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password(password)


def test_it_prints_the_address_the_server_listens_on():
    assert "http://127.0.0.1:8000/admin/" in run()
    assert "http://0.0.0.0:8123/admin/" in run("--address", "0.0.0.0:8123")
