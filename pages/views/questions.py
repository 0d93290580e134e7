"""The home page and the question pages: the questions, most contested first, and each
question's claims side by side, grouped by origin, with the chart and the verdict."""

from dataclasses import dataclass, field
from functools import cache

from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404

from claims import comparison, summaries
from claims.comparison import Standing, Verdict
from claims.models import Claim, Question
from sources.models import Source

from .. import charts, display, pagination, respond, rows, serialisers
from ..forms import ClaimFilters, QuestionFilters, SearchForm

LATEST_SOURCES = 8
SHOWN_CONFLICTS = 10
SHOWN_RELATED = 5
HOME_QUESTIONS = 50  # the most contested; the rest are on /questions/


def home(request):
    """The most contested questions, and the latest sources.

    Queries: 1. the most contested questions with their summaries, 2. how many questions there
    are, 3. the latest sources with their publishers. The CSV and JSON list every question (1).
    """
    questions = summaries.summarised(Question.objects.all())
    return respond.respond(
        request,
        template="claims/home.html",
        context=lambda: {
            "rows": question_rows(questions[:HOME_QUESTIONS]),
            "question_total": questions.count(),
            "latest": Source.objects.with_related().latest()[:LATEST_SOURCES],
            "search": SearchForm(),
        },
        name="questions",
        columns=serialisers.QUESTION_COLUMNS,
        records=lambda: [serialisers.question_record(request, q) for q in questions],
        key="questions",
    )


def question_list(request):
    """Queries: 1. the page, with summaries (one row more than shown, never a count)."""
    filters = QuestionFilters(request.GET)
    values = filters.values()
    questions = Question.objects.all()
    if values["metal"] is not None:
        questions = questions.about_metal(values["metal"])
    if values["actor"] is not None:
        questions = questions.about_actor(values["actor"])
    questions = summaries.summarised(questions)

    def context():
        page = pagination.page(request, questions)
        return {"rows": question_rows(page), "page": page, "filters": filters}

    return respond.respond(
        request,
        template="claims/question_list.html",
        context=context,
        name="questions",
        columns=serialisers.QUESTION_COLUMNS,
        records=lambda: [serialisers.question_record(request, q) for q in questions],
        key="questions",
    )


def question_detail(request, slug):
    """Every public claim on the question side by side, grouped by origin, with the chart.

    A question may have hundreds of claims: every one counts in the verdict, the spread and the
    consensus, and the table and chart show them a page (pagination.CLAIMS_PER_PAGE) at a time,
    each with its standing against all the others (comparison.compare_question's `focus`).

    Queries: 1. the question, 2-3. its subjects and metals, 4-6. every claim's corrections,
    figure and source, and the actors of its origin (ClaimQuerySet.figures), 7. the page's claims
    with source, publisher, speaker chain and cited source, 8-11. their links each way, with the
    claims at the other ends, 12. the question's verdict changes (claims/_verdict_history.html).
    The CSV and JSON have every claim: 1. the question, 2-3. their links to and from public
    claims and their corrections (ClaimQuerySet.public_link_refs), 4-5. every claim's figure and
    exported columns, and the actors of its origin, as plain values; the JSON 6. the question's
    verdict changes. (Each request reads the data version first, pages.caching.)
    """
    question = get_object_or_404(Question, slug=slug)
    filters = ClaimFilters(request.GET)
    claims = Claim.objects.listed_on(question=question).filter_public(**filters.values())

    def context():
        # The page names the question's subjects and metals; its CSV and JSON do not.
        prefetch_related_objects([question], "subjects", "metals")
        # Every claim as plain values (no model instances): hundreds are judged, a page is shown.
        everything = list(claims.figures())
        page = pagination.slice_page(request, everything, pagination.CLAIMS_PER_PAGE)
        refs = [claim.figure.ref for claim in page]
        # Only the columns the table shows (no actors-about, metals, texts or chains of actors:
        # each claim's origin and label are its ClaimFigure's), and the links shown beside it.
        loaded = {c.ref: c for c in _shown(Claim.objects.filter(ref__in=refs))}
        shown = [loaded[ref] for ref in refs]
        outcome = question.compare_figures([claim.figure for claim in everything], focus=refs)
        figures = {claim.figure.ref: claim for claim in everything}
        labels = display.Labels(figures)
        chart = _chart(shown, outcome, question, labels)
        return {
            "question": question,
            "outcome": outcome,
            "badge": display.badge(
                outcome.verdict,
                series=display.answer_series(question.kind, outcome.series),
                claims=len(everything),
            ),
            "answer_series": display.answer_series(question.kind, outcome.series),
            "time": display.time_text(outcome),
            "groups": _origin_groups(shown, outcome, labels, figures),
            "summary": _summary(outcome, everything, labels),
            "origin_notes": _origin_notes(outcome, everything),
            "chart": chart,
            # Its bars and lines written in Python (pages.rows), as the table's rows are.
            "chart_bars": [rows.chart_bar(bar) for bar in chart.bars] if chart else [],
            "chart_lines": rows.chart_lines(chart) if chart else {},
            "answers": _answer_tally(everything, outcome, labels)
            if question.kind == "boolean"
            else None,
            "filters": filters,
            "page": page,
        }

    @cache
    def judged():
        """Every claim's ClaimValues, read as plain values (no model instances: the export's
        columns only), and their comparison."""
        links = claims.public_link_refs()
        every = list(claims.figures(corrections=links.corrections, **serialisers.VALUE_LOOKUPS))
        values = [serialisers.ClaimValues.of_figure(c, links, question=question) for c in every]
        return values, question.compare_figures([claim.figure for claim in every])

    def records():
        every, outcome = judged()
        return [serialisers.compared_values_record(request, claim, outcome) for claim in every]

    return respond.respond(
        request,
        template="claims/question_detail.html",
        context=context,
        name=f"question-{question.slug}",
        columns=serialisers.COMPARED_CLAIM_COLUMNS,
        records=records,
        document=lambda rows: serialisers.question_document(request, question, judged()[1], rows),
    )


