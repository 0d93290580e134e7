"""Sources as CSL-JSON and BibTeX, from the admin (actions on the source list) and pure functions."""

import json
from datetime import date

import pytest
from django.urls import reverse

from sources.citations import bibtex_entry, csl_item, csl_name, to_csl_json
from sources.models import Source
from tests.conftest import make_actor, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_source(
        slug="palve-2025",
        title="Russia seeks {Chinese} rare-earth tech: 100% & more",
        kind=Source.Kind.ARTICLE,
        publisher=make_actor(name="The EurAsian Times", kind="media"),
        authors="Shubhangi Palve\nInternational Energy Agency",
        published="2025-09",
        url="https://example.org/a?b=1&c=2",
        accessed=date(2025, 11, 1),
        language="en",
    )


def test_a_source_as_csl_json(article):
    assert csl_item(article) == {
        "id": "palve-2025",
        "type": "article-newspaper",
        "title": "Russia seeks {Chinese} rare-earth tech: 100% & more",
        "author": [
            {"family": "Palve", "given": "Shubhangi"},
            {"literal": "International Energy Agency"},
        ],
        "publisher": "The EurAsian Times",
        "container-title": "The EurAsian Times",
        "issued": {"date-parts": [[2025, 9]]},
        "accessed": {"date-parts": [[2025, 11, 1]]},
        "URL": "https://example.org/a?b=1&c=2",
        "language": "en",
    }


def test_a_source_without_optional_fields_is_valid_csl(db):
    source = make_source(slug="bare", title="Bare", kind=Source.Kind.OTHER)

    assert json.loads(to_csl_json([source])) == [
        {"id": "bare", "type": "document", "title": "Bare"}
    ]


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Shubhangi Palve", {"family": "Palve", "given": "Shubhangi"}),
        ("Ministry of Natural Resources", {"literal": "Ministry of Natural Resources"}),
        ("Reuters", {"literal": "Reuters"}),
    ],
)
def test_names_are_split_only_when_they_look_like_a_persons(name, parts):
    assert csl_name(name) == parts


def test_a_source_as_bibtex(article):
    assert bibtex_entry(article) == (
        "@article{palve-2025,\n"
        "  title = {{Russia seeks \\{Chinese\\} rare-earth tech: 100\\% \\& more}},\n"
        "  author = {Palve, Shubhangi and {International Energy Agency}},\n"
        "  journal = {The EurAsian Times},\n"
        "  year = {2025},\n"
        "  month = sep,\n"
        "  date = {2025-09},\n"
        "  url = {https://example.org/a?b=1&c=2},\n"
        "  urldate = {2025-11-01},\n"
        "  langid = {en}\n"
        "}\n"
    )


def test_a_report_is_a_techreport(db):
    report = make_source(
        slug="iea-2025", title="Outlook", kind=Source.Kind.REPORT, publisher=make_actor(name="IEA")
    )

    assert bibtex_entry(report).startswith("@techreport{iea-2025,\n")
    assert "  institution = {IEA}" in bibtex_entry(report)


def post_action(client, action, sources):
    return client.post(
        reverse("admin:sources_source_changelist"),
        {"action": action, "_selected_action": [source.pk for source in sources]},
    )


def test_the_admin_exports_selected_sources_as_csl_json(admin_client, article):
    other = make_source(slug="not-selected")

    response = post_action(admin_client, "export_csl_json", [article])

    assert response["Content-Disposition"] == 'attachment; filename="sources.json"'
    items = json.loads(response.content)
    assert [item["id"] for item in items] == ["palve-2025"]
    assert other.slug not in response.content.decode()


def test_the_admin_exports_selected_sources_as_bibtex(admin_client, article):
    response = post_action(admin_client, "export_bibtex", [article])

    assert response["Content-Disposition"] == 'attachment; filename="sources.bib"'
    assert response.content.decode().startswith("@article{palve-2025,")
