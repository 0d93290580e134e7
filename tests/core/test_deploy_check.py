"""The production settings: with the environment README documents, `check --deploy` is clean.

Each check runs `manage.py` in a fresh process, because settings are read once per process and the
suite itself runs as a developer's machine (DJANGO_DEBUG=1, see pyproject.toml).
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def production_env(**overrides):
    """The production environment of README's Operations section, with a fresh secret key."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="claims.example.org",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://claims.example.org",
        # Not the developer's .env that `make install` writes next to the code.
        DJANGO_ENV_FILE="",
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_no_issues_with_the_documented_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_debug_is_off_unless_set():
    code = "from django.conf import settings; print(settings.DEBUG, settings.SESSION_COOKIE_SECURE)"
    result = manage("shell", "--no-imports", "-c", code, env=production_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]


def test_without_a_secret_key_production_refuses_to_start():
    result = manage("check", env=production_env(DJANGO_SECRET_KEY=None))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_the_admin_renders_in_production_with_its_security_headers(tmp_path):
    # Production serves hashed static files collected beforehand, as `make serve` does.
    env = production_env(DJANGO_STATIC_ROOT=str(tmp_path / "static"))
    collected = manage("collectstatic", "--noinput", "--verbosity", "0", env=env)
    assert collected.returncode == 0, collected.stderr
    code = (
        "from django.test import Client; "
        "r = Client().get('/admin/login/', secure=True, headers={'host': 'claims.example.org'}); "
        "print(r.status_code); "
        "[print(r.headers.get(h, 'MISSING')) for h in "
        "('Strict-Transport-Security', 'Content-Security-Policy', 'X-Content-Type-Options')]"
    )
    result = manage("shell", "--no-imports", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    status, hsts, csp, nosniff = result.stdout.strip().splitlines()[-4:]
    assert status == "200"
    assert hsts.startswith("max-age=31536000")
    assert "script-src 'self'" in csp
    assert nosniff == "nosniff"


def test_plain_http_is_redirected_to_https_in_production():
    code = (
        "from django.test import Client; "
        "r = Client().get('/', headers={'host': 'claims.example.org'}); "
        "print(r.status_code, r.headers.get('Location'))"
    )
    result = manage("shell", "--no-imports", "-c", code, env=production_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["301", "https://claims.example.org/"]


def test_a_worker_freezes_what_it_loaded_out_of_the_garbage_collectors_reach():
    # gunicorn loads project.wsgi in each worker; what it loads is then never walked again by a
    # full collection (docs/performance.md).
    code = "import gc; import project.wsgi; print(gc.get_freeze_count())"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 10_000
