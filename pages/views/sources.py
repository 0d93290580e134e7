"""The list of sources, a source's page (its claims by question, each against what the other
sources say) and its reading view (its text with its claims' quotes). Here rather than in the
sources app because they show claims."""

from collections import defaultdict
from typing import NamedTuple

from django.shortcuts import get_object_or_404

from claims import comparison, summaries
from claims.comparison import Relation
from claims.models import FIGURE_FIELDS, Claim, ClaimFigure, Question
from core.links import page_url
from core.text import SpacedText
from sources.models import Source

from .. import display, pagination, reading, respond, rows, serialisers
from ..forms import SourceFilters

SOURCE_CLAIMS_PER_PAGE = 50  # a source page is read whole: most sources make fewer claims
SHOWN_OTHERS = 4  # claims named beside each of a source's claims
CITED_BY_SHOWN = 50  # claims elsewhere citing a source, on its page


def source_list(request):
    """Queries: 1. count, 2. the page of sources with publishers and public claim counts."""
    filters = SourceFilters(request.GET)
    values = filters.values()
    sources = (
        Source.objects.with_related()
        .filter_public(kind=values["kind"], year=values["year"], publisher=values["actor"])
        .annotate(claim_count=Claim.objects.public().counted_per("source"))
        .latest()
    )
    return respond.respond(
        request,
        template="claims/source_list.html",
        context=lambda: {"page": pagination.page(request, sources), "filters": filters},
        name="sources",
        columns=serialisers.SOURCE_COLUMNS,
        records=lambda: [serialisers.source_record(request, source) for source in sources],
        key="sources",
    )


def source_detail(request, slug):
    """The source's metadata and its claims by question, each against what other sources say.

    Each claim is judged against every public claim on its question (placed once and kept in
    QuestionSummary.placements, however many there are); the page names the first few it
    conflicts with, is close to or agrees with, and links to the question for the rest.

    Its claims come SOURCE_CLAIMS_PER_PAGE at a time, a question's together; the CSV and JSON have
    them all.

    Queries: 1. the source and publisher, 2. the ids of the page of its public claims, 3. those
    claims with question, speaker and cited source, 4-7. their links each way, with the claims at
    the other ends, 8. the placed claims of their questions, 9-10. the other claims named beside
    them (and those that supersede them) and the actors of their origins, 11. the first claims
    elsewhere that cite this source. The
    CSV and JSON read every claim as plain values: 2-3. their links to and from public claims
    and their corrections, 4-5. every claim's figure and exported columns, and the actors of its
    origin, 6. their questions, 7. the placed claims of those questions.
    """
    source = get_object_or_404(Source.objects.with_related(), slug=slug)
    own = Claim.objects.listed_on(source=source)

    def context():
        page = pagination.page(
            request, own, related=_shown_on_source_page, per_page=SOURCE_CLAIMS_PER_PAGE
        )
        shown = list(page)
        groups = _source_groups(source, shown, summaries.placements(shown))
        _name_others(groups)
        # Each claim written in Python (pages.rows), as the question page's rows are.
        for group in groups:
            for row in group["rows"]:
                row["html"] = rows.source_row(row, group)
        # What each line shows: the claim's source's title, its question, its figure or quote.
        cited_by = list(
            Claim.objects.public()
            .filter(cited_source=source)
            .select_related("source", "question")
            .only(
                "ref",
                "quote",
                *FIGURE_FIELDS,
                "source__slug",
                "source__title",
                "question__slug",
                "question__title",
            )
            .order_by("source__published", "ref")[: CITED_BY_SHOWN + 1]
        )
        return {
            "source": source,
            "groups": groups,
            "page": page,
            "cited_by": cited_by[:CITED_BY_SHOWN],
            "more_cited_by": len(cited_by) > CITED_BY_SHOWN,
        }

    def records():
        # Every claim as plain values (no model instances), as the question's CSV and JSON read
        # theirs, with the questions they are judged on.
        links = own.public_link_refs()
        every = list(own.figures(corrections=links.corrections, **serialisers.VALUE_LOOKUPS))
        questions = Question.objects.in_bulk({c.question_id for c in every if c.question_id})
        filed = [
            _Filed(c.figure.ref, c.question_id, questions.get(c.question_id), c) for c in every
        ]
        found = []
        for group in _source_groups(source, filed, summaries.placements(filed)):
            for row in group["rows"]:
                if row["standing"]:
                    values = serialisers.ClaimValues.of_figure(
                        row["claim"].figure, links, question=group["question"]
                    )
                    found.append(
                        serialisers.compared_values_record(request, values, group["outcome"])
                    )
                else:
                    values = serialisers.ClaimValues.of_figure(row["claim"].figure, links)
                    found.append(serialisers.claim_values_record(request, values))
        return found

    return respond.respond(
        request,
        template="claims/source_detail.html",
        context=context,
        name=f"source-{source.slug}",
        columns=serialisers.COMPARED_CLAIM_COLUMNS,
        records=records,
        key="claims",
    )


