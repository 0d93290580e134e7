"""Writes of several claims at once: the curators' bulk actions, and the stored quote-found flags.

Each curation function saves the claims one by one (a history row each, with the acting curator
and the action as its reason, the version bumped, as a form's save would), inside one transaction
that first locks the rows, and refuses the whole selection, changing nothing, when one claim
cannot take the change. The question summaries they touch are recomputed once, at the end.
"""

import itertools

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.history import change_reason
from core.text import SpacedText
from interchange.problems import clause
from sources.models import Source

from .models import QUOTE_FIELDS, Claim, quote_fields
from .summaries import summaries_refreshed_once

# The history's reason for a claim checked although its quote is not in its source's text.
QUOTE_MISSING_REASON = "marked checked although its quote is not in the source's stored text"

# Refs named in a refusal, at most: the rest are counted.
REFS_SHOWN = 10


class QuoteNotFound(ValidationError):
    """Claims to be marked checked whose quote is not in their source's stored text: the curator
    must confirm (the text may be an excerpt, or not the document's). `refs` names them."""

    def __init__(self, refs):
        self.refs = refs
        super().__init__(
            f"The quote of {_named(refs)} is not in its source's stored text: check "
            f"{'it' if len(refs) == 1 else 'them'} against the document, then confirm."
        )


@transaction.atomic
def claims_status_set(*, claims, status, user, quote_missing_confirmed=False):
    """Give `claims` (a queryset) the `status`, as `user`; returns the refs of the claims changed.

    Setting them checked records who checked them and when (Claim.note_status_change), refuses a
    claim of the user's own when the team requires a second checker, and raises QuoteNotFound,
    changing nothing, for claims whose quote is not found, unless `quote_missing_confirmed`.
    Claims that have the status already are left as they are.
    """
    if status not in Claim.Status.values:
        raise ValidationError(f"Unknown status {status!r}.")
    rows = [claim for claim in _locked(claims) if claim.status != status]
    checking = status == Claim.Status.CHECKED
    if checking:
        own = [claim.ref for claim in rows if claim.checker_problem(user)]
        if own:
            raise ValidationError(
                f"Nothing was marked checked: you recorded {_named(own)}, and the team requires "
                f"a second checker (another curator must check {'it' if len(own) == 1 else 'them'})."
            )
        missing = [claim.ref for claim in rows if claim.quote_found is False]
        if missing and not quote_missing_confirmed:
            raise QuoteNotFound(missing)
    now = timezone.now()
    reason = f"status set to {status} (bulk action in the admin)"
    with change_reason(reason, user=user), summaries_refreshed_once():
        for claim in rows:
            before, claim.status = claim.status, status
            claim.note_status_change(before, by=user, now=now)
            if checking and claim.quote_found is False:
                claim._change_reason = f"{reason}: {QUOTE_MISSING_REASON}"
            claim.save()
    return [claim.ref for claim in rows]


@transaction.atomic
def claims_file(*, claims, question, user):
    """File `claims` (a queryset) under `question`, as `user`; returns the refs of the claims
    changed. A claim without a unit takes the question's; a claim whose figure cannot stand on
    the question (another dimension, outside its bounds: Question.figure_problems) is refused
    with the reason, and then none is filed."""
    rows = [claim for claim in _locked(claims) if claim.question_id != question.pk]
    problems = []
    for claim in rows:
        claim.question = question
        found = claim.problems_on(question)
        problems.extend(f"{claim.ref}: {clause(message)}" for message in found.values())
    if problems:
        raise ValidationError(
            [f"Nothing was filed under “{question}”: {_summed(problems, sep='; ')}."]
        )
    reason = f"filed under {question.slug} (bulk action in the admin)"
    with change_reason(reason, user=user), summaries_refreshed_once():
        for claim in rows:
            claim.save()
    return [claim.ref for claim in rows]


