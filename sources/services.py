"""Writes that touch several models: merging two actors, or two sources, that are one record.

The references to a record are found through its model's `_meta.related_objects` (every foreign
key and many-to-many field pointing at it, whatever app declares it), since `sources` may not
import `claims`; the claims app learns of the bulk change through
`interchange.signals.records_imported`, as it learns of an import's.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.history import change_reason
from core.models import Versioned
from core.text import lines
from interchange.signals import records_imported

from .models import Actor, Source

# The records that get recorded twice under two names ("IEA", "International Energy Agency"), and
# that the aliases and the taking over of blank fields below are written for.
MERGEABLE = (Actor, Source)

# How many re-pointed records are read, versioned and given a history row per statement.
BATCH = 500

# How far up a parent chain is walked: as Actor.root, so a cycle made by hand cannot hang a merge.
CHAIN_LIMIT = 20


@dataclass(frozen=True)
class Use:
    """The records that refer to one record through one field: "claims (speaker): 12"."""

    label: str
    model: type
    count: int


@dataclass(frozen=True)
class Merge:
    """What a merge did: the record kept, the uses moved to it, what it took from the other."""

    kept: object
    removed: str
    uses: list
    taken: list


def record_uses(record):
    """Every field of another record that points at `record`, with how many records do.

    One count per relation: a foreign key counts its rows, a many-to-many field its links.
    """
    uses = []
    for relation in _relations(type(record)):
        count = _pointing(relation, record).count()
        if count:
            uses.append(Use(_label(relation), relation.related_model, count))
    return uses


def records_merge(*, keep, remove, user=None):
    """Merge `remove` into `keep` (two actors, or two sources) and delete `remove`.

    1. Refuse, changing nothing, a record merged with itself or with one of another kind, a
       record deleted or changed since the caller read it (the instances' `version`), and an
       actor merged into one of its own children (its children would be re-pointed to the child:
       a cycle).
    2. Re-point every reference to `remove` to `keep`: foreign keys in bulk, many-to-many links
       too, a link dropped where the record links to both already.
    3. Give each re-pointed record a new version and a history row saying it was merged.
    4. `keep` takes `remove`'s values where it has none, and an actor takes the other's name, slug
       and aliases as aliases; `remove` is deleted and `keep` saved, both in their history.
    5. Let derived data (question summaries) be recomputed: records_imported, as for an import.

    All in one transaction, both records locked first. Returns a Merge; raises ValidationError.
    """
    model = type(keep)
    if model not in MERGEABLE:
        raise ValidationError("Only actors and sources can be merged.", code="not_mergeable")
    if type(remove) is not model:
        raise ValidationError(
            f"A {model._meta.verbose_name} can only be merged with another "
            f"{model._meta.verbose_name}, not with a {type(remove)._meta.verbose_name}.",
            code="other_kind",
        )
    if keep.pk == remove.pk:
        raise ValidationError(
            f"“{keep}” cannot be merged with itself: choose two different "
            f"{model._meta.verbose_name_plural}.",
            code="same_record",
        )
    with transaction.atomic():
        return _merge(model, keep, remove, user)


def _merge(model, keep, remove, user):
    seen = {keep.pk: keep.version, remove.pk: remove.version}
    keep, remove = _locked(model, keep, remove, seen)
    if model is Actor and remove.pk in _ancestors(keep.parent_id):
        raise ValidationError(
            f"“{remove}” is above “{keep}” in its chain of parents: merged into it, it would "
            f"make “{keep}” its own parent. Keep “{remove}” instead, or change “{keep}”'s "
            "parent first.",
            code="parent_into_child",
        )
    noun = model._meta.verbose_name
    reason = f"merge of {noun} “{remove}” ({remove.slug}) into “{keep}” ({keep.slug})"
    removed = f"{remove} ({remove.slug})"
    with change_reason(reason, user=user):
        uses = _repoint(model, keep, remove, user, reason)
        taken = _take_over(model, keep, remove)
        remove.delete()
        keep.save()
    # The claims moved to a kept source are checked against its text (their quote-found flag).
    records_imported.send(sender=model, sources=[keep.pk] if model is Source else [])
    return Merge(kept=keep, removed=removed, uses=uses, taken=taken)


def _locked(model, keep, remove, seen):
    """Both records as stored, locked until the transaction ends, or a refusal if either was
    deleted or changed since the caller read it."""
    rows = {row.pk: row for row in model._default_manager.select_for_update().filter(pk__in=seen)}
    for record in (keep, remove):
        stored = rows.get(record.pk)
        if stored is None:
            raise ValidationError(
                f"“{record}” no longer exists: it was deleted or merged meanwhile.",
                code="gone",
            )
        if stored.version != seen[record.pk]:
            raise ValidationError(
                f"“{stored}” was changed by someone else since you opened this page: look at "
                "both again before merging. Nothing was changed.",
                code="stale",
            )
    return rows[keep.pk], rows[remove.pk]


def _ancestors(actor_id):
    """The ids up an actor's parent chain, starting at `actor_id` (the actor's parent)."""
    found = []
    while actor_id is not None and actor_id not in found and len(found) < CHAIN_LIMIT:
        found.append(actor_id)
        actor_id = Actor.objects.filter(pk=actor_id).values_list("parent_id", flat=True).first()
    return found


def _relations(model):
    # related_objects leaves out the hidden relations (related_name "+"): the history tables'
    # copies of the keys, which must keep pointing at the record as it was.
    return [r for r in model._meta.related_objects if r.related_model._meta.managed]


def _label(relation):
    return f"{relation.related_model._meta.verbose_name_plural} ({relation.field.verbose_name})"


def _pointing(relation, record):
    """The rows that point at `record` through `relation`: the referring records, for a foreign
    key; the link table's rows, for a many-to-many field."""
    field = relation.field
    if relation.many_to_many:
        through = field.remote_field.through
        return through._default_manager.filter(**{field.m2m_reverse_field_name(): record.pk})
    return relation.related_model._default_manager.filter(**{field.name: record})


