"""The admin of metals, questions and claims, and the claims of each source on its admin page.

What the curators edit: each list shows enough to find a record among a million claims (slug
filters, capped counts), and a question's page shows its claims with their standing.
"""

from django.contrib import admin
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from core.admin_filters import SlugInputFilter
from core.paginators import CappedCountPaginator
from interchange.admin import InterchangeAdmin
from sources.admin import SourceAdmin
from sources.models import Source

from .models import Claim, ClaimLink, Metal, Question
from .resources import ClaimResource, MetalResource, QuestionResource
from .summaries import summaries_refreshed_once


class SourceSlugFilter(SlugInputFilter):
    title = "source (slug)"
    parameter_name = "source"
    lookup = "source__slug"


class SpeakerSlugFilter(SlugInputFilter):
    title = "speaker (slug)"
    parameter_name = "speaker"
    lookup = "speaker__slug"


class QuestionSlugFilter(SlugInputFilter):
    title = "question (slug)"
    parameter_name = "question"
    lookup = "question__slug"


class ClaimCountAdmin:
    """A sortable "claims" column: how many claims each row has, by their foreign key `claims_by`
    (counted for the rows shown only, see ClaimQuerySet.counted_per)."""

    claims_by = ""

    def get_queryset(self, request):
        counts = Claim.objects.counted_per(self.claims_by)
        return super().get_queryset(request).annotate(claim_count=counts)

    @admin.display(description="claims", ordering="claim_count")
    def claim_count(self, record):
        return record.claim_count


@admin.register(Metal)
class MetalAdmin(InterchangeAdmin):
    resource_classes = [MetalResource]
    list_display = ["symbol", "name", "atomic_number", "category"]
    list_filter = ["category"]
    search_fields = ["symbol", "name"]
    autocomplete_fields = ["members"]


@admin.register(Question)
class QuestionAdmin(ClaimCountAdmin, InterchangeAdmin):
    resource_classes = [QuestionResource]
    claims_by = "question"
    list_display = ["title", "slug", "kind", "unit", "tolerance", "claim_count", "public_page"]
    list_filter = ["kind", "unit", "metals"]
    search_fields = ["title", "slug", "description"]
    autocomplete_fields = ["subjects", "metals"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["claims_and_standing", "public_page"]
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "unit", "description"]}),
        (
            "Comparing",
            {"fields": ["tolerance", ("lower_bound", "upper_bound"), "drift"]},
        ),
        ("About", {"fields": ["subjects", "metals"]}),
        ("Claims", {"fields": ["public_page", "claims_and_standing"]}),
    ]

    @admin.display(description="public page")
    def public_page(self, question):
        if not question.pk:
            return "—"
        return format_html('<a href="{}">{}</a>', question.get_absolute_url(), "view on the site")

    @admin.display(description="claims and how each stands against the others")
    def claims_and_standing(self, question):
        if not question.pk:
            return "—"
        claims = list(Claim.objects.for_question(question).with_related())
        outcome = question.compare(claims)
        rows = [(claim, outcome.standings.get(claim.ref)) for claim in claims]
        return render_to_string(
            "admin/claims/question_claims.html", {"rows": rows, "outcome": outcome}
        )


class ClaimInline(admin.StackedInline):
    model = Claim
    fk_name = "source"
    extra = 0
    show_change_link = True
    autocomplete_fields = ["question", "speaker", "cited_source", "about", "metals"]
    fields = [
        ("ref", "status"),
        "quote",
        ("question", "speaker", "cited_source", "unattributed"),
        ("qualifier", "value", "value_high", "unit", "as_of", "answer"),
        ("about", "metals"),
    ]


# The Source page lists its claims, but `sources` must not import `claims` (claims depends on
# sources, never the reverse), so the claims app extends the Source admin here.
admin.site.unregister(Source)


@admin.register(Source)
class SourceWithClaimsAdmin(ClaimCountAdmin, SourceAdmin):
    claims_by = "source"
    inlines = [ClaimInline]
    list_display = [*SourceAdmin.list_display, "claim_count"]


class ClaimLinkInline(admin.TabularInline):
    """The claim's links to others: a revision, a caveat, a derivation, a dispute."""

    model = ClaimLink
    fk_name = "claim"
    extra = 0
    autocomplete_fields = ["target"]
    fields = ["kind", "target"]
    verbose_name = "link to another claim"
    verbose_name_plural = "links to other claims (this claim corrects, qualifies … the other)"


@admin.register(Claim)
class ClaimAdmin(InterchangeAdmin):
    resource_classes = [ClaimResource]
    list_display = ["ref", "source", "question", "speaker", "figure", "as_of", "status"]
    list_filter = [
        "status",
        QuestionSlugFilter,
        SourceSlugFilter,
        SpeakerSlugFilter,
        "metals",
        "qualifier",
        "unit",
    ]
    # A ref is searched by its beginning (an index serves it on PostgreSQL: migration 0008); the
    # quote and paraphrase anywhere (trigram indexes).
    search_fields = ["ref__istartswith", "quote", "paraphrase"]
    autocomplete_fields = ["source", "question", "speaker", "cited_source", "about", "metals"]
    list_select_related = ["source", "question", "speaker"]
    readonly_fields = ["quote_check", "linked_from", "created", "updated"]
    show_full_result_count = False
    paginator = CappedCountPaginator
    list_per_page = 50
    inlines = [ClaimLinkInline]
    fieldsets = [
        (None, {"fields": ["ref", "source", "quote", "quote_check", "paraphrase"]}),
        (
            "Filed under",
            {"fields": ["question", "speaker", "cited_source", "unattributed", "about", "metals"]},
        ),
        ("Figure", {"fields": ["qualifier", "value", "value_high", "unit", "as_of", "answer"]}),
        ("Curation", {"fields": ["status", "note", "linked_from", "created", "updated"]}),
    ]

    def get_queryset(self, request):
        # The changelist never needs a source's full text; the change page loads it for the quote
        # check through the object itself.
        return super().get_queryset(request).defer("source__text")

    def delete_queryset(self, request, queryset):
        # "Delete selected": each question's summary is recomputed once, not once per claim, in
        # the same transaction as the deletes.
        with transaction.atomic(), summaries_refreshed_once():
            super().delete_queryset(request, queryset)

    @admin.display(description="figure")
    def figure(self, claim):
        return claim.stated_figure()

    @admin.display(description="linked from")
    def linked_from(self, claim):
        if not claim.pk:
            return "—"
        links = claim.linked_from.select_related("claim").order_by("kind", "claim__ref")
        if not links:
            return "—"
        return format_html_join(
            ", ",
            '{} <a href="{}">{}</a>',
            ((link.get_kind_display(), admin_url(link.claim), link.claim.ref) for link in links),
        )

    @admin.display(description="quote in source text?")
    def quote_check(self, claim):
        if not claim.pk:
            return "—"
        found = claim.quote_found
        if found is None:
            return "cannot check: the source has no stored text"
        return (
            "yes: found verbatim in the source's text"
            if found
            else "NO: not found in the source's text"
        )


def admin_url(claim):
    return reverse("admin:claims_claim_change", args=[claim.pk])