class _Filed(NamedTuple):
    """A claim of the source's CSV and JSON as _source_groups reads it: a ClaimFigure
    (ClaimQuerySet.figures) with its Question."""

    ref: str
    question_id: int | None
    question: Question | None
    figure: ClaimFigure


def _source_groups(source, own, placements):
    """The source's claims grouped by question, each with its standing against all the others.

    `placements`: question id -> its summaries.Placements. A group's badge is
    the question's verdict; a claim's badge its own standing.
    """
    by_question = defaultdict(list)
    for claim in own:
        by_question[claim.question_id].append(claim)
    own_refs = {claim.ref for claim in own}
    groups = []
    for question_id, claims in by_question.items():
        question = claims[0].question
        outcome = None
        if question is not None:
            outcome = compared_with_all(
                question, placements.get(question_id), [claim.ref for claim in claims]
            )
        series = outcome is not None and display.answer_series(question.kind, outcome.series)
        group_rows = []
        for claim in claims:
            row = {"claim": claim}
            # None only for a claim withdrawn while the page was being read: shown without one.
            standing = outcome.standings.get(claim.ref) if outcome else None
            row["standing"] = standing
            if standing:
                row["badge"] = display.badge(standing.relation, series=series)
                row["normalised"] = display.interval_text(standing.interval, outcome.unit)
                # Conflicts first: they are what a reader of this source needs to know. A claim
                # of its own origin that agrees only repeats it.
                echoes = set(standing.echoes)
                related = [
                    (
                        ref,
                        display.ECHO if relation == Relation.AGREE and ref in echoes else relation,
                    )
                    for relation, refs in (
                        (Relation.CONFLICT, standing.conflicts_with),
                        (Relation.CLOSE, standing.close_to),
                        (Relation.AGREE, standing.agrees_with),
                    )
                    for ref in refs
                    if ref not in own_refs
                ]
                row["related"] = related[:SHOWN_OTHERS]
                row["more_others"] = len(related) - len(row["related"])
                row["others"] = []
                row["correctors"] = list(standing.superseded_by)
            group_rows.append(row)
        groups.append(
            {
                "question": question,
                "outcome": outcome,
                "badge": display.badge(outcome.verdict, series=series) if outcome else None,
                "rows": group_rows,
            }
        )
    # Disagreements first, then by title; claims not yet filed under a question last.
    groups.sort(
        key=lambda group: (
            group["question"] is None,
            comparison.VERDICT_ORDER[group["outcome"].verdict] if group["outcome"] else 0,
            group["question"].title if group["question"] else "",
        )
    )
    return groups


def compared_with_all(question, stored, focus):
    """How the claims `focus` (refs) stand against every public claim on the question, as its
    stored summary has them (`stored`, a summaries.Placements, or None when it has none): the
    source and claim pages' comparison, under the stored verdict. Without the consensus: those
    pages show standings, and the question's page the consensus. None without a stored summary:
    a page view shows no verdict rather than compute one."""
    if stored is None:
        return None
    return comparison.compare_placed(
        stored.placed,
        kind=question.kind,
        unit=question.unit,
        tolerance=question.tolerance,
        drift=question.drift,
        bounds=question.bounds,
        focus=focus,
        with_details=False,
        verdict=stored.verdict,
    )


class _Named(NamedTuple):
    """A claim named beside one of the source's: what its link and badge read."""

    ref: str
    status: str

    def get_absolute_url(self):
        return page_url("claim_detail", self.ref)


