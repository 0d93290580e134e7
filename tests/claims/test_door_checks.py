"""Checks at the door: a claim takes its question's unit, a unit of another dimension is refused
(the comparison's one check, the admin's form and imports alike), and the stored quote-found
flag follows the quote and the source's text."""

import csv
from decimal import Decimal

import pytest
from django.urls import reverse

from claims.comparison import Figure, figure_problems, scale_bounds, unit_problem
from claims.models import Claim
from interchange.services import data_import
from sources.models import Source
from tests.conftest import make_claim, make_question, make_source
from tests.import_helpers import row_counts

SHARE = scale_bounds("quantity", 0, 100)
TONNES_MESSAGE = (
    "A figure in tonnes (t) cannot stand on this question: its unit is percent (%); state the "
    "figure in %."
)
CLAIMS = ["ref", "source", "quote", "question", "qualifier", "value", "unit", "status"]
SOURCES = ["slug", "title", "kind", "text"]


def write(folder, name, header, rows):
    path = folder / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


# --- the one check, as plain values -------------------------------------------------------------


def test_a_unit_of_another_dimension_is_refused_naming_the_questions_unit():
    assert unit_problem("t", kind="quantity", unit="%") == TONNES_MESSAGE
    assert unit_problem("%", kind="quantity", unit="Mt") == (
        "A figure in percent (%) cannot stand on this question: its unit is million tonnes "
        "(Mt); state the figure in t, kt or Mt."
    )
    # A rank question needs no unit: its scale is ranks.
    assert unit_problem("%", kind="rank", unit="") == (
        "A figure in percent (%) cannot stand on this question: its unit is rank; state the "
        "figure in rank."
    )


@pytest.mark.parametrize(
    ("claim_unit", "kind", "unit"),
    [
        ("kt", "quantity", "t"),  # converts
        ("Mt", "quantity", "t"),
        ("", "quantity", "%"),  # takes the question's
        ("rank", "rank", ""),
        ("t", "boolean", ""),  # a yes/no question compares answers, not units
        ("t", "quantity", ""),  # a question without a unit compares nothing
    ],
)
def test_units_that_convert_or_cannot_clash_pass(claim_unit, kind, unit):
    assert unit_problem(claim_unit, kind=kind, unit=unit) is None


def test_the_unit_is_checked_before_the_bounds_and_names_its_own_field():
    # 120 t is no share at all: the unit is what is wrong, not the value.
    assert figure_problems(
        Figure("c", value=Decimal(120), unit="t"), kind="quantity", unit="%", bounds=SHARE
    ) == {"unit": TONNES_MESSAGE}
    assert figure_problems(
        Figure("c", value=Decimal(120), unit="%"), kind="quantity", unit="%", bounds=SHARE
    ) == {"value": "120% is outside the question's bounds (0% to 100%)."}
    assert (
        figure_problems(
            Figure("c", value=Decimal(70), unit="%"), kind="quantity", unit="%", bounds=SHARE
        )
        == {}
    )


# --- the model and the admin's form -------------------------------------------------------------


@pytest.mark.django_db
def test_a_figure_without_a_unit_takes_its_questions_unit():
    question = make_question(unit="%")
    claim = make_claim(question=question, value=Decimal(70), unit="")
    claim.full_clean()
    assert claim.unit == "%"


@pytest.mark.django_db
def test_a_claim_without_a_figure_takes_no_unit():
    question = make_question(unit="%")
    claim = make_claim(question=question, quote="It is hard to verify.")
    claim.full_clean()
    assert claim.unit == ""


def claim_form(source, question, **fields):
    data = {
        "ref": "new-claim",
        "source": source.pk,
        "quote": "China mines 70 percent.",
        "question": question.pk,
        "qualifier": "",
        "value": "70",
        "unit": "",
        "status": "draft",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
    }
    data.update(fields)
    return data


@pytest.mark.django_db
def test_the_admin_refuses_a_unit_of_another_dimension_and_saves_nothing(admin_client):
    source, question = make_source(), make_question(unit="%")
    url = reverse("admin:claims_claim_add")

    response = admin_client.post(url, claim_form(source, question, unit="t"))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["unit"] == [TONNES_MESSAGE]
    assert not Claim.objects.exists()


@pytest.mark.django_db
def test_the_admin_gives_a_claim_without_a_unit_its_questions_unit(admin_client):
    source, question = make_source(), make_question(unit="%")

    response = admin_client.post(reverse("admin:claims_claim_add"), claim_form(source, question))

    assert response.status_code == 302
    assert Claim.objects.get(ref="new-claim").unit == "%"


# --- imports ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_import_refuses_a_unit_of_another_dimension_on_the_unit_column(tmp_path):
    make_source(slug="s")
    make_question(slug="share", unit="%")
    before = row_counts()
    rows = [
        ["fine", "s", "Q.", "share", "about", "70", "%", "draft"],
        ["tonnes", "s", "Q.", "share", "", "120", "t", "draft"],
    ]

    report = data_import(paths=[write(tmp_path, "claims.csv", CLAIMS, rows)])

    # The form's sentence as a clause of the file's problem.
    clause = "a" + TONNES_MESSAGE[1:-1]
    assert report.errors == [f"claims.csv line 3, column unit: {clause}"]
    assert row_counts() == before