@dataclass
class QuestionRow:
    question: Question
    verdict: str
    claims: int
    sources: int
    origins: int
    badge: tuple[str, str]
    spread: str

    @property
    def title(self):
        return self.question.title


def question_rows(questions):
    """A row per question (from `summaries.summarised`) with its counts, verdict and spread."""
    rows = []
    for question in questions:
        summary = question.summary
        verdict = summary.verdict and Verdict(summary.verdict)  # None: not summarised yet
        rows.append(
            QuestionRow(
                question=question,
                verdict=verdict,
                claims=summary.claim_count,
                sources=summary.source_count,
                origins=summary.independent_origins,
                badge=display.badge(
                    verdict,
                    series=display.answer_series(question.kind, summary.series),
                    claims=summary.claim_count,
                ),
                spread=display.spread_text_of(
                    summary.spread,
                    (summary.spread_open_low, summary.spread_open_high),
                    comparison.scale_unit(question.kind, question.unit),
                ),
            )
        )
    return rows


@dataclass
class OriginGroup:
    label: str
    record: object  # the actor or source the origin names: the label links to its page
    rows: list = field(default_factory=list)

    @property
    def echoes(self):
        return len(self.rows) > 1


def _shown(claims):
    """The page's claims with what their rows show (pages.rows.compared_row) and their links."""
    return (
        claims.select_related("source__publisher")
        .for_rows(
            "source__title",
            "source__published",
            "source__publisher__slug",
            "source__publisher__name",
            "paraphrase",
        )
        .with_links()
    )


def _origin_groups(claims, outcome, labels, figures):
    """Claims grouped under the origin they rest on, in the order origins first appear; `figures`
    are their ClaimFigures by ref (where the origin is read from)."""
    groups = {}
    for claim in claims:
        standing = outcome.standings[claim.ref]
        if standing.origin not in groups:
            label, record = figure_origin_record(figures[claim.ref])
            groups[standing.origin] = OriginGroup(label=label, record=record)
        row = {
            "claim": claim,
            "standing": standing,
            "badge": display.badge(
                standing.relation, series=display.answer_series(outcome.kind, outcome.series)
            ),
            "normalised": display.interval_text(standing.interval, outcome.unit),
            "year_note": display.year_note(standing.year, standing.year_from),
            "relations": _relations(standing, labels),
        }
        # Written in Python (pages.rows): the template language took most of the page's time.
        row["html"] = rows.compared_row(row)
        groups[standing.origin].rows.append(row)
    return list(groups.values())


def origin_record(claim):
    """(label, record) of the origin a claim rests on, in comparison.origin_of's order; unnamed
    reports have no record to link to."""
    if claim.unattributed:
        return claim.origin_label, None
    cited, source = claim.cited_source, claim.source
    if claim.speaker_id:
        record = claim.speaker.root()
    elif cited is not None:
        record = cited.publisher.root() if cited.publisher_id else cited
    else:
        record = source.publisher.root() if source.publisher_id else source
    return claim.origin_label, record


# The page of each kind of origin (comparison.origin_of's keys).
_ORIGIN_PAGES = {"actor": "actor_detail", "source": "source_detail"}


