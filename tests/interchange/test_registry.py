"""Which interchange files there are and in which order (interchange.registry), as the apps
registered them in their AppConfig.ready(), and what the registry refuses."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from claims.resources import ClaimResource, MetalResource, QuestionResource
from interchange import registry
from sources import citations
from sources.resources import ActorResource, SourceResource


@pytest.fixture
def scratch(monkeypatch):
    """The registry as the apps filled it, on copies: whatever a test registers is gone after it."""
    monkeypatch.setattr(registry, "_files", dict(registry._files))
    monkeypatch.setattr(registry, "_exports", dict(registry._exports))


def test_the_files_are_in_import_order_each_after_those_it_refers_to():
    assert [(file.stem, file.resource) for file in registry.files()] == [
        ("actors", ActorResource),
        ("sources", SourceResource),
        ("metals", MetalResource),
        ("questions", QuestionResource),
        ("claims", ClaimResource),
    ]
    assert registry.stems() == ("actors", "sources", "metals", "questions", "claims")
    assert registry.file_names() == (
        "actors.csv",
        "sources.csv",
        "metals.csv",
        "questions.csv",
        "claims.csv",
    )


def test_the_order_is_the_registered_order_number_not_the_order_of_registration(scratch):
    registry.register("early", ActorResource, order=5)
    registry.register("late", ActorResource, order=99)

    assert registry.stems() == (
        "early",
        "actors",
        "sources",
        "metals",
        "questions",
        "claims",
        "late",
    )


def test_the_export_formats_are_csv_and_xlsx_then_those_registered():
    assert registry.export_formats() == ("csv", "xlsx", "csl-json", "bibtex")
    assert registry.export("csl-json").write is citations.write_csl_json
    assert registry.export("bibtex").file_name == "sources.bib"


def test_a_stem_registered_twice_is_refused_and_the_first_kept(scratch):
    with pytest.raises(ImproperlyConfigured, match="'claims' is registered twice"):
        registry.register("claims", ActorResource, order=60)

    assert {f.stem: f.resource for f in registry.files()}["claims"] is ClaimResource


def test_an_order_taken_twice_is_refused(scratch):
    with pytest.raises(
        ImproperlyConfigured, match="Two interchange files have the import order 10"
    ):
        registry.register("people", ActorResource, order=10)

    assert "people" not in registry.stems()


@pytest.mark.parametrize("name", ["bibtex", "csv", "xlsx"])
def test_an_export_format_registered_twice_or_named_like_a_file_format_is_refused(scratch, name):
    with pytest.raises(ImproperlyConfigured, match=f"'{name}' is registered twice"):
        registry.register_export(name, str, file_name="other.txt")

    assert registry.export_formats() == ("csv", "xlsx", "csl-json", "bibtex")
