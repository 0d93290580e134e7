"""Every change is in the history with who, when and what, and a curator can revert it."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims.models import Claim, Metal, Question
from core.history import change_reason
from interchange.services import data_import
from sources.models import Actor, Source
from tests.conftest import make_actor, make_claim, make_question, make_source, make_user

MODELS = [Actor, Source, Metal, Question, Claim]


@pytest.fixture
def curator_client(client, db):
    # A curator: may change every record and revert it.
    user = make_user("curator", username="carol")
    client.force_login(user)
    client.user = user
    return client


def change_url(obj, page="change", *extra):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{page}", args=[obj.pk, *extra])


def form_data(response):
    """The values a browser would post back from an admin change form, as rendered."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, (list, tuple)) else str(value)
    return data


def no_inlines(data):
    # The Source page has a claims inline: post its management form, with no rows changed.
    data.update(
        {
            "claims-TOTAL_FORMS": "0",
            "claims-INITIAL_FORMS": "0",
            "claims-MIN_NUM_FORMS": "0",
            "claims-MAX_NUM_FORMS": "1000",
        }
    )
    return data


@pytest.mark.django_db
def test_creating_and_changing_in_code_is_recorded_with_type_and_values():
    actor = make_actor(name="Ministry of Natural Resources")
    actor.name = "Ministry of Natural Resources and Environment"
    actor.save()
    newest, oldest = actor.history.all()
    assert (oldest.history_type, newest.history_type) == ("+", "~")
    delta = newest.diff_against(oldest)
    assert [(c.field, c.old, c.new) for c in delta.changes if c.field == "name"] == [
        ("name", "Ministry of Natural Resources", "Ministry of Natural Resources and Environment")
    ]


@pytest.mark.django_db
def test_a_change_to_a_claims_metals_is_recorded_as_a_version_with_those_metals(neodymium):
    claim = make_claim()
    before = claim.history.latest()
    claim.metals.add(neodymium)
    after = claim.history.latest()
    assert after.pk != before.pk
    assert list(before.metals.values_list("metal_id", flat=True)) == []
    assert list(after.metals.values_list("metal_id", flat=True)) == [neodymium.pk]


@pytest.mark.django_db
def test_a_deletion_is_recorded_and_keeps_the_last_values():
    source = make_source(title="A deleted report")
    pk = source.pk
    source.delete()
    last = Source.history.filter(id=pk).latest()
    assert last.history_type == "-"
    assert last.title == "A deleted report"


