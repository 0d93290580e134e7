"""One vocabulary, one definition: units, qualifiers, kinds and answers are defined in
claims.comparison, and the models, the CSV columns and the stated figure take them from there.

These tests are what keeps them from drifting apart: a code added to one list and not the others
would be storable but not comparable, or comparable but refused by the import.
"""

import pytest

from claims import comparison
from claims.models import Claim, Question
from claims.resources import ClaimResource, MetalResource, QuestionResource
from interchange.widgets import ChoiceWidget
from pages.display import LINK_WORDS
from sources.resources import ActorResource, SourceResource

VOCABULARIES = [
    (Question, "kind", comparison.KIND_CHOICES),
    (Question, "unit", comparison.UNIT_CHOICES),
    (Claim, "qualifier", comparison.QUALIFIER_CHOICES),
    (Claim, "unit", comparison.UNIT_CHOICES),
    (Claim, "answer", comparison.ANSWER_CHOICES),
]


@pytest.mark.parametrize(("model", "field", "choices"), VOCABULARIES)
def test_a_model_field_offers_the_comparisons_choices(model, field, choices):
    assert model._meta.get_field(field).choices == list(choices)


@pytest.mark.parametrize(("model", "field", "choices"), VOCABULARIES)
def test_a_csv_column_accepts_the_comparisons_choices(model, field, choices):
    resource = {Question: QuestionResource, Claim: ClaimResource}[model]()
    widget = resource.fields[field].widget

    assert isinstance(widget, ChoiceWidget)
    assert widget.choices == list(choices)


@pytest.mark.parametrize(
    "resource", [ActorResource, SourceResource, MetalResource, QuestionResource, ClaimResource]
)
def test_every_choice_column_accepts_its_model_fields_choices(resource):
    resource = resource()
    model = resource._meta.model
    columns = {
        name: field
        for name, field in resource.fields.items()
        if isinstance(field.widget, ChoiceWidget)
    }

    assert columns
    for name, column in columns.items():
        assert column.widget.choices == model._meta.get_field(column.attribute).choices, name


def test_the_codes_are_the_choices_codes():
    assert tuple(code for code, _ in comparison.KIND_CHOICES) == comparison.KINDS
    assert tuple(code for code, _ in comparison.QUALIFIER_CHOICES) == comparison.QUALIFIERS
    assert tuple(code for code, _ in comparison.ANSWER_CHOICES) == comparison.ANSWERS


def test_every_qualifier_has_its_words_in_a_stated_figure():
    assert tuple(comparison.QUALIFIER_WORDS) == ("", *comparison.QUALIFIERS)


def test_the_enums_of_the_models_are_the_comparisons_codes():
    assert [(kind.value, kind.label) for kind in Question.Kind] == comparison.KIND_CHOICES
    assert [(answer.value, answer.label) for answer in Claim.Answer] == comparison.ANSWER_CHOICES
    assert Question.Kind.QUANTITY == "quantity"
    assert Question.Kind.BOOLEAN.label == "yes / no"
    assert Claim.Answer.YES == "yes"


def test_every_link_kind_has_its_words_both_ways_on_the_pages():
    assert set(LINK_WORDS) == set(comparison.LINK_KINDS)
    assert all(len(words) == 2 and all(words) for words in LINK_WORDS.values())
