"""What the database knows, as the extraction's plain values (claims.extraction.Known): the
actors with their aliases, the sources, the questions with their subjects and metals, and the
metals with their members. Read by the `extract_claims` command and the review screen
(claims/admin_extraction.py); the extraction itself never touches the database."""

from django.db.models import Prefetch

from core.text import lines
from sources.models import Actor, Source

from .extraction import Known, KnownActor, KnownMetal, KnownQuestion, KnownSource
from .models import Metal, Question


def known_from_database() -> Known:
    """The actors, sources, questions and metals of the database as plain values.

    Six queries whatever the row counts: actors, sources, questions with their subjects and
    metals (two prefetches), metals with their members.
    """
    actors = tuple(
        KnownActor(slug, name, tuple(lines(aliases)), kind, parent or "", country)
        for slug, name, aliases, kind, parent, country in Actor.objects.values_list(
            "slug", "name", "aliases", "kind", "parent__slug", "country"
        )
    )
    sources = tuple(
        KnownSource(slug, title, publisher or "", published)
        for slug, title, publisher, published in Source.objects.values_list(
            "slug", "title", "publisher__slug", "published"
        )
    )
    questions = tuple(
        KnownQuestion(
            question.slug,
            question.title,
            question.kind,
            question.unit,
            tuple(actor.slug for actor in question.subjects.all()),
            tuple(metal.symbol for metal in question.metals.all()),
            question.description,
        )
        for question in Question.objects.only("slug", "title", "kind", "unit", "description")
        .order_by("slug")
        .prefetch_related(_only_slug("subjects", Actor), _only_symbol("metals"))
    )
    metals = tuple(
        KnownMetal(metal.symbol, metal.name, tuple(m.symbol for m in metal.members.all()))
        for metal in Metal.objects.only("symbol", "name").prefetch_related(_only_symbol("members"))
    )
    return Known(actors, sources, questions, metals)


def _only_slug(lookup, model):
    return Prefetch(lookup, queryset=model.objects.only("slug"))


def _only_symbol(lookup):
    return Prefetch(lookup, queryset=Metal.objects.only("symbol"))