def test_an_admin_change_records_the_curator_and_what_changed(curator_client):
    question = make_question(title="China's share of REE mining")
    response = curator_client.get(change_url(question))
    data = form_data(response)
    data["title"] = "China's share of world REE mining"
    response = curator_client.post(change_url(question), data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    latest = question.history.latest()
    assert latest.history_user == curator_client.user
    assert latest.history_type == "~"
    history_page = curator_client.get(change_url(question, "history")).content.decode()
    assert "carol" in history_page
    assert "China&#x27;s share of world REE mining" in history_page


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_history_page_and_the_import_export_buttons_all_render(curator_client, model):
    obj = {
        Actor: make_actor,
        Source: make_source,
        Metal: lambda: Metal.objects.get(symbol="Nd"),
        Question: make_question,
        Claim: make_claim,
    }[model]()
    opts = model._meta
    changelist = curator_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert (
        reverse(f"admin:{opts.app_label}_{opts.model_name}_import") in changelist.content.decode()
    )
    assert (
        reverse(f"admin:{opts.app_label}_{opts.model_name}_export") in changelist.content.decode()
    )

    change = curator_client.get(change_url(obj)).content.decode()
    assert change_url(obj, "history") in change  # the History button

    history = curator_client.get(change_url(obj, "history"))
    assert history.status_code == 200
    version = obj.history.latest()
    assert change_url(obj, "simple_history", version.pk) in history.content.decode()
    assert curator_client.get(change_url(obj, "simple_history", version.pk)).status_code == 200


def test_a_curator_reverts_a_claim_to_an_old_version_metals_included(curator_client, neodymium):
    dysprosium = Metal.objects.get(symbol="Dy")
    claim = make_claim(
        quote="China handles nearly 90 percent.", qualifier="nearly", value=Decimal(90), unit="%"
    )
    claim.metals.set([neodymium])
    old = claim.history.latest()
    claim.quote = "China handles 91 percent."
    claim.value = Decimal(91)
    claim.qualifier = "exact"
    claim.save()
    claim.metals.set([dysprosium])

    url = change_url(claim, "simple_history", old.pk)
    page = curator_client.get(url)
    assert page.status_code == 200
    data = form_data(page)
    assert data["metals"] == [str(neodymium.pk)]  # the old version's metals, not today's
    response = curator_client.post(url, data)
    assert response.status_code == 302

    claim.refresh_from_db()
    assert claim.quote == "China handles nearly 90 percent."
    assert claim.value == Decimal(90)
    assert list(claim.metals.all()) == [neodymium]
    assert claim.history.latest().history_user == curator_client.user


@pytest.mark.django_db
def test_an_import_records_the_file_name_and_the_user(tmp_path, django_user_model):
    alice = django_user_model.objects.create_user("alice")
    (tmp_path / "actors.csv").write_text(
        "slug,name,kind,country,parent,aliases,wikidata_id,description\n"
        "iea,International Energy Agency,organisation,,,,,\n",
        encoding="utf-8",
    )
    report = data_import(paths=[tmp_path / "actors.csv"], user=alice)
    assert report.ok, report
    record = Actor.objects.get(slug="iea").history.latest()
    assert record.history_change_reason == "import of actors.csv"
    assert record.history_user == alice


@pytest.mark.django_db
def test_an_import_without_a_user_still_records_the_file_name(tmp_path):
    path = Path(tmp_path / "actors.csv")
    path.write_text(
        "slug,name,kind,country,parent,aliases,wikidata_id,description\n"
        "iea,International Energy Agency,organisation,,,,,\n",
        encoding="utf-8",
    )
    assert data_import(paths=[path]).ok
    record = Actor.objects.get(slug="iea").history.latest()
    assert record.history_change_reason == "import of actors.csv"
    assert record.history_user is None


@pytest.mark.django_db
def test_the_change_reason_ends_with_its_block():
    with change_reason("import of claims.csv"):
        inside = make_actor()
    outside = make_actor()
    assert inside.history.latest().history_change_reason == "import of claims.csv"
    assert outside.history.latest().history_change_reason is None


def import_through_the_admin(client, model, name, content):
    """Upload a file on the admin's import page, then confirm, as a curator does."""
    opts = model._meta
    model_admin = admin.site._registry[model]
    csv = next(
        i for i, f in enumerate(model_admin.get_import_formats()) if f().get_extension() == "csv"
    )
    upload = SimpleUploadedFile(name, content.encode(), content_type="text/csv")
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_import")
    response = client.post(url, {"import_file": upload, "format": csv, "resource": 0})
    assert response.status_code == 200
    confirm = response.context["confirm_form"]
    assert confirm is not None, response.context["result"]
    data = {name: confirm[name].value() for name in confirm.fields}
    process = reverse(f"admin:{opts.app_label}_{opts.model_name}_process_import")
    return client.post(process, {k: v for k, v in data.items() if v is not None})


def test_an_admin_import_records_the_file_name_and_the_curator(curator_client):
    response = import_through_the_admin(
        curator_client,
        Actor,
        "new-actors.csv",
        "slug,name,kind,country,parent,aliases,wikidata_id,description\n"
        "iea,International Energy Agency,organisation,,,,,\n",
    )
    assert response.status_code == 302
    record = Actor.objects.get(slug="iea").history.latest()
    assert record.history_change_reason == "import of new-actors.csv"
    assert record.history_user == curator_client.user