def _repoint(model, keep, remove, user, reason):
    """Point every reference to `remove` at `keep`; then a version and a history row for each
    record re-pointed (once, however many of its fields pointed at `remove`)."""
    uses, changed = [], {}
    for relation in _relations(model):
        rows = _pointing(relation, remove)
        field = relation.field
        if relation.many_to_many:
            owner = field.remote_field.through._meta.get_field(field.m2m_field_name()).attname
            target = field.remote_field.through._meta.get_field(
                field.m2m_reverse_field_name()
            ).attname
            ids = list(rows.values_list(owner, flat=True))
            # A record linked to both keeps its one link to `keep`.
            also_kept = _pointing(relation, keep).values(owner)
            rows.filter(**{f"{owner}__in": also_kept}).delete()
            rows.update(**{target: keep.pk})
        else:
            ids = list(rows.values_list("pk", flat=True))
            rows.update(**{field.name: keep})
        if ids:
            uses.append(Use(_label(relation), relation.related_model, len(ids)))
            changed.setdefault(relation.related_model, set()).update(ids)
    now = timezone.now()
    for related, ids in changed.items():
        ordered = sorted(ids)
        for start in range(0, len(ordered), BATCH):
            _record_change(related, ordered[start : start + BATCH], user, reason, now)
    return uses


def _record_change(model, ids, user, reason, now):
    """A new version, `updated` time and history row for each of these records, in bulk.

    The history rows are those simple-history saves for a change, many-to-many links included
    (a revert to one brings back the links it had), written without a signal per record.
    """
    stamps = {f.attname: now for f in model._meta.concrete_fields if getattr(f, "auto_now", False)}
    if issubclass(model, Versioned):
        stamps["version"] = F("version") + 1
    if stamps:
        model._default_manager.filter(pk__in=ids).update(**stamps)
    manager_name = getattr(model._meta, "simple_history_manager_attribute", None)
    if manager_name is None:
        return
    history = getattr(model, manager_name)
    records = list(model._default_manager.filter(pk__in=ids))
    rows = history.bulk_history_create(
        records, update=True, default_user=user, default_change_reason=reason, default_date=now
    )
    row_of = {getattr(row, model._meta.pk.attname): row for row in rows}
    for field in history.model._history_m2m_fields:
        through = field.remote_field.through
        owner = through._meta.get_field(field.m2m_field_name()).attname
        link_history = getattr(history.model, field.name).model
        columns = [f.attname for f in through._meta.concrete_fields]
        links = through._default_manager.filter(**{f"{owner}__in": ids}).values(*columns)
        link_history._default_manager.bulk_create(
            [link_history(history=row_of[link[owner]], **link) for link in links],
            batch_size=BATCH,
        )


def _take_over(model, keep, remove):
    """Give `keep` the values `remove` has where `keep` has none; an actor's aliases gain the
    other's name, slug and aliases. Returns the names of the fields that changed."""
    taken = []
    for field in model._meta.concrete_fields:
        if field.primary_key or not field.editable or field.name == "aliases":
            continue
        mine, theirs = getattr(keep, field.attname), getattr(remove, field.attname)
        if mine in (None, "") and theirs not in (None, ""):
            if field.name == "parent" and keep.pk in _ancestors(theirs):
                continue  # the other's parent is `keep` or below it: a cycle
            setattr(keep, field.attname, theirs)
            taken.append(field.name)
    if model is Actor:
        aliases = _aliases_merged(keep, remove)
        if aliases != keep.aliases:
            keep.aliases = aliases
            taken.append("aliases")
    return taken


def _aliases_merged(keep, remove):
    aliases = lines(keep.aliases)
    known = {name.casefold() for name in (keep.name, keep.slug, *aliases)}
    for alias in (remove.name, remove.slug, *lines(remove.aliases)):
        if alias.casefold() not in known:
            known.add(alias.casefold())
            aliases.append(alias)
    return "\n".join(aliases)