def claims_quotes_refresh(*, sources=(), claims=()):
    """Recompute the stored quote-found flag of every claim of `sources` (ids of sources whose
    texts changed) and of the `claims` (ids of claims whose quote or source changed without it,
    as an import's undo puts them back). Per QUOTES_CHUNK sources or claims, however many
    claims they hold: one query for the claims, one for their sources' texts, and one bulk
    update of the claims whose flag or anchor (Claim.quote_prefix/suffix) changes.

    Not a change of the claims (no history row, no new version): the flag is derived from the
    quote and the text, each of which has its own history, so a curator editing one of these
    claims is not told someone changed it.
    """
    for chunk in _chunks(sources):
        _flags_refresh(Claim.objects.filter(source_id__in=chunk))
    for chunk in _chunks(claims):
        _flags_refresh(Claim.objects.filter(pk__in=chunk))


# Sources (or claims) whose flags are recomputed together: the texts of a chunk's sources are
# held in memory at once (a text is at most core.text.LONG_TEXT_MAX characters).
QUOTES_CHUNK = 100


def _chunks(ids):
    ids = iter(ids)
    while chunk := list(itertools.islice(ids, QUOTES_CHUNK)):
        yield chunk


def _flags_refresh(claims):
    rows = list(claims.order_by().only("pk", "source_id", "quote", *QUOTE_FIELDS))
    if not rows:
        return
    texts = Source.objects.filter(pk__in={row.source_id for row in rows}).order_by()
    spaced = {pk: SpacedText(text) for pk, text in texts.values_list("pk", "text") if text}
    changed = []  # the claims whose stored flag or anchor is another now
    for claim in rows:
        now = quote_fields(claim, spaced.get(claim.source_id))
        if any(getattr(claim, name) != value for name, value in now.items()):
            for name, value in now.items():
                setattr(claim, name, value)
            changed.append(claim)
    # bulk_update, not save: derived fields, no history row nor version (see above).
    Claim.objects.bulk_update(changed, QUOTE_FIELDS, batch_size=QUOTES_CHUNK)


def _locked(claims):
    """The claims of the queryset, locked until the transaction ends (so that no one saves one
    in between: the save writes every field), with their sources but not their texts (Claim.save
    reads a text only when the quote or the source changes), in a fixed order."""
    return list(
        Claim.objects.filter(pk__in=claims.values("pk"))
        .select_related("source")
        .defer("source__text")  # a long text each, which the actions never read
        .select_for_update(of=("self",))
        .order_by("pk")
    )


def _named(refs):
    shown = ", ".join(refs[:REFS_SHOWN])
    more = len(refs) - REFS_SHOWN
    return f"{shown} and {more} more" if more > 0 else shown


def _summed(messages, sep=" "):
    """At most REFS_SHOWN of the messages, and how many more there are."""
    more = len(messages) - REFS_SHOWN
    text = sep.join(messages[:REFS_SHOWN])
    return f"{text}{sep}and {more} more" if more > 0 else text


# The history's reason for a claim made on the review screen (claims/admin_extraction.py).
FROM_TEXT_REASON = "created from the source's text (review screen)"


@transaction.atomic
def claims_from_text(*, source, claims, user):
    """Save `claims` (unsaved Claims of `source`, already validated, perhaps filed under new
    unsaved Questions) as drafts created by `user`, in one transaction; returns their refs.

    Each gets the ref `<source slug>-<n>`, n the next free numbers after the highest such ref
    (the source's row is locked first, so two curators at once never take the same numbers).
    New questions are saved first, once each. Summaries are recomputed once, at the end.
    """
    Source.objects.select_for_update().filter(pk=source.pk).values_list("pk").first()
    taken = Claim.objects.filter(ref__startswith=f"{source.slug}-").values_list("ref", flat=True)
    numbers = [int(ref.rpartition("-")[2]) for ref in taken if ref.rpartition("-")[2].isdigit()]
    next_number = max(numbers, default=0) + 1
    with change_reason(FROM_TEXT_REASON, user=user), summaries_refreshed_once():
        for claim in claims:
            if claim.question is not None and claim.question.pk is None:
                claim.question.save()
            claim.question = claim.question  # the saved question's id onto the claim
            claim.source = source
            claim.status = Claim.Status.DRAFT
            claim.created_by = user
            suffix = f"-{next_number}"
            claim.ref = (
                source.slug[: Claim._meta.get_field("ref").max_length - len(suffix)] + suffix
            )
            next_number += 1
            claim.save()
    return [claim.ref for claim in claims]