def figure_origin_record(claim):
    """origin_record of a ClaimFigure: the same label, and the page of the actor or source its
    origin's key names (None for unnamed reports)."""
    kind, _, slug = claim.figure.origin.partition(":")
    page = _ORIGIN_PAGES.get(kind)
    return claim.origin_label, display.Page(page, slug) if page else None


def _origin_notes(outcome, claims):
    """What the origins say beside the verdict, in words: that one origin repeated is not
    confirmation, and which origins' echoes differ (a misquote or a revision). `claims` are every
    ClaimFigure of the question."""
    origin_of = {ref: key for key, refs in outcome.origins.items() for ref in refs}
    by_origin = {}
    for claim in claims:
        by_origin.setdefault(origin_of[claim.figure.ref], []).append(claim)
    notes = []
    independents = [key for key in by_origin if comparison.independent(key)]
    # Not for yes/no answers of several years: those are a series, never compared.
    series = display.answer_series(outcome.kind, outcome.series)
    if outcome.verdict == Verdict.SINGLE and len(independents) == 1 and not series:
        members = by_origin[independents[0]]
        sources = len({claim.source_id for claim in members})
        if sources > 1:
            notes.append(
                f"One origin ({members[0].origin_label}), repeated by {sources} sources — "
                "not independently confirmed."
            )
    for key, members in by_origin.items():
        if not outcome.consistent[key]:
            figures = dict.fromkeys(display.figure_text(claim.figure) for claim in members)
            notes.append(f"Echoes of {members[0].origin_label} differ: {' vs '.join(figures)}.")
    return notes


def _relations(standing: Standing, labels):
    """[(relation, [labels])] of the claims that supersede this one, and of those it conflicts
    with, is close to, agrees with."""
    found = [
        ("superseded", standing.superseded_by),
        ("conflict", standing.conflicts_with),
        ("close", standing.close_to),
        ("agree", standing.agrees_with),
    ]
    # A few names say enough; on a question with hundreds of claims the rest is a count (the CSV
    # and JSON list every ref).
    return [
        (
            relation,
            [labels[ref] for ref in refs[:SHOWN_RELATED]]
            + ([f"{len(refs) - SHOWN_RELATED} more"] if len(refs) > SHOWN_RELATED else []),
        )
        for relation, refs in found
        if refs
    ]


def _summary(outcome, claims, labels):
    """What the question page says above its table; `claims` are ClaimFigures."""
    pairs = outcome.conflicting_pairs
    return {
        "claims": len(claims),
        "sources": len({claim.source_id for claim in claims}),
        "origins": outcome.independent_origins,
        "spread": display.spread_text(outcome),
        "consensus": display.consensus_text(outcome),
        "consensus_origins": outcome.consensus.origins if outcome.consensus else 0,
        # The first few pairs say what the conflict is; the table below shows every claim's
        # standing (hundreds of claims can make thousands of pairs).
        "conflicts": [(labels[a], labels[b]) for a, b in pairs[:SHOWN_CONFLICTS]],
        "more_conflicts": max(0, len(pairs) - SHOWN_CONFLICTS),
        "years": outcome.years if outcome.series else [],
        "tolerance": display.tolerance_text(outcome.tolerance, outcome.unit),
    }


def _chart(claims, outcome, question, labels):
    def row(claim):
        label = labels[claim.ref] + (" — disputed" if claim.status == "disputed" else "")
        standing = outcome.standings[claim.ref]
        return charts.ChartRow(
            label=label,
            interval=standing.interval,
            relation=str(standing.relation),
            year=standing.year,
            # The tooltip has the label whole (the chart wraps and may shorten it) and the source.
            title=f"{label} — in “{claim.source.title}”",
        )

    return charts.interval_chart(
        [row(claim) for claim in claims],
        unit=outcome.unit,
        bounds=outcome.bounds,
        tolerance=outcome.tolerance,
        drift=outcome.drift,
        consensus=outcome.consensus.interval if outcome.consensus else None,
    )


def _answer_tally(claims, outcome, labels):
    """For yes/no questions: each answer with the origins and claims that give it.

    `claims` are ClaimFigures.
    """
    tally = {}
    origin_of = {ref: origin for origin, refs in outcome.origins.items() for ref in refs}
    for claim in claims:
        answer, ref = claim.figure.answer, claim.figure.ref
        if answer:
            entry = tally.setdefault(answer, {"answer": answer, "origins": set()})
            entry["origins"].add(origin_of[ref])
            entry.setdefault("claims", []).append(labels[ref])
    return [
        {**entry, "origins": len(entry["origins"])}
        for entry in sorted(tally.values(), key=lambda entry: entry["answer"])
    ]