@pytest.mark.django_db
def test_an_import_gives_a_claim_without_a_unit_its_questions_unit(tmp_path):
    make_source(slug="s")
    make_question(slug="share", unit="%", lower_bound=0, upper_bound=100)
    rows = [["bare", "s", "Q.", "share", "", "70", "", "draft"]]

    report = data_import(paths=[write(tmp_path, "claims.csv", CLAIMS, rows)])

    assert report.ok, report.errors
    assert Claim.objects.get(ref="bare").unit == "%"


@pytest.mark.django_db
def test_a_bare_figure_outside_the_bounds_is_refused_once_it_has_the_questions_unit(tmp_path):
    # Without the question's unit a bare 120 could not be placed, and would slip past the bounds.
    make_source(slug="s")
    make_question(slug="share", unit="%", lower_bound=0, upper_bound=100)
    rows = [["bare", "s", "Q.", "share", "", "120", "", "draft"]]

    report = data_import(paths=[write(tmp_path, "claims.csv", CLAIMS, rows)])

    assert report.errors == [
        "claims.csv line 2, column value: 120% is outside the question's bounds (0% to 100%)"
    ]


# --- the stored quote-found flag ----------------------------------------------------------------


@pytest.mark.django_db
def test_saving_a_claim_stores_whether_its_quote_is_found():
    source = make_source(text="China mines about 70 percent of the world's rare earths.")
    found = make_claim(source=source, quote="about   70 percent")
    missing = make_claim(source=source, quote="about 60 percent")
    unknown = make_claim(source=make_source(), quote="anything")

    stored = dict(Claim.objects.values_list("ref", "quote_found"))
    assert stored == {found.ref: True, missing.ref: False, unknown.ref: None}


@pytest.mark.django_db
def test_a_change_of_a_sources_text_updates_its_claims_flags(django_assert_num_queries):
    source = make_source(text="It is 90 percent.")
    was_found = make_claim(source=source, quote="90 percent")
    now_found = make_claim(source=source, quote="91 percent")
    other = make_claim(source=make_source(text="91 percent"), quote="91 percent")
    versions = dict(Claim.objects.values_list("ref", "version"))

    source.text = "It is 91 percent."
    source.save()

    stored = dict(Claim.objects.values_list("ref", "quote_found"))
    assert stored == {was_found.ref: False, now_found.ref: True, other.ref: True}
    # A derived flag: the claims are not changed records (no new version to conflict with).
    assert dict(Claim.objects.values_list("ref", "version")) == versions

    source.text = ""
    source.save()
    assert set(Claim.objects.filter(source=source).values_list("quote_found", flat=True)) == {None}


@pytest.mark.django_db
def test_the_source_admin_updates_its_claims_flags(admin_client):
    source = make_source(text="Old text.")
    claim = make_claim(source=source, quote="New text")
    assert claim.quote_found is False
    url = reverse("admin:sources_source_change", args=[source.pk])

    response = admin_client.post(url, {**as_posted(admin_client.get(url)), "text": "The New text."})

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.quote_found is True


def as_posted(page):
    """What saving an admin change page unchanged posts: each field's value, and an empty
    formset for each inline (no row of it changed)."""
    form = page.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = [str(item) for item in value] if isinstance(value, list | tuple) else value
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data


@pytest.mark.django_db
def test_a_sources_import_that_changes_a_text_updates_its_claims_flags(tmp_path):
    source = make_source(slug="s", title="S", text="Old text.")
    claim = make_claim(source=source, quote="New text")
    untouched = make_claim(source=make_source(slug="t", title="T", text="Kept."), quote="Kept")
    rows = [["s", "S", "article", "The New text."]]

    report = data_import(paths=[write(tmp_path, "sources.csv", SOURCES, rows)])

    assert report.ok, report.errors
    claim.refresh_from_db()
    untouched.refresh_from_db()
    assert (claim.quote_found, untouched.quote_found) == (True, True)


@pytest.mark.django_db
def test_a_claims_import_stores_whether_each_quote_is_found(tmp_path):
    make_source(slug="s", text="China mines about 70 percent.")
    make_question(slug="share", unit="%")
    rows = [
        ["in", "s", "about 70 percent", "share", "about", "70", "%", "draft"],
        ["out", "s", "about 60 percent", "share", "about", "60", "%", "draft"],
    ]
    path = write(tmp_path, "claims.csv", CLAIMS, rows)

    report = data_import(paths=[path])

    assert report.ok, report.errors
    assert dict(Claim.objects.values_list("ref", "quote_found")) == {"in": True, "out": False}

    # A changed quote is looked for again.
    rows[1][2] = "China mines"
    report = data_import(paths=[write(tmp_path, "claims.csv", CLAIMS, rows)])
    assert report.ok, report.errors
    assert Claim.objects.get(ref="out").quote_found is True
    assert Source.objects.get(slug="s").claims.count() == 2


@pytest.mark.django_db
def test_an_import_that_changes_only_a_claims_links_bumps_its_version_once(tmp_path):
    # The links cell is written after the rows (a late column), but its row counts as changed:
    # the engine's bump of the row is the one bump (a form opened before is refused, once).
    source = make_source(slug="s")
    make_claim(ref="a", source=source, quote="Q.")
    make_claim(ref="b", source=source, quote="Q.")
    header = ["ref", "source", "quote", "links"]
    versions = dict(Claim.objects.values_list("ref", "version"))

    rows = [["a", "s", "Q.", "qualifies:b"], ["b", "s", "Q.", ""]]
    report = data_import(paths=[write(tmp_path, "claims.csv", header, rows)])

    assert report.ok, report.errors
    after = dict(Claim.objects.values_list("ref", "version"))
    assert after == {"a": versions["a"] + 1, "b": versions["b"]}
