"""Fixtures and small make_* helpers shared by every test module."""

import io
import itertools

import pytest

from claims.models import Claim, Metal, Question
from sources.models import Actor, Source

_numbers = itertools.count(1)


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


@pytest.fixture
def demo(demo_data, db):
    """The demo data inside a test's transaction."""
