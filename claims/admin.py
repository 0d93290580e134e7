"""The admin of metals, questions and claims, and the claims of each source on its admin page.

What the curators edit: each list fits a 1,400 px window and shows enough to find a record among
a million claims (filters picked from searchable lists, capped counts, figures as stated); a
question's page shows its claims with their standing; a source's page its claims as a table.
"""

from functools import partial
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.widgets import AutocompleteSelect, RelatedFieldWidgetWrapper
from django.db import models, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from core.admin import VersionedInline, shortened
from core.admin_filters import AutocompleteFilter, AutocompleteFiltersAdmin
from core.admin_numbers import StatedNumbersAdmin
from core.paginators import CappedCountPaginator
from interchange.admin import InterchangeAdmin
from sources.admin import SourceAdmin
from sources.models import Source

from .admin_curation import ClaimsInlineCurationAdmin, CuratedClaimInline, CurationAdmin
from .admin_extraction import review_view
from .models import Claim, ClaimLink, Metal, Question, VerdictChange
from .resources import ClaimResource, MetalResource, QuestionResource
from .summaries import summaries_refreshed_once

# How much of a question's or source's title, or a speaker's name, the claim list shows (the whole
# is the cell's tooltip): what keeps the list within a 1,400 px window. (Django would show the
# three as foreign keys, each on one line however long.)
QUESTION_SHOWN = 48
SOURCE_SHOWN = 40
SPEAKER_SHOWN = 32
# A source's page shows this many of its claims; the claim list, filtered by the source, all.
# Each row is a form of a dozen widgets: at 40 rows the page took 210 ms (p50, `make bench`).
INLINE_CLAIMS = 25


class QuestionFilter(AutocompleteFilter):
    field_name = "question"


class SourceFilter(AutocompleteFilter):
    field_name = "source"


class SpeakerFilter(AutocompleteFilter):
    field_name = "speaker"


class CheckedByFilter(admin.RelatedFieldListFilter):
    """Who checked a claim: the accounts that may change claims (superusers, curators), not every
    account there is (readers never check one)."""

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        users = field.related_model._default_manager
        may_change = users.filter(
            Q(groups__permissions__codename="change_claim")
            | Q(user_permissions__codename="change_claim")
        ).values("pk")
        return field.get_choices(
            include_blank=False,
            ordering=ordering,
            limit_choices_to=Q(is_superuser=True) | Q(pk__in=may_change),
        )


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


class _LoadedAutocomplete(AutocompleteSelect):
    """The admin's autocomplete, naming its chosen record from the row's instance when the row
    has it loaded (`loaded`, set by LoadedChoicesInline) rather than by a query of its own."""

    loaded = None

    def optgroups(self, name, value, attr=None):
        chosen = [str(item) for item in value if item not in (None, "")]
        if self.loaded is None or chosen != [str(self.loaded.pk)]:
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        label = self.choices.field.label_from_instance(self.loaded)
        options.append(self.create_option(name, self.loaded.pk, label, True, len(options)))
        return [(None, options, 0)]


