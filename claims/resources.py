"""CSV interchange for metals, questions and claims (see docs/csv-format.md)."""

from decimal import Decimal

from import_export import fields

from interchange.resources import InterchangeResource, parents_first
from interchange.widgets import (
    ChoiceWidget,
    CodeWidget,
    FlagWidget,
    IntegerWidget,
    NaturalKeyListWidget,
    NaturalKeyWidget,
    NumberWidget,
    TextWidget,
)
from sources.models import Actor, Source

from .comparison import ANSWER_CHOICES, QUALIFIER_CHOICES, UNIT_CHOICES
from .models import Claim, Metal, Question


class MetalResource(InterchangeResource):
    symbol = fields.Field(attribute="symbol", column_name="symbol", widget=CodeWidget())
    atomic_number = fields.Field(
        attribute="atomic_number",
        column_name="atomic_number",
        widget=IntegerWidget("atomic_number"),
    )
    category = fields.Field(
        attribute="category",
        column_name="category",
        widget=ChoiceWidget(Metal.Category.choices, "category"),
    )
    members = fields.Field(
        attribute="members",
        column_name="members",
        widget=NaturalKeyListWidget(Metal, "symbol", "metal"),
    )

    required_columns = ("symbol", "name", "category")
    constraint_messages = {
        "metal_group_has_no_atomic_number": (
            "atomic_number",
            "an element needs an atomic number and a group (category 'group') has none",
        ),
        "metal_atomic_number_range": ("atomic_number", "an atomic number is from 1 to 118"),
        "metal_atomic_number_unique": (
            "atomic_number",
            "another metal already has this atomic number",
        ),
    }

    class Meta:
        model = Metal
        import_id_fields = ("symbol",)
        fields = ("symbol", "name", "atomic_number", "category", "members")

    def with_related(self, queryset):
        return queryset.prefetch_related("members")

    streams_export = False

    def iter_queryset(self, queryset):
        # Elements in the table's order (by atomic number), then groups, each group after the
        # groups it contains, so the file imports top to bottom.
        metals = list(queryset)
        metals.sort(key=lambda metal: metal.is_group)
        return parents_first(metals, lambda metal: [m.pk for m in metal.members.all()])


class QuestionResource(InterchangeResource):
    slug = fields.Field(attribute="slug", column_name="slug", widget=CodeWidget())
    kind = fields.Field(
        attribute="kind",
        column_name="kind",
        widget=ChoiceWidget(Question.Kind.choices, "kind", default=Question.Kind.QUANTITY),
    )
    unit = fields.Field(
        attribute="unit", column_name="unit", widget=ChoiceWidget(UNIT_CHOICES, "unit")
    )
    subjects = fields.Field(
        attribute="subjects",
        column_name="subjects",
        widget=NaturalKeyListWidget(Actor, "slug", "actor"),
    )
    metals = fields.Field(
        attribute="metals",
        column_name="metals",
        widget=NaturalKeyListWidget(Metal, "symbol", "metal"),
    )
    # An empty tolerance cell means "none": figures must overlap to agree.
    tolerance = fields.Field(
        attribute="tolerance",
        column_name="tolerance",
        widget=NumberWidget("tolerance"),
        default=Decimal(0),
    )
    description = fields.Field(
        attribute="description", column_name="description", widget=TextWidget()
    )

    required_columns = ("slug", "title")
    constraint_messages = {
        "question_tolerance_not_negative": ("tolerance", "the tolerance cannot be negative"),
        "question_yes_no_has_no_unit": ("unit", "a yes/no question (kind 'boolean') has no unit"),
    }

    class Meta:
        model = Question
        import_id_fields = ("slug",)
        fields = ("slug", "title", "kind", "unit", "subjects", "metals", "tolerance", "description")

    def with_related(self, queryset):
        return queryset.prefetch_related("subjects", "metals")


class ClaimResource(InterchangeResource):
    ref = fields.Field(attribute="ref", column_name="ref", widget=CodeWidget())
    source = fields.Field(
        attribute="source", column_name="source", widget=NaturalKeyWidget(Source, "slug", "source")
    )
    quote = fields.Field(attribute="quote", column_name="quote", widget=TextWidget())
    paraphrase = fields.Field(attribute="paraphrase", column_name="paraphrase", widget=TextWidget())
    question = fields.Field(
        attribute="question",
        column_name="question",
        widget=NaturalKeyWidget(Question, "slug", "question"),
    )
    speaker = fields.Field(
        attribute="speaker", column_name="speaker", widget=NaturalKeyWidget(Actor, "slug", "actor")
    )
    cited_source = fields.Field(
        attribute="cited_source",
        column_name="cited_source",
        widget=NaturalKeyWidget(Source, "slug", "source"),
    )
    unattributed = fields.Field(
        attribute="unattributed", column_name="unattributed", widget=FlagWidget("unattributed")
    )
    about = fields.Field(
        attribute="about", column_name="about", widget=NaturalKeyListWidget(Actor, "slug", "actor")
    )
    metals = fields.Field(
        attribute="metals",
        column_name="metals",
        widget=NaturalKeyListWidget(Metal, "symbol", "metal"),
    )
    qualifier = fields.Field(
        attribute="qualifier",
        column_name="qualifier",
        widget=ChoiceWidget(QUALIFIER_CHOICES, "qualifier"),
    )
    value = fields.Field(attribute="value", column_name="value", widget=NumberWidget("value"))
    value_high = fields.Field(
        attribute="value_high", column_name="value_high", widget=NumberWidget("value_high")
    )
    unit = fields.Field(
        attribute="unit", column_name="unit", widget=ChoiceWidget(UNIT_CHOICES, "unit")
    )
    as_of = fields.Field(attribute="as_of", column_name="as_of", widget=CodeWidget())
    answer = fields.Field(
        attribute="answer", column_name="answer", widget=ChoiceWidget(ANSWER_CHOICES, "answer")
    )
    status = fields.Field(
        attribute="status",
        column_name="status",
        widget=ChoiceWidget(Claim.Status.choices, "status", default=Claim.Status.DRAFT),
    )
    note = fields.Field(attribute="note", column_name="note", widget=TextWidget())

    required_columns = ("ref", "source", "quote")
    constraint_messages = {
        "claim_value_high_not_below_value": ("value_high", "value_high is below value"),
        "claim_between_has_both_values": (
            "value_high",
            "qualifier 'between' needs both value and value_high, and only 'between' has a "
            "value_high",
        ),
        "claim_qualifier_needs_value": ("qualifier", "a qualifier needs a value"),
        "claim_answer_or_value": ("answer", "a claim has an answer or a value, not both"),
    }

    class Meta:
        model = Claim
        import_id_fields = ("ref",)
        fields = (
            "ref",
            "source",
            "quote",
            "paraphrase",
            "question",
            "speaker",
            "cited_source",
            "unattributed",
            "about",
            "metals",
            "qualifier",
            "value",
            "value_high",
            "unit",
            "as_of",
            "answer",
            "status",
            "note",
        )

    def with_related(self, queryset):
        # The export renders slugs only: a source's full text is never needed.
        return (
            queryset.select_related("source", "question", "speaker", "cited_source")
            .defer("source__text", "cited_source__text")
            .prefetch_related("about", "metals")
        )
