"""Fixtures and small make_* helpers shared by every test module, and the Hypothesis profiles."""

import io
import itertools
import os

import pytest
from hypothesis import settings

from claims.models import Claim, Metal, Question
from interchange.models import ImportBatch
from sources.models import Actor, Source

_numbers = itertools.count(1)

# Hypothesis profiles: `ci` (.ci/run sets HYPOTHESIS_PROFILE=ci) runs each property test with its
# full count of examples; `dev`, the default, a fifth of them, so a local run stays quick.
settings.register_profile("ci", max_examples=100)
settings.register_profile("dev", max_examples=20)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def examples(weight, **options):
    """Hypothesis settings for a test that needs `weight` times the profile's count of examples
    (a rule with many cases to cover gets more, a slow test fewer), with any other `options`."""
    return settings(max_examples=max(1, round(settings.default.max_examples * weight)), **options)


def pytest_collection_modifyitems(items):
    """Run the transactional tests that restore the migrated data (serialized_rollback) before the
    other transactional tests (pytest-django's ordering, which runs after this, puts transactional
    tests after the rest; this keeps them there).

    The flush after any other transactional test recreates the content types under new ids, and
    restoring the serialized ones afterwards collides with them ("UNIQUE constraint failed:
    django_content_type"). tests/pages/test_browser.py is such a test.
    """

    def restores(item):
        marker = item.get_closest_marker("django_db")
        return bool(marker and marker.kwargs.get("serialized_rollback"))

    def transactional(item):
        marker = item.get_closest_marker("django_db")
        fixtures = getattr(item, "fixturenames", ())
        return bool(marker and marker.kwargs.get("transaction")) or bool(
            {"transactional_db", "live_server"} & set(fixtures)
        )

    restoring = [item for item in items if restores(item)]
    if not restoring:
        return
    rest = [item for item in items if not restores(item)]
    at = next((i for i, item in enumerate(rest) if transactional(item)), len(rest))
    items[:] = rest[:at] + restoring + rest[at:]


def make_actor(**fields):
    n = next(_numbers)
    fields.setdefault("name", f"Actor {n}")
    fields.setdefault("slug", f"actor-{n}")
    fields.setdefault("kind", Actor.Kind.ORGANISATION)
    return Actor.objects.create(**fields)


def make_source(**fields):
    n = next(_numbers)
    fields.setdefault("title", f"Source {n}")
    fields.setdefault("slug", f"source-{n}")
    fields.setdefault("kind", Source.Kind.ARTICLE)
    return Source.objects.create(**fields)


def make_question(**fields):
    n = next(_numbers)
    fields.setdefault("title", f"Question {n}")
    fields.setdefault("slug", f"question-{n}")
    fields.setdefault("kind", Question.Kind.QUANTITY)
    fields.setdefault("unit", "%")
    return Question.objects.create(**fields)


def make_claim(*, about=(), metals=(), **fields):
    n = next(_numbers)
    fields.setdefault("ref", f"claim-{n}")
    fields.setdefault("quote", f"Quote number {n}.")
    fields.setdefault("status", Claim.Status.CHECKED)
    if "source" not in fields:
        fields["source"] = make_source()
    claim = Claim.objects.create(**fields)
    claim.about.set(about)
    claim.metals.set(metals)
    return claim


@pytest.fixture
def neodymium(db):
    return Metal.objects.get(symbol="Nd")


@pytest.fixture
def admin_client(client, django_user_model):
    # The superuser: a curator who may see and change everything in the admin.
    user = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(user)
    return client


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo data, loaded once per test module (loading it takes seconds).

    Each test still runs in its own rolled-back transaction on top; the rows are removed when the
    module is done, in an order PROTECT allows, so other modules start from an empty database.
    """
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("load_demo", stdout=io.StringIO())
    yield
    with django_db_blocker.unblock():
        Claim.objects.all().delete()
        Question.objects.all().delete()
        Source.objects.all().delete()
        Actor.objects.update(parent=None)
        Actor.objects.all().delete()
        ImportBatch.objects.all().delete()  # load_demo's record of its import


@pytest.fixture
def demo(demo_data, db):
    """The demo data inside a test's transaction."""


def make_user(role, username=None):
    """A user in one of the roles: "reader", "curator" or "superuser" (see grant_role).

    Readers view every record and export; curators also add, change, delete and import; the
    superuser may do anything, users and groups included.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    User = get_user_model()
    username = username or f"{role}-{next(_numbers)}"
    if role == "superuser":
        return User.objects.create_superuser(username, f"{username}@example.org", "pw")
    user = User.objects.create_user(username, f"{username}@example.org", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name={"reader": "Readers", "curator": "Curators"}[role]))
    return user


def make_contested_question(n, **fields):
    """A question with `n` public claims from `n` sources (figures 10, 11, 12 … in percent), each
    with a speaker, a cited source, an actor it is about and a metal: enough related rows for the
    query-count tests to catch an N+1 on any of them."""
    question = make_question(**fields)
    metal = Metal.objects.get(symbol="Nd")
    for i in range(n):
        publisher = make_actor()
        make_claim(
            source=make_source(publisher=publisher, published=f"202{i % 10}"),
            question=question,
            speaker=make_actor(parent=make_actor()),
            cited_source=make_source(),
            value=10 + i,
            unit="%",
            about=[publisher],
            metals=[metal],
        )
    return question


@pytest.fixture(autouse=True)
def import_previews(settings, tmp_path):
    # Admin import uploads wait in the test's own folder, never in the system's temporary one, so
    # the suite leaves no preview behind (interchange/uploads.py).
    settings.IMPORT_PREVIEW_DIR = tmp_path / "import-previews"


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with an empty page cache: a test's data versions are rolled back with its
    transaction, so the next test reuses their numbers (committed versions never go back)."""
    from django.core.cache import caches

    caches["default"].clear()
