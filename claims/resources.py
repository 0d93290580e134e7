"""CSV interchange for metals, questions and claims (see docs/csv-format.md and DESIGN.md)."""

from decimal import Decimal

from import_export import fields, resources, widgets

from sources.models import Actor, Source
from sources.widgets import NaturalKeyListWidget, NaturalKeyWidget, TextWidget

from .models import Claim, Metal, Question


class MetalResource(resources.ModelResource):
    members = fields.Field(
        attribute="members",
        column_name="members",
        widget=NaturalKeyListWidget(Metal, "symbol", "metal"),
    )

    class Meta:
        model = Metal
        import_id_fields = ("symbol",)
        fields = ("symbol", "name", "atomic_number", "category", "members")
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self):
        return super().get_queryset().prefetch_related("members")


class QuestionResource(resources.ModelResource):
    unit = fields.Field(attribute="unit", column_name="unit", widget=TextWidget())
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
        widget=widgets.DecimalWidget(),
        default=Decimal(0),
    )
    description = fields.Field(
        attribute="description", column_name="description", widget=TextWidget()
    )

    class Meta:
        model = Question
        import_id_fields = ("slug",)
        fields = ("slug", "title", "kind", "unit", "subjects", "metals", "tolerance", "description")
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self):
        return super().get_queryset().prefetch_related("subjects", "metals")


class ClaimResource(resources.ModelResource):
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
    about = fields.Field(
        attribute="about", column_name="about", widget=NaturalKeyListWidget(Actor, "slug", "actor")
    )
    metals = fields.Field(
        attribute="metals",
        column_name="metals",
        widget=NaturalKeyListWidget(Metal, "symbol", "metal"),
    )
    qualifier = fields.Field(attribute="qualifier", column_name="qualifier", widget=TextWidget())
    unit = fields.Field(attribute="unit", column_name="unit", widget=TextWidget())
    as_of = fields.Field(attribute="as_of", column_name="as_of", widget=TextWidget())
    answer = fields.Field(attribute="answer", column_name="answer", widget=TextWidget())
    note = fields.Field(attribute="note", column_name="note", widget=TextWidget())

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
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("source", "question", "speaker", "cited_source")
            .prefetch_related("about", "metals")
        )
