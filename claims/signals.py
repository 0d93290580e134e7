"""Keep QuestionSummary up to date whenever the records it is computed from change.

Records saved or deleted one at a time (the admin's forms, a revert) send post_save/post_delete.
Imports write in bulk without those and send interchange.signals.records_imported instead: the
admin's import with the model it wrote, interchange.services.data_import (the command line,
load_demo) with sender=None once all its files are in.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save
from django.dispatch import receiver

from interchange.models import ImportRecord
from interchange.signals import records_imported
from sources.models import Actor, Source

from . import models, summaries
from .models import Claim, ClaimLink, Question
from .services import claims_quotes_refresh


@receiver(pre_save, sender=Claim)
def _remember_question(sender, instance, raw=False, **kwargs):
    # A claim moved to another question changes the summaries of both.
    instance._question_before = None
    if instance.pk and not raw:
        instance._question_before = (
            Claim.objects.filter(pk=instance.pk).values_list("question_id", flat=True).first()
        )


@receiver(post_save, sender=Claim)
def _claim_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        summaries.request_refresh(
            {instance.question_id, getattr(instance, "_question_before", None)}
        )


@receiver(post_delete, sender=Claim)
def _claim_deleted(sender, instance, **kwargs):
    summaries.request_refresh({instance.question_id})


@receiver(post_save, sender=ClaimLink)
@receiver(post_delete, sender=ClaimLink)
def _link_changed(sender, instance, raw=False, **kwargs):
    # A `corrects` link can supersede a claim: both ends' questions may change verdict.
    if not raw:
        questions = Claim.objects.filter(pk__in=[instance.claim_id, instance.target_id])
        summaries.request_refresh(set(questions.values_list("question_id", flat=True)))


@receiver(post_save, sender=Question)
def _question_saved(sender, instance, raw=False, **kwargs):
    # Kind, unit, tolerance, bounds and drift decide the verdict.
    if not raw:
        summaries.request_refresh({instance.pk})


@receiver(pre_save, sender=Actor)
@receiver(pre_save, sender=Source)
def _remember_keys(sender, instance, raw=False, **kwargs):
    instance._keys_before = None
    if instance.pk and not raw:
        instance._keys_before = (
            sender.objects.filter(pk=instance.pk).values_list(*_KEYS[sender]).first()
        )


@receiver(post_save, sender=Actor)
@receiver(post_save, sender=Source)
def _keys_saved(sender, instance, raw=False, created=False, **kwargs):
    # A claim's origin is its speaker's or a source's publisher's top-level actor, or a source, by
    # slug: a new slug, parent or publisher can merge or split origins on any question. Rare, so
    # every summary is recomputed.
    before = getattr(instance, "_keys_before", None)
    after = tuple(getattr(instance, name) for name in _KEYS[sender])
    if not raw and not created and before is not None and before != after:
        summaries.request_refresh()


# A source's publication date is the year of the claims that have none of their own.
_KEYS = {Actor: ("slug", "parent_id"), Source: ("slug", "publisher_id", "published")}


@receiver(pre_save, sender=Source)
def _remember_text(sender, instance, raw=False, **kwargs):
    instance._text_before = None
    if instance.pk and not raw:
        instance._text_before = (
            Source.objects.filter(pk=instance.pk).values_list("text", flat=True).first()
        )


@receiver(post_save, sender=Source)
def _text_saved(sender, instance, raw=False, created=False, **kwargs):
    # Each claim stores whether its quote is in its source's text (Claim.quote_found).
    if not raw and not created and getattr(instance, "_text_before", None) != instance.text:
        claims_quotes_refresh(sources=[instance.pk])


@receiver(post_migrate)
def _migrated(sender, plan=None, **kwargs):
    # A migration that changes how claims are compared says so (`refreshes_summaries`): every
    # summary is then recomputed once all migrations are in, with the models as they now are,
    # which a data migration (frozen to the schema of its day) could not use.
    if sender.label == "claims" and any(
        getattr(migration, "refreshes_summaries", False) and not backwards
        for migration, backwards in plan or ()
    ):
        summaries.request_refresh()


@receiver(records_imported)
def _records_imported(sender, sources=None, batch=None, **kwargs):
    # Any imported actor, source, question or claim may move a verdict: all are recomputed, in
    # the import's transaction. (Metals play no part in a comparison.) sender is None for a whole
    # interchange import (data_import) or its undo (batch_undo), whatever models it wrote:
    # recomputed too.
    if sender is not models.Metal:
        summaries.request_refresh()
    texts_changed, claims_put_back = _quotes_to_refresh(sources=sources, batch=batch)
    claims_quotes_refresh(sources=texts_changed, claims=claims_put_back)


def _quotes_to_refresh(*, sources=None, batch=None):
    """(ids of sources whose text the write may have changed, ids of claims whose quote or
    source it may have put back without their flag) for a records_imported.

    Each sender says what it wrote (interchange.signals): the sources a merge gave claims to
    (`sources`), or the import it wrote or undid (`batch`, an ImportBatch, whose ImportRecords
    name every record and history row).

    An import sets its own claims' flags as it writes them (ClaimResource.before_write, once per
    batch of rows); a new source has no claims yet. An undo puts back the quotes (and sources) of
    claims with the flags they had then, and texts of sources: both are recomputed against the
    texts as they are now.
    """
    if sources is not None:
        return list(sources), []
    if batch is None:
        return [], []
    records = ImportRecord.objects.filter(batch=batch).order_by()
    of_sources = records.filter(content_type=ContentType.objects.get_for_model(Source))
    if batch.undone is None:
        return _texts_changed(of_sources.filter(action="~").values("history_id")), []
    # The undo's own history rows are not the batch's: every source and claim it put back.
    restored = of_sources.exclude(action="+").values_list("object_id", flat=True).distinct()
    of_claims = records.filter(content_type=ContentType.objects.get_for_model(Claim))
    put_back = of_claims.exclude(action="+").values_list("object_id", flat=True).distinct()
    return list(restored), list(put_back)


def _texts_changed(history_ids):
    """The ids of the sources of these history rows (a subquery of `history_id`s) whose text
    differs from the row before: one query, comparing the texts in the database."""
    history = Source.history.model.objects
    before = (
        history.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
        .order_by("-history_id")
        .values("text")[:1]
    )
    rows = (
        history.filter(history_id__in=history_ids, history_type="~")
        .annotate(text_before=Subquery(before))
        .filter(Q(text_before=None) | ~Q(text=F("text_before")))
    )
    return list(rows.order_by().values_list("id", flat=True).distinct())