class _LoadedChoicesFormSet:
    """Hands each row's loaded related records to its autocomplete widgets."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for name, field in form.fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # inside the add/change links
            if isinstance(widget, _LoadedAutocomplete):
                model_field = form.instance._meta.get_field(name)
                if model_field.is_cached(form.instance):
                    widget.loaded = getattr(form.instance, name)


class LoadedChoicesInline:
    """An inline whose foreign-key autocompletes are named from the rows, joined in one query:
    Django's widget reads its chosen record itself, a query per widget per row (a source's page
    of 96 claims took 667 queries)."""

    def get_queryset(self, request):
        joined = [
            name
            for name in self.get_autocomplete_fields(request)
            if self.opts.get_field(name).many_to_one
        ]
        return super().get_queryset(request).select_related(*joined)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = _LoadedAutocomplete(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (_LoadedChoicesFormSet, formset), {})


@admin.register(Metal)
class MetalAdmin(InterchangeAdmin):
    resource_classes = [MetalResource]
    list_display = ["symbol", "name", "atomic_number", "category"]
    list_filter = ["category"]
    search_fields = ["symbol", "name"]
    autocomplete_fields = ["members"]


@admin.register(Question)
class QuestionAdmin(ClaimCountAdmin, StatedNumbersAdmin, InterchangeAdmin):
    resource_classes = [QuestionResource]
    claims_by = "question"
    list_display = ["title", "slug", "kind", "unit", "tolerance", "claim_count", "public_page"]
    list_filter = ["kind", "unit", "metals"]
    search_fields = ["title", "slug", "description"]
    autocomplete_fields = ["subjects", "metals"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["claims_and_standing", "public_page", "verdict_history"]
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "unit", "description"]}),
        (
            "Comparing",
            {"fields": ["tolerance", ("lower_bound", "upper_bound"), "drift"]},
        ),
        ("About", {"fields": ["subjects", "metals"]}),
        ("Claims", {"fields": ["public_page", "claims_and_standing"]}),
        ("Verdict history", {"fields": ["verdict_history"]}),
    ]

    @admin.display(description="public page")
    def public_page(self, question):
        if not question.pk:
            return "—"
        return format_html('<a href="{}">{}</a>', question.get_absolute_url(), "view on the site")

    @admin.display(description="changes of its verdict, newest first")
    def verdict_history(self, question):
        # Read-only, and a field rather than an inline: the log is derived data (claims.summaries
        # writes it), which nobody adds, edits or deletes, and a form posts nothing of it.
        changes = VerdictChange.objects.filter(question=question) if question.pk else []
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{} → {}</td><td>{}</td></tr>",
            (
                (
                    change.as_of,
                    change.get_old_verdict_display(),
                    change.get_new_verdict_display(),
                    change.version or "—",
                )
                for change in changes
            ),
        )
        if not rows:
            return "No change of verdict recorded."
        return format_html(
            "<table><thead><tr><th>data as of</th><th>verdict</th><th>data version</th></tr>"
            "</thead><tbody>{}</tbody></table>",
            rows,
        )

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


class _SourceClaimsFormSet:
    """The source's first INLINE_CLAIMS claims, in the order they were recorded: a claim recorded
    while the page is open comes after them, so the rows saved are the rows that were shown."""

    def get_queryset(self):
        if not hasattr(self, "_first_claims"):
            self._first_claims = super().get_queryset().order_by("pk")[:INLINE_CLAIMS]
        return self._first_claims


class ClaimInline(VersionedInline, CuratedClaimInline, LoadedChoicesInline, admin.TabularInline):
    """A source's claims as a table of what a curator reviews and files them by: the quote, the
    question, the speaker, the figure as stated and the status, each row linked to its claim.

    Each row is checked as the claim's own page checks it (CuratedClaimInline: the confirmation
    of a check whose quote is not found, who checked it). The figure (six fields that depend on
    each other and on the question) and the ref are edited on the claim's own page, which is also
    where claims are added, with every check of its form:
    through the link under the table, which fills in the source and the speaker and question of
    its last claim. The table fits a 1,400 px window beside the admin's navigation.
    """

    model = Claim
    fk_name = "source"
    extra = 0
    show_change_link = True
    template = "admin/claims/source_claims_inline.html"
    autocomplete_fields = ["question", "speaker"]
    fields = ["quote", "question", "speaker", "figure", "status", "quote_found"]
    readonly_fields = ["figure", "quote_found"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}

    class Media:
        css = {"all": ["claims/admin.css"]}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        # A compact row: no add, change and view buttons under each choice (the claim's page has
        # them).
        if formfield is not None and isinstance(formfield.widget, RelatedFieldWidgetWrapper):
            formfield.widget = formfield.widget.widget
        return formfield

    @admin.display(description="figure as stated")
    def figure(self, claim):
        return claim.stated_figure() or "—"

    def has_add_permission(self, request, obj=None):
        return False  # see the class's docstring

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(
            formset.__name__,
            (_SourceClaimsFormSet, formset),
            {"source_claims": self._about_claims(request, obj)},
        )

    def _about_claims(self, request, source):
        """What the links under the table need: how many claims there are, the claim list
        filtered by the source, and the claim form filled in for the next one."""
        if source is None:
            return None
        count = source.claim_count  # counted as SourceWithClaimsAdmin read the source
        about = {
            "count": count,
            "shown": INLINE_CLAIMS,
            "more": count > INLINE_CLAIMS,
            "list_url": _changelist_url(self.admin_site, source=source.slug),
            "add_url": None,
        }
        if self.admin_site.get_model_admin(Claim).has_add_permission(request):
            last = source.claims.order_by("-pk").values("speaker_id", "question_id").first()
            about["add_url"] = _claim_add_url(
                self.admin_site,
                source=source,
                speaker=last and last["speaker_id"],
                question=last and last["question_id"],
            )
        return about


def _changelist_url(admin_site, **filters):
    return f"{reverse(f'{admin_site.name}:claims_claim_changelist')}?{urlencode(filters)}"


def _claim_add_url(admin_site, *, source, speaker=None, question=None):
    """The claim form with the source (and a speaker and question) filled in; saving it returns to
    the claim list filtered by the source (the admin's preserved filters)."""
    filled = {"source": source.pk, "speaker": speaker, "question": question}
    params = {name: value for name, value in filled.items() if value is not None}
    params["_changelist_filters"] = urlencode({"source": source.slug})
    return f"{reverse(f'{admin_site.name}:claims_claim_add')}?{urlencode(params)}"


# The Source page lists its claims, but `sources` must not import `claims` (claims depends on
# sources, never the reverse), so the claims app extends the Source admin here.
admin.site.unregister(Source)


@admin.register(Source)
class SourceWithClaimsAdmin(ClaimsInlineCurationAdmin, ClaimCountAdmin, SourceAdmin):
    claims_by = "source"
    inlines = [ClaimInline]
    list_display = [*SourceAdmin.list_display, "claim_count"]

    def get_inlines(self, request, obj):
        # A new source gets its claims once it is saved (ClaimInline adds none itself).
        return self.inlines if obj is not None else []


class ClaimLinkInline(VersionedInline, LoadedChoicesInline, admin.TabularInline):
    """The claim's links to others: a revision, a caveat, a derivation, a dispute."""

    model = ClaimLink
    fk_name = "claim"
    extra = 0
    autocomplete_fields = ["target"]
    fields = ["kind", "target"]
    verbose_name = "link to another claim"
    verbose_name_plural = "links to other claims (this claim corrects, qualifies … the other)"


@admin.register(Claim)
class ClaimAdmin(CurationAdmin, StatedNumbersAdmin, AutocompleteFiltersAdmin, InterchangeAdmin):
    resource_classes = [ClaimResource]
    list_display = [
        "ref",
        "figure",
        "question_title",
        "source_title",
        "speaker_name",
        "status",
        "quote_found",
        "checked_by",
    ]
    list_filter = [
        "status",
        QuestionFilter,
        SourceFilter,
        SpeakerFilter,
        "quote_found",
        ("checked_by", CheckedByFilter),
        "metals",
        "qualifier",
        "unit",
    ]
    # A ref is searched by its beginning (an index serves it on PostgreSQL: migration 0008); the
    # quote and paraphrase anywhere (trigram indexes).
    search_fields = ["ref__istartswith", "quote", "paraphrase"]
    autocomplete_fields = ["source", "question", "speaker", "cited_source", "about", "metals"]
    list_select_related = ["source", "question", "speaker", "checked_by"]
    readonly_fields = [
        "quote_check",
        "linked_from",
        "created",
        "created_by",
        "checked_at",
        "checked_by",
        "updated",
    ]
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
        (
            "Curation",
            {
                "fields": [
                    "status",
                    "note",
                    "linked_from",
                    ("created", "created_by"),
                    ("checked_at", "checked_by"),
                    "updated",
                ]
            },
        ),
    ]

    class Media:
        css = {"all": ["claims/admin.css"]}

    def get_urls(self):
        review = self.admin_site.admin_view(partial(review_view, self))
        return [
            path("from-text/<int:source_id>/", review, name="claims_claim_from_text"),
            *super().get_urls(),
        ]

    def get_queryset(self, request):
        # The changelist never needs a source's full text; the change page loads it for the quote
        # check through the object itself.
        return super().get_queryset(request).defer("source__text")

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        if "_addanother" in request.POST and IS_POPUP_VAR not in request.POST:
            # The next claim is most often in the same source, by the same speaker, on the same
            # question: the new form starts with this one's (Django would keep those the first
            # form was opened with).
            kept = {"source": obj.source_id, "speaker": obj.speaker_id, "question": obj.question_id}
            response["Location"] = _with_params(response["Location"], kept)
        return response

    def delete_queryset(self, request, queryset):
        # "Delete selected": each question's summary is recomputed once, not once per claim, in
        # the same transaction as the deletes.
        with transaction.atomic(), summaries_refreshed_once():
            super().delete_queryset(request, queryset)

    @admin.display(description="figure")
    def figure(self, claim):
        return claim.stated_figure()

    @admin.display(description="question", ordering="question__title")
    def question_title(self, claim):
        return shortened(claim.question.title, QUESTION_SHOWN) if claim.question_id else None

    @admin.display(description="source", ordering="source__title")
    def source_title(self, claim):
        return shortened(claim.source.title, SOURCE_SHOWN)

    @admin.display(description="speaker", ordering="speaker__name")
    def speaker_name(self, claim):
        return shortened(claim.speaker.name, SPEAKER_SHOWN) if claim.speaker_id else None

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


def _with_params(url, params):
    """`url` with `params` in its query in place of any it had (those that are None removed)."""
    parts = urlsplit(url)
    kept = [(key, value) for key, value in parse_qsl(parts.query) if key not in params]
    query = kept + [(key, value) for key, value in params.items() if value is not None]
    return urlunsplit(parts._replace(query=urlencode(query)))


# The work queue registers itself with the admin (a module of its own: curation, not listing).
from . import admin_curation  # noqa: E402, F401