def _name_others(groups):
    """Fill each row's `others` with (badge, label, claim) of the claims it names, and its
    `correctors` with (label, claim) of those that supersede it (_Named each).

    Read as plain values, as the question page names its claims (ClaimQuerySet.figures, without
    the corrections it needs not: two queries, none when nothing is named): up to a few dozen
    claims as model instances with their origins' chains of actors took twice as long."""
    refs = {ref for group in groups for row in group["rows"] for ref, _ in row.get("related", ())}
    refs.update(
        ref for group in groups for row in group["rows"] for ref in row.get("correctors", ())
    )
    # public(): a summary written before a claim was withdrawn around the signals (SQL) may still
    # hold it; a withdrawn claim is never named.
    found = Claim.objects.public().filter(ref__in=refs).figures(corrections={}, status="status")
    claims = {claim.figure.ref: claim for claim in found}
    labels = display.Labels(claims)
    named = {ref: _Named(ref, claim.extra.status) for ref, claim in claims.items()}
    for group in groups:
        for row in group["rows"]:
            row["others"] = [
                (display.relation_badge(relation), labels[ref], named[ref])
                for ref, relation in row.get("related", ())
                if ref in named
            ]
            row["correctors"] = [
                (labels[ref], named[ref]) for ref in row.get("correctors", ()) if ref in named
            ]


# A claim's question whole: its comparison reads the kind, unit, tolerance, drift and bounds.
_QUESTION_COLUMNS = tuple(f"question__{field.name}" for field in Question._meta.concrete_fields)


def _shown_on_source_page(claims):
    # Its own source is the page's; it names the speaker and the cited source, not the subjects
    # nor each claim's origin, and its links: only the columns the page shows.
    return claims.select_related("question").for_rows(*_QUESTION_COLUMNS).with_links()


def source_text(request, slug):
    """The source's stored text, each public claim's quote highlighted where it is (its anchor,
    located by the quote and the context stored with it: core.text.SpacedText.anchor), with links
    to the claim and its question; the claims whose quote is not in the text are listed apart.
    The CSV and JSON give each claim's anchor as offsets into the text (the JSON the text too).

    Queries: 1. the source and publisher, 2. its public claims with their questions.
    """
    source = get_object_or_404(Source.objects.with_related(), slug=slug)
    claims = list(
        Claim.objects.public()
        .filter(source=source)
        .select_related("question")
        .only(
            "ref",
            "source",  # read by Claim.from_db
            "quote",
            *FIGURE_FIELDS,
            "quote_found",
            "quote_prefix",
            "quote_suffix",
            "question__slug",
            "question__title",
        )
        .order_by("ref")
    )
    spaced = SpacedText(source.text) if source.text else None
    # Only a quote the stored flag finds is looked for: the flag is kept exact (Claim.quote_found).
    anchors = {
        claim.ref: spaced.anchor(claim.quote, claim.quote_prefix, claim.quote_suffix)
        if spaced is not None and claim.quote_found
        else None
        for claim in claims
    }

    def context():
        by_ref = {claim.ref: claim for claim in claims}
        spans = [(a.start, a.end, ref) for ref, a in anchors.items() if a is not None]
        shown = [
            {"html": p["html"], "claims": [by_ref[key] for key in p["keys"]]}
            for p in reading.paragraphs(source.text, spans)
        ]
        return {
            "source": source,
            "paragraphs": shown,
            "not_found": [claim for claim in claims if anchors[claim.ref] is None],
        }

    def records():
        return [
            {
                "ref": claim.ref,
                "start": anchor.start if anchor else None,
                "end": anchor.end if anchor else None,
                "found": anchor is not None if spaced is not None else None,
            }
            for claim in claims
            for anchor in [anchors[claim.ref]]
        ]

    return respond.respond(
        request,
        template="claims/source_text.html",
        context=context,
        name=f"source-{source.slug}-text",
        columns=SOURCE_TEXT_COLUMNS,
        records=records,
        document=lambda rows: {"source": source.slug, "text": source.text, "anchors": rows},
    )


#: The columns of a source text's CSV: each public claim's anchor in the text.
SOURCE_TEXT_COLUMNS = ["ref", "start", "end", "found"]
