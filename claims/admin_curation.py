"""The curators' checks and work queue: who created and checked a claim, the "to check" list and
its bulk actions (mark checked, file under a question, set a status).

The writes are claims.services' (each claim saved with a history row naming the curator); this
module asks for what they need (a question, a status, a confirmation) on an intermediate page, as
the admin's own "delete selected" does. (claims/admin.py imports this module first thing: it
must not import claims.admin.)
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from core.admin import shortened
from core.paginators import CappedCountPaginator

from .forms import (
    CONFIRM,
    ClaimForm,
    QuestionChoiceForm,
    QuoteMissingForm,
    StatusChoiceForm,
    ask_to_confirm,
)
from .models import Claim, ClaimToCheck
from .services import QUOTE_MISSING_REASON, QuoteNotFound, claims_file, claims_status_set

# How many of the selected claims an action's page lists by ref (the rest are counted).
LISTED = 50


@admin.action(permissions=["change"], description="Mark the selected claims checked")
def mark_checked(modeladmin, request, queryset):
    form = QuoteMissingForm(_posted(request))
    try:
        refs = claims_status_set(
            claims=queryset,
            status=Claim.Status.CHECKED,
            user=request.user,
            quote_missing_confirmed=form.is_valid() and form.cleaned_data[CONFIRM],
        )
    except QuoteNotFound as refusal:
        ask_to_confirm(form)
        return _action_page(modeladmin, request, queryset, mark_checked, form, refusal)
    except ValidationError as refusal:
        for message in refusal.messages:
            modeladmin.message_user(request, message, messages.ERROR)
        return None
    _done(modeladmin, request, refs, "marked checked")
    return None


@admin.action(permissions=["change"], description="File the selected claims under a question …")
def file_under_question(modeladmin, request, queryset):
    form = QuestionChoiceForm(_posted(request), admin_site=modeladmin.admin_site)
    if not form.is_valid():
        return _action_page(modeladmin, request, queryset, file_under_question, form)
    question = form.cleaned_data["question"]
    try:
        refs = claims_file(claims=queryset, question=question, user=request.user)
    except ValidationError as refusal:
        return _action_page(modeladmin, request, queryset, file_under_question, form, refusal)
    _done(modeladmin, request, refs, f"filed under “{question}”")
    return None


@admin.action(permissions=["change"], description="Set the status of the selected claims …")
def set_status(modeladmin, request, queryset):
    form = StatusChoiceForm(_posted(request))
    if not form.is_valid():
        return _action_page(modeladmin, request, queryset, set_status, form)
    status = form.cleaned_data["status"]
    try:
        refs = claims_status_set(
            claims=queryset,
            status=status,
            user=request.user,
            quote_missing_confirmed=form.cleaned_data[CONFIRM],
        )
    except ValidationError as refusal:
        if isinstance(refusal, QuoteNotFound):
            ask_to_confirm(form)
        return _action_page(modeladmin, request, queryset, set_status, form, refusal)
    _done(modeladmin, request, refs, f"set to {status}")
    return None


def _posted(request):
    """The action page's answers, once it has been submitted (None: show it first)."""
    return request.POST if "apply" in request.POST else None


def _action_page(modeladmin, request, queryset, action, form, refusal=None):
    """The page asking what the `action` needs (or a confirmation, or saying why it was
    refused), posting back to the changelist with the same selection, as "delete selected" does."""
    selected = list(queryset.order_by("pk").values_list("ref", flat=True)[: LISTED + 1])
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": action.short_description.rstrip(" …"),
        "opts": modeladmin.model._meta,
        "action": action.__name__,
        "form": form,
        "media": modeladmin.media + form.media,
        "refusal": refusal.messages if refusal is not None else [],
        "refs": selected[:LISTED],
        "more": len(selected) > LISTED,
        "selected_ids": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        "select_across": request.POST.get("select_across", "0"),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/curation/action.html", context)


def _done(modeladmin, request, refs, what):
    if not refs:
        modeladmin.message_user(request, "Nothing changed: the selected claims were so already.")
        return
    count = len(refs)
    modeladmin.message_user(
        request,
        f"{count} claim{'s' if count != 1 else ''} {what}.",
        messages.SUCCESS,
    )


