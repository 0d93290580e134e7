"""Who reaches what: every admin page and every public page, for each kind of visitor.

- anonymous: the public pages only; the admin sends them to its login page (302).
- reader (Readers group, staff): views every record, its history and exports; changes nothing (403).
- curator (Curators group, staff): adds, changes, deletes, imports and exports every record; cannot
  see users or groups (403).
- superuser: everything.
"""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from claims.models import Claim, Metal, Question
from sources.models import Actor, Source
from tests.conftest import make_actor, make_claim, make_question, make_source, make_user

ROLES = ["anonymous", "reader", "curator", "superuser"]
MODELS = [Actor, Source, Metal, Question, Claim]

# admin page: expected status for (anonymous, reader, curator, superuser)
ADMIN_PAGES = {
    "changelist": (302, 200, 200, 200),
    "add": (302, 403, 200, 200),
    "change": (302, 200, 200, 200),
    "delete": (302, 403, 200, 200),
    "history": (302, 200, 200, 200),
    "history_version": (302, 200, 200, 200),
    "import": (302, 403, 200, 200),
    "export": (302, 200, 200, 200),
}
SITE_PAGES = {
    "admin:index": (302, 200, 200, 200),
    "admin:auth_user_changelist": (302, 403, 403, 200),
    "admin:auth_group_changelist": (302, 403, 403, 200),
}
PUBLIC = (200, 200, 200, 200)
PUBLIC_FORMATS = ["", "?format=csv", "?format=json"]


@pytest.fixture
def records(db):
    """One record of each model, linked as curators link them."""
    nd = Metal.objects.get(symbol="Nd")
    actor = make_actor(name="Government of Russia", slug="government-of-russia")
    source = make_source(publisher=actor)
    question = make_question()
    question.subjects.add(actor)
    question.metals.add(nd)
    claim = make_claim(
        source=source,
        question=question,
        speaker=actor,
        about=[actor],
        metals=[nd],
        qualifier="exact",
        value=Decimal(90),
        unit="%",
    )
    return {Actor: actor, Source: source, Metal: nd, Question: question, Claim: claim}


def client_for(role, client):
    # A page that fails shows as a 500 in the matrix rather than stopping it.
    client.raise_request_exception = False
    if role != "anonymous":
        client.force_login(make_user(role))
    return client


def admin_url(model, page, obj):
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    if page in ("changelist", "add", "import", "export"):
        return reverse(f"{prefix}_{page}")
    if page == "history_version":
        return reverse(f"{prefix}_simple_history", args=[obj.pk, obj.history.latest().pk])
    return reverse(f"{prefix}_{page}", args=[obj.pk])


def public_urls(records):
    pages = [
        reverse("home"),
        records[Question].get_absolute_url(),
        records[Source].get_absolute_url(),
        records[Actor].get_absolute_url(),
        records[Metal].get_absolute_url(),
    ]
    return [page + suffix for page in pages for suffix in PUBLIC_FORMATS]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_status_on_every_page(role, client, records):
    client = client_for(role, client)
    column = ROLES.index(role)
    expected = {}
    for model in MODELS:
        for page, statuses in ADMIN_PAGES.items():
            expected[admin_url(model, page, records[model])] = statuses[column]
    for name, statuses in SITE_PAGES.items():
        expected[reverse(name)] = statuses[column]
    for url in public_urls(records):
        expected[url] = PUBLIC[column]

    actual = {url: client.get(url).status_code for url in expected}

    wrong = {
        url: (actual[url], status) for url, status in expected.items() if actual[url] != status
    }
    assert not wrong, f"{role}: url → (got, expected): {wrong}"


def test_anonymous_visitors_are_sent_to_the_admin_login(client, records):
    response = client.get(reverse("admin:claims_claim_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_a_reader_cannot_change_delete_import_or_revert(client, records, model):
    client = client_for("reader", client)
    obj = records[model]
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    version = obj.history.latest()
    versions = obj.history.count()
    posts = [
        reverse(f"{info}_change", args=[obj.pk]),
        reverse(f"{info}_delete", args=[obj.pk]),
        reverse(f"{info}_add"),
        reverse(f"{info}_import"),
        reverse(f"{info}_process_import"),
        reverse(f"{info}_simple_history", args=[obj.pk, version.pk]),
    ]
    for url in posts:
        assert client.post(url, {"post": "yes"}).status_code == 403, url
    assert model.objects.filter(pk=obj.pk).exists()
    assert obj.history.count() == versions


def test_a_reader_sees_records_read_only_with_export_but_no_import(client, records):
    client = client_for("reader", client)
    changelist = client.get(reverse("admin:claims_claim_changelist")).content.decode()
    assert reverse("admin:claims_claim_export") in changelist
    assert reverse("admin:claims_claim_import") not in changelist
    change = client.get(reverse("admin:claims_claim_change", args=[records[Claim].pk]))
    assert b'name="_save"' not in change.content


def test_a_curator_sees_import_and_export(client, records):
    client = client_for("curator", client)
    changelist = client.get(reverse("admin:claims_claim_changelist")).content.decode()
    assert reverse("admin:claims_claim_export") in changelist
    assert reverse("admin:claims_claim_import") in changelist


def test_a_staff_user_without_a_role_sees_no_records(client, django_user_model, records):
    user = django_user_model.objects.create_user("staff", password="pw", is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:claims_claim_changelist")).status_code == 403


@pytest.mark.django_db
def test_the_roles_are_made_by_a_migration_with_exactly_their_permissions():
    curators = Group.objects.get(name="Curators")
    readers = Group.objects.get(name="Readers")
    # 0004 made the roles; 0013 added claim links, the queue of claims to check and imports.
    models = ["actor", "source", "metal", "question", "claim", "claimlink", "claimtocheck"]
    assert set(readers.permissions.values_list("codename", flat=True)) == {
        *(f"view_{model}" for model in models),
        "view_importbatch",
    }
    assert set(curators.permissions.values_list("codename", flat=True)) == {
        *(
            f"{action}_{model}"
            for action in ("add", "change", "delete", "view")
            for model in models
        ),
        "view_importbatch",
        "undo_importbatch",
    }


@pytest.mark.django_db
def test_grant_role_makes_a_reader_a_curator_and_back_to_nothing(django_user_model):
    from django.core.management import call_command

    user = django_user_model.objects.create_user("alice", password="pw")
    call_command("grant_role", "alice", "reader", stdout=None)
    user.refresh_from_db()
    assert user.is_staff
    assert [g.name for g in user.groups.all()] == ["Readers"]
    call_command("grant_role", "alice", "curator")
    user.refresh_from_db()
    assert [g.name for g in user.groups.all()] == ["Curators"]
    assert user.has_perm("claims.delete_claim")
    call_command("grant_role", "alice", "none")
    user = django_user_model.objects.get(pk=user.pk)
    assert not user.is_staff
    assert not user.groups.exists()


@pytest.mark.django_db
def test_grant_role_refuses_an_unknown_user():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="No user 'nobody'"):
        call_command("grant_role", "nobody", "curator")