class CurationAdmin:
    """What ClaimAdmin adds for curation: the form's checks and the records of who did what.

    A mixin placed first in ClaimAdmin's bases: every method calls super(), so that RecordAdmin's
    version check and history, and the other mixins, run as well.
    """

    form = ClaimForm
    actions = [mark_checked, file_under_question, set_status]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # A subclass per request, so that the form knows who saves it (the second-checker rule).
        return type(form.__name__, (form,), {"curator": request.user})

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        may_edit = (
            self.has_change_permission(request, obj)
            if obj is not None
            else self.has_add_permission(request)
        )
        if not may_edit:
            return fieldsets
        # The confirmation goes right below the status, on a line of its own: the line is hidden
        # until the form asks for it (ClaimForm.clean).
        return [
            (title, {**options, "fields": _after_status(options["fields"])})
            for title, options in fieldsets
        ]

    def save_model(self, request, obj, form, change):
        _record_curation(obj, form, request.user, adding=not change)
        super().save_model(request, obj, form, change)


def _record_curation(claim, form, user, *, adding):
    """Who created the claim (a new one), who checked it and when (a status just set to checked),
    and, in its history, a check confirmed although its quote is not found."""
    if adding:
        claim.created_by = user
    claim.note_status_change(None if adding else form.initial.get("status"), by=user)
    if getattr(form, "quote_missing_confirmed", False):
        claim._change_reason = QUOTE_MISSING_REASON


class CuratedClaimInline:
    """For an inline of claims (the source page's): ClaimForm's checks, knowing the curator, and
    its confirmation right after the status (hidden until the form asks for it)."""

    form = ClaimForm

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        # A reader's rows are read-only: nothing to confirm.
        return _after_status(fields) if self.has_change_permission(request, obj) else fields

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # The factory makes a new class on every call: setting its form changes no other.
        formset.form = type(formset.form.__name__, (formset.form,), {"curator": request.user})
        return formset


class ClaimsInlineCurationAdmin:
    """For the admin of a page with claims inline (the source's): who created and who checked
    each claim saved there, as CurationAdmin.save_model records them on the claim's own page."""

    def save_formset(self, request, form, formset, change):
        if formset.model is Claim:
            deleted = set(map(id, getattr(formset, "deleted_forms", [])))
            for claim_form in formset.forms:
                if id(claim_form) in deleted or not claim_form.has_changed():
                    continue
                claim = claim_form.instance
                _record_curation(claim, claim_form, request.user, adding=claim._state.adding)
        super().save_formset(request, form, formset, change)


def _after_status(fields):
    lines = list(fields)
    for index, line in enumerate(lines):
        if line == "status" or (isinstance(line, list | tuple) and "status" in line):
            lines.insert(index + 1, CONFIRM)
            break
    return lines


@admin.register(ClaimToCheck)
class ClaimToCheckAdmin(admin.ModelAdmin):
    """The "to check" queue: the drafts, oldest first, each linked to its claim's page, with the
    bulk actions. A view of the claims: who may view or change claims may view or work it."""

    list_display = [
        "claim",
        "figure",
        "question_title",
        "source_title",
        "quote_found",
        "created",
        "created_by",
    ]
    list_display_links = None
    list_filter = ["quote_found", ("question", admin.EmptyFieldListFilter)]
    search_fields = ["ref__istartswith", "quote", "paraphrase"]
    list_select_related = ["source", "question", "created_by"]
    ordering = ["created", "pk"]
    show_full_result_count = False
    paginator = CappedCountPaginator
    list_per_page = 50
    actions = [mark_checked, file_under_question, set_status]

    def get_queryset(self, request):
        drafts = super().get_queryset(request).filter(status=Claim.Status.DRAFT)
        return drafts.defer("source__text")

    # The queue is a list of claims: the claims' permissions are its own (the proxy's would be
    # granted to no role), and claims are added and deleted on their own pages.
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("claims.view_claim") or self.has_change_permission(request)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("claims.change_claim")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The queue's rows link to the claims' own pages; an old link to the queue's goes there.
        return redirect("admin:claims_claim_change", object_id)

    @admin.display(description="ref", ordering="ref")
    def claim(self, claim):
        url = reverse("admin:claims_claim_change", args=[claim.pk])
        return format_html('<a href="{}">{}</a>', url, claim.ref)

    @admin.display(description="figure as stated")
    def figure(self, claim):
        return claim.stated_figure()

    @admin.display(description="question", ordering="question__title")
    def question_title(self, claim):
        return shortened(claim.question.title, 40) if claim.question_id else None

    @admin.display(description="source", ordering="source__title")
    def source_title(self, claim):
        return shortened(claim.source.title, 40)

    # quote_found is shown as the admin's yes/no/unknown icon.
