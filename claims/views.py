"""The public pages: what each source says, side by side, and where sources agree or conflict.

All read-only. Every page is also data: `?format=csv` and `?format=json` answer the same view with
the same filters (see data_out.py). Readers see only claims whose status is in
settings.PUBLIC_CLAIM_STATUSES (checked and disputed); disputed claims are marked as such.

The source and actor pages live here rather than in sources/views.py because they show claims, and
the sources app never imports claims.

Each page runs a fixed number of queries whatever the number of rows: lists are fetched with
`with_related()` / `for_comparison()` and paginated, and the tests pin the counts.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import product

from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from core.paginators import page_number
from sources.models import Actor, Source

from . import charts, comparison, data_out, display
from .comparison import Relation, Standing, Verdict
from .forms import (
    ActorFilters,
    ClaimFilters,
    CompareForm,
    QuestionFilters,
    SearchForm,
    SourceFilters,
)
from .models import Claim, Metal, Question, QuestionSummary
from .services import question_summaries_refresh

PER_PAGE = 100
SEARCH_LIMIT = 50
LATEST_SOURCES = 8
# Claims per page (question, source, metal and actor pages): a claim row carries a quote, links
# and its standing. On a question page the verdict and the chart's scale still count every claim.
CLAIMS_PER_PAGE = 25
SOURCE_CLAIMS_PER_PAGE = 50  # a source page is read whole: most sources make fewer claims
SHOWN_CONFLICTS = 10
SHOWN_RELATED = 5
SHOWN_OTHERS = 4
PICKER_LIMIT = 300
ONLY_SHOWN = 50
CITED_BY_SHOWN = 50  # claims elsewhere citing a source, on its page  # claims listed under "Only in A" and "Only in B"  # sources listed in the compare page's drop-downs  # claims named beside each of a source's claims
HOME_QUESTIONS = 50  # the most contested; the rest are on /questions/

CLAIM_COLUMNS = [
    "ref",
    "source",
    "source_title",
    "publisher",
    "published",
    "question",
    "speaker",
    "cited_source",
    "stated",
    "qualifier",
    "value",
    "value_high",
    "unit",
    "as_of",
    "answer",
    "status",
    "quote",
    "paraphrase",
    "note",
    "url",
]
COMPARED_CLAIM_COLUMNS = [
    *CLAIM_COLUMNS[:9],
    "normalised",
    "low",
    "high",
    "standing",
    "agrees_with",
    "close_to",
    "conflicts_with",
    "origin",
    *CLAIM_COLUMNS[9:],
]
QUESTION_COLUMNS = [
    "slug",
    "title",
    "kind",
    "unit",
    "verdict",
    "claims",
    "sources",
    "independent_origins",
    "spread_low",
    "spread_high",
    "url",
]
SOURCE_COLUMNS = [
    "slug",
    "title",
    "kind",
    "publisher",
    "authors",
    "published",
    "url",
    "language",
    "notes",
    "claims",
    "page",
]
ACTOR_COLUMNS = ["slug", "name", "kind", "country", "parent", "aliases", "wikidata_id", "page"]
COMPARE_COLUMNS = [
    "question",
    "title",
    "verdict",
    "a_says",
    "b_says",
    "a_refs",
    "b_refs",
    "a_notes",
    "b_notes",
]
METAL_COLUMNS = ["symbol", "name", "atomic_number", "category", "members", "claims", "page"]


# --- home and questions -----------------------------------------------------------------------


def home(request):
    """The most contested questions, and the latest sources.

    Queries: 1. questions without a summary yet (none, once computed), 2. the most contested
    questions with their summaries, 3. how many questions there are, 4. the latest sources with
    their publishers.
    """
    questions = _summarised(Question.objects.all())
    fmt = data_out.requested_format(request)
    if fmt != "html":
        rows = _question_rows(request, questions)
        return _export(
            fmt, "questions", QUESTION_COLUMNS, [row.record for row in rows], key="questions"
        )
    rows = _question_rows(request, questions[:HOME_QUESTIONS])
    latest = Source.objects.with_related().latest()[:LATEST_SOURCES]
    return _render(
        request,
        "claims/home.html",
        {
            "rows": rows,
            "question_total": questions.count(),
            "latest": latest,
            "search": SearchForm(),
        },
    )


def question_list(request):
    """Queries: 1. questions without a summary yet, 2. count, 3. the page, with summaries."""
    filters = QuestionFilters(request.GET)
    values = filters.values()
    questions = Question.objects.all()
    if values["metal"] is not None:
        questions = questions.about_metal(values["metal"])
    if values["actor"] is not None:
        questions = questions.about_actor(values["actor"])
    questions = _summarised(questions)
    fmt = data_out.requested_format(request)
    if fmt != "html":
        rows = _question_rows(request, questions)
        return _export(
            fmt, "questions", QUESTION_COLUMNS, [row.record for row in rows], key="questions"
        )
    page = _page(request, questions)
    return _render(
        request,
        "claims/question_list.html",
        {"rows": _question_rows(request, page), "page": page, "filters": filters},
    )


def question_detail(request, slug):
    """Every public claim on the question side by side, grouped by origin, with the chart.

    A question may have hundreds of claims: every one counts in the verdict, the spread and the
    consensus, and the table and chart show them a page (CLAIMS_PER_PAGE) at a time, each with
    its standing against all the others (comparison.compare_question's `focus`).

    Queries: 1. the question, 2-3. its subjects and metals, 4. every claim's figure, source
    and origin (ClaimQuerySet.figures), 5. the page's claims with source, publisher, speaker
    chain and cited source. The CSV
    and JSON have every claim: 4. every claim with related rows, 5-6. their actors and metals.
    """
    question = get_object_or_404(Question.objects.with_related(), slug=slug)
    filters = ClaimFilters(request.GET)
    claims = (
        Claim.objects.public()
        .for_question(question)
        .filter_public(**filters.values())
        .order_by("source__published", "ref")
    )
    fmt = data_out.requested_format(request)
    if fmt in ("csv", "json"):
        claims = list(claims.with_related())
        outcome = question.compare(claims)
        records = [_compared_record(request, claim, outcome) for claim in claims]
        if fmt == "csv":
            return data_out.csv_response(
                f"question-{question.slug}", COMPARED_CLAIM_COLUMNS, records
            )
        return data_out.json_response(
            f"question-{question.slug}", _question_json(request, question, outcome, records)
        )
    # Every claim as plain values (no model instances): hundreds are judged, a page is shown.
    everything = list(claims.figures("source__title", "source__publisher__name"))
    page = _slice_page(request, everything, CLAIMS_PER_PAGE)
    refs = [claim.figure.ref for claim in page]
    # The table shows no actors-about or metals: their prefetches are dropped.
    loaded = {
        c.ref: c for c in Claim.objects.filter(ref__in=refs).with_related().prefetch_related(None)
    }
    shown = [loaded[ref] for ref in refs]
    outcome = question.compare_figures([claim.figure for claim in everything], focus=refs)
    labels = _Labels({claim.figure.ref: claim for claim in everything})
    return _render(
        request,
        "claims/question_detail.html",
        {
            "question": question,
            "outcome": outcome,
            "badge": display.badge(outcome.verdict, series=outcome.series, claims=len(everything)),
            "groups": _origin_groups(shown, outcome, labels),
            "summary": _summary(outcome, everything, labels),
            "chart": _chart(shown, outcome, question),
            "answers": _answer_tally(everything, outcome, labels)
            if question.kind == "boolean"
            else None,
            "filters": filters,
            "page": page,
        },
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
    record: dict

    @property
    def title(self):
        return self.question.title


def _summarised(questions):
    """The questions with their QuestionSummary, most contested first.

    Summaries are kept up to date on every write (claims.signals, claims.services); a question
    that has none yet (data from before summaries existed) is summarised here, once.
    """
    missing = list(questions.filter(summary__isnull=True).values_list("pk", flat=True))
    if missing:
        question_summaries_refresh(question_ids=missing)
    # The lists show the verdict and counts; the placed claims are for the source page.
    return (
        questions.select_related("summary")
        .defer("summary__placements")
        .order_by("summary__verdict_order", "-summary__source_count", "title", "pk")
    )


def _question_rows(request, questions):
    """A row per question (from `_summarised`) with its counts, verdict and spread."""
    rows = []
    for question in questions:
        summary = question.summary
        verdict = Verdict(summary.verdict)
        spread = summary.spread or (None, None)
        rows.append(
            QuestionRow(
                question=question,
                verdict=verdict,
                claims=summary.claim_count,
                sources=summary.source_count,
                origins=summary.independent_origins,
                badge=display.badge(verdict, series=summary.series, claims=summary.claim_count),
                spread=display.spread_text_of(
                    summary.spread,
                    (summary.spread_open_low, summary.spread_open_high),
                    question.unit or ("rank" if question.kind == "rank" else ""),
                ),
                record={
                    "slug": question.slug,
                    "title": question.title,
                    "kind": question.kind,
                    "unit": question.unit,
                    "verdict": str(verdict),
                    "claims": summary.claim_count,
                    "sources": summary.source_count,
                    "independent_origins": summary.independent_origins,
                    "spread_low": spread[0],
                    "spread_high": spread[1],
                    "url": _absolute_url(request, question),
                },
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


def _origin_groups(claims, outcome, labels):
    """Claims grouped under the origin they rest on, in the order origins first appear."""
    groups = {}
    for claim in claims:
        standing = outcome.standings[claim.ref]
        if standing.origin not in groups:
            label, record = _origin_of(claim)
            groups[standing.origin] = OriginGroup(label=label, record=record)
        groups[standing.origin].rows.append(
            {
                "claim": claim,
                "standing": standing,
                "badge": display.badge(standing.relation, series=outcome.series),
                "normalised": display.interval_text(standing.interval, outcome.unit),
                "relations": _relations(standing, labels),
            }
        )
    return list(groups.values())


def _origin_of(claim):
    """(label, record) of the origin a claim rests on; matches comparison.origin_key's order."""
    if claim.speaker_id:
        root = claim.speaker.root()
        return root.name, root
    if claim.cited_source_id:
        return claim.cited_source.title, claim.cited_source
    return f"{claim.source.title} — the source's own statement", claim.source


def _relations(standing: Standing, labels):
    """[(relation, [labels])] of the claims this one conflicts with, is close to, agrees with."""
    found = [
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


def _chart(claims, outcome, question):
    rows = [
        charts.ChartRow(
            label=_claim_label(claim) + (" — disputed" if claim.status == "disputed" else ""),
            interval=outcome.standings[claim.ref].interval,
            relation=str(outcome.standings[claim.ref].relation),
            year=outcome.standings[claim.ref].year,
            title=f"{claim.source.title}: {claim.stated_figure()}",
        )
        for claim in claims
    ]
    consensus = outcome.consensus.interval if outcome.consensus else None
    return charts.interval_chart(
        rows, unit=outcome.unit, consensus=consensus, series=outcome.series
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


def _question_json(request, question, outcome, records):
    spread = outcome.spread
    consensus = outcome.consensus
    return {
        "question": {
            "slug": question.slug,
            "title": question.title,
            "kind": question.kind,
            "unit": question.unit,
            "tolerance": _number(question.tolerance),
            "url": _absolute_url(request, question),
        },
        "verdict": str(outcome.verdict),
        "series": outcome.series,
        "years": outcome.years,
        "independent_origins": outcome.independent_origins,
        "spread": None
        if spread is None
        else {
            "low": spread[0],
            "high": spread[1],
            "open_low": outcome.spread_open[0],
            "open_high": outcome.spread_open[1],
        },
        "consensus": None
        if consensus is None
        else {
            "origins": consensus.origins,
            "refs": list(consensus.refs),
            "answer": consensus.answer or None,
            "low": display.json_end(consensus.interval.low) if consensus.interval else None,
            "high": display.json_end(consensus.interval.high) if consensus.interval else None,
        },
        "conflicts": [list(pair) for pair in outcome.conflicting_pairs],
        "claims": records,
    }


# --- sources ----------------------------------------------------------------------------------


def source_list(request):
    """Queries: 1. count, 2. the page of sources with publishers and public claim counts."""
    filters = SourceFilters(request.GET)
    values = filters.values()
    sources = (
        Source.objects.with_related()
        .filter_public(kind=values["kind"], year=values["year"], publisher=values["actor"])
        .annotate(
            claim_count=Count("claims", filter=Q(claims__status__in=settings.PUBLIC_CLAIM_STATUSES))
        )
        .latest()
    )
    fmt = data_out.requested_format(request)
    if fmt != "html":
        return _export(
            fmt,
            "sources",
            SOURCE_COLUMNS,
            [_source_record(request, s) for s in sources],
            key="sources",
        )
    return _render(
        request,
        "claims/source_list.html",
        {"page": _page(request, sources), "filters": filters},
    )


def source_detail(request, slug):
    """The source's metadata and its claims by question, each against what other sources say.

    Each claim is judged against every public claim on its question (placed once and kept in
    QuestionSummary.placements, however many there are); the page names the first few it
    conflicts with, is close to or agrees with, and links to the question for the rest.

    Its claims come SOURCE_CLAIMS_PER_PAGE at a time, a question's together; the CSV and JSON have
    them all.

    Queries: 1. the source and publisher, 2. the ids of the page of its public claims, 3. those
    claims with question, speaker and cited source, 4. the placed claims of their questions,
    5. the other claims named beside them, 6. the first claims elsewhere that cite this source.
    The CSV and JSON read every claim with related rows (3-5) and the placed claims (6).
    """
    source = get_object_or_404(Source.objects.with_related(), slug=slug)
    own = Claim.objects.public().filter(source=source).order_by("question__title", "ref")
    fmt = data_out.requested_format(request)
    page = None
    if fmt == "html":
        page = _page(request, own, related=_shown_on_source_page, per_page=SOURCE_CLAIMS_PER_PAGE)
        own = list(page)
    else:
        own = list(own.with_related())
    groups = _source_groups(source, own, _placements(own))
    if fmt != "html":
        records = [
            _compared_record(request, row["claim"], group["outcome"])
            if row["standing"]
            else _claim_record(request, row["claim"])
            for group in groups
            for row in group["rows"]
        ]
        return _export(fmt, f"source-{source.slug}", COMPARED_CLAIM_COLUMNS, records, key="claims")
    _name_others(groups)
    cited_by = list(
        Claim.objects.public()
        .filter(cited_source=source)
        .select_related("source__publisher", "question")
        .order_by("source__published", "ref")[: CITED_BY_SHOWN + 1]
    )
    return _render(
        request,
        "claims/source_detail.html",
        {
            "source": source,
            "groups": groups,
            "page": page,
            "cited_by": cited_by[:CITED_BY_SHOWN],
            "more_cited_by": len(cited_by) > CITED_BY_SHOWN,
        },
    )


def _placements(claims):
    """Question id -> every public claim on it as comparison.Placed, for the questions of `claims`.

    One query: summaries are kept up to date on every write. A question whose summary lacks
    placements (data from before they were kept) or one of `claims` (data written around the
    app's signals: SQL, loaddata) is recomputed here first.
    """
    shown = defaultdict(set)
    for claim in claims:
        if claim.question_id is not None:
            shown[claim.question_id].add(claim.ref)
    if not shown:
        return {}
    summaries = QuestionSummary.objects.filter(question__in=shown)
    records = dict(summaries.filter(placements__isnull=False).values_list("question", "placements"))
    stale = {
        pk
        for pk, refs in shown.items()
        if pk not in records or not refs <= {record[0] for record in records[pk]}
    }
    if stale:
        question_summaries_refresh(question_ids=stale)
        records.update(summaries.filter(question__in=stale).values_list("question", "placements"))
    return {
        pk: [comparison.placed_from_record(record) for record in placed]
        for pk, placed in records.items()
    }


def _source_groups(source, own, placements):
    """The source's claims grouped by question, each with its standing against all the others.

    `placements`: question id -> every public claim on it as comparison.Placed. A group's badge is
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
            outcome = comparison.compare_placed(
                placements[question_id],
                kind=question.kind,
                unit=question.unit,
                tolerance=question.tolerance,
                focus=[claim.ref for claim in claims],
                with_consensus=False,  # the source page shows standings, not the consensus
            )
        rows = []
        for claim in claims:
            row = {"claim": claim}
            # None only for a claim withdrawn while the page was being read: shown without one.
            standing = outcome.standings.get(claim.ref) if outcome else None
            row["standing"] = standing
            if standing:
                row["badge"] = display.badge(standing.relation, series=outcome.series)
                row["normalised"] = display.interval_text(standing.interval, outcome.unit)
                # Conflicts first: they are what a reader of this source needs to know.
                related = [
                    (ref, relation)
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
            rows.append(row)
        groups.append(
            {
                "question": question,
                "outcome": outcome,
                "badge": display.badge(outcome.verdict, series=outcome.series) if outcome else None,
                "rows": rows,
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


def _name_others(groups):
    """Fill each row's `others` with (badge, label, claim) of the claims it names (one query)."""
    refs = {ref for group in groups for row in group["rows"] for ref, _ in row.get("related", ())}
    # public(): a summary written before a claim was withdrawn around the signals (SQL) may still
    # hold it; a withdrawn claim is never named.
    named = {claim.ref: claim for claim in Claim.objects.public().filter(ref__in=refs).for_labels()}
    for group in groups:
        for row in group["rows"]:
            row["others"] = [
                (display.relation_badge(relation), _claim_label(named[ref]), named[ref])
                for ref, relation in row.get("related", ())
                if ref in named
            ]


# --- compare two sources ----------------------------------------------------------------------


def compare(request):
    """The questions two sources both address, side by side, then what only one of them says.

    Queries: 1. the sources for the two pickers (up to PICKER_LIMIT), 2. the two sources,
    3. their public claims with related rows.
    """
    form = CompareForm(request.GET)
    values = form.values()
    # A drop-down of every source is the simplest picker, up to a few hundred: past that the page
    # would carry thousands of options, and the form asks for slugs (shown on each source's page).
    choices = list(
        Source.objects.order_by("title").values_list("slug", "title")[: PICKER_LIMIT + 1]
    )
    if len(choices) > PICKER_LIMIT:
        choices = None
    context = {"form": form, "choices": choices, "a": None, "b": None}
    result = None
    if values["a"] and values["a"] == values["b"]:
        context["error"] = "Pick two different sources to compare."
        response = _render(request, "claims/compare.html", context)
        response.status_code = 400
        return response
    if values["a"] and values["b"]:
        sources = {
            s.slug: s
            for s in Source.objects.with_related().filter(slug__in=[values["a"], values["b"]])
        }
        if len(sources) != 2:
            raise Http404("No such source.")
        a, b = sources[values["a"]], sources[values["b"]]
        # No actors or metals: the comparison shows figures and quotes.
        claims = list(
            Claim.objects.public()
            .filter(source__in=[a, b])
            .with_related()
            .prefetch_related(None)
            .order_by("ref")
        )
        result = _comparison_of_two(a, b, claims)
        # The first ONLY_SHOWN claims only one source makes are listed; the CSV and JSON have all.
        context.update(a=a, b=b, result=result, only_shown=f":{ONLY_SHOWN}", minus_only=-ONLY_SHOWN)
    fmt = data_out.requested_format(request)
    if fmt != "html":
        rows = []
        if result:
            for shared in result["shared"]:
                rows.append(
                    {
                        "question": shared["question"].slug,
                        "title": shared["question"].title,
                        "verdict": shared["verdict"],
                        "a_says": " / ".join(c.stated_figure() for c in shared["a"]),
                        "b_says": " / ".join(c.stated_figure() for c in shared["b"]),
                        "a_refs": [c.ref for c in shared["a"]],
                        "b_refs": [c.ref for c in shared["b"]],
                        # The team's notes, one per ref (blank where a claim has none).
                        "a_notes": [c.note for c in shared["a"]],
                        "b_notes": [c.note for c in shared["b"]],
                    }
                )
            for side, only in (("a", result["only_a"]), ("b", result["only_b"])):
                for claim in only:
                    rows.append(
                        {
                            "question": claim.question.slug if claim.question else "",
                            "title": claim.question.title if claim.question else "",
                            "verdict": f"only {side}",
                            f"{side}_says": claim.stated_figure() or claim.quote,
                            f"{side}_refs": [claim.ref],
                            f"{side}_notes": [claim.note],
                        }
                    )
        name = f"compare-{values['a']}-{values['b']}" if result else "compare"
        return _export(fmt, name, COMPARE_COLUMNS, rows, key="rows")
    return _render(request, "claims/compare.html", context)


def _comparison_of_two(a, b, claims):
    by_question = defaultdict(lambda: {"a": [], "b": []})
    unfiled = {"a": [], "b": []}
    for claim in claims:
        side = "a" if claim.source_id == a.pk else "b"
        if claim.question_id:
            by_question[claim.question_id][side].append(claim)
        else:
            unfiled[side].append(claim)
    shared, only = [], {"a": list(unfiled["a"]), "b": list(unfiled["b"])}
    for sides in by_question.values():
        question = (sides["a"] or sides["b"])[0].question
        if sides["a"] and sides["b"]:
            outcome = question.compare(sides["a"] + sides["b"])
            relations = [outcome.relation(x.ref, y.ref) for x, y in product(sides["a"], sides["b"])]
            verdict = _between(relations)
            shared.append(
                {
                    "question": question,
                    "a": sides["a"],
                    "b": sides["b"],
                    "verdict": str(verdict),
                    "badge": display.badge(verdict, series=Relation.SERIES in relations),
                    "unit": outcome.unit,
                }
            )
        else:
            only["a" if sides["a"] else "b"].extend(sides["a"] or sides["b"])
    shared.sort(
        key=lambda item: (
            comparison.VERDICT_ORDER[Verdict(item["verdict"])],
            item["question"].title,
        )
    )
    for side in only.values():
        side.sort(
            key=lambda claim: (
                claim.question is None,
                claim.question.title if claim.question else "",
                claim.ref,
            )
        )
    counts = {
        verdict: sum(1 for item in shared if item["verdict"] == verdict)
        for verdict in ("conflict", "close", "agree")
    }
    return {"shared": shared, "only_a": only["a"], "only_b": only["b"], "counts": counts}


def _between(relations):
    """The worst relation between two sources' claims on a question, as a Verdict."""
    for relation in (Relation.CONFLICT, Relation.CLOSE, Relation.AGREE):
        if relation in relations:
            return Verdict(relation.value)
    if Relation.SERIES in relations:
        return Verdict.SINGLE
    return Verdict.NOT_COMPARABLE


# --- metals and actors ------------------------------------------------------------------------


def metal_list(request):
    """Queries: 1. metals with public claim counts, 2. the members of groups."""
    metals = Metal.objects.with_claim_counts().prefetch_related("members")
    fmt = data_out.requested_format(request)
    if fmt != "html":
        records = [
            {
                "symbol": metal.symbol,
                "name": metal.name,
                "atomic_number": metal.atomic_number,
                "category": metal.category,
                "members": [member.symbol for member in metal.members.all()],
                "claims": metal.claim_count,
                "page": _absolute_url(request, metal),
            }
            for metal in metals
        ]
        return _export(fmt, "metals", METAL_COLUMNS, records, key="metals")
    metals = list(metals)
    return _render(
        request,
        "claims/metal_list.html",
        {
            "groups": [metal for metal in metals if metal.is_group],
            "elements": [metal for metal in metals if not metal.is_group],
        },
    )


def metal_detail(request, symbol):
    """Claims about a metal, the groups it belongs to and, for a group, its members.

    Queries: 1. the metal, 2. related metals, 3. questions about them without a summary yet,
    4. those questions with their summaries, 5. the ids of the page of claims, 6. those claims
    with question, source, publisher and speaker.
    """
    metal = get_object_or_404(Metal, symbol=symbol)
    filters = ClaimFilters(request.GET)
    values = {**filters.values(), "metal": None}
    claims = Claim.objects.public().about_metal(metal).filter_public(**values)
    fmt = data_out.requested_format(request)
    if fmt != "html":
        records = [_claim_record(request, claim) for claim in claims.with_related()]
        return _export(fmt, f"metal-{metal.symbol}", CLAIM_COLUMNS, records, key="claims")
    related = [m for m in Metal.objects.related_to(metal).distinct() if m.pk != metal.pk]
    page = _page(request, claims, related=_listed, per_page=CLAIMS_PER_PAGE)
    return _render(
        request,
        "claims/metal_detail.html",
        {
            "metal": metal,
            "groups": [m for m in related if m.is_group and not metal.is_group],
            "members": [m for m in related if not m.is_group] if metal.is_group else [],
            "rows": _question_rows(request, _summarised(Question.objects.about_metal(metal))),
            "page": page,
            "claim_rows": [(claim, []) for claim in page],
            "filters": filters,
        },
    )


def actor_list(request):
    """Queries: 1. count, 2. the page of actors with parents."""
    filters = ActorFilters(request.GET)
    values = filters.values()
    actors = Actor.objects.with_related().order_by("name")
    if values["kind"]:
        actors = actors.filter(kind=values["kind"])
    fmt = data_out.requested_format(request)
    if fmt != "html":
        records = [_actor_record(request, a) for a in actors]
        return _export(fmt, "actors", ACTOR_COLUMNS, records, key="actors")
    return _render(
        request, "claims/actor_list.html", {"page": _page(request, actors), "filters": filters}
    )


def actor_detail(request, slug):
    """Claims made by and about an actor, its parent and its children.

    Queries: 1. the actor and parent, 2. its children, 3-4. questions about them (see
    metal_detail), 5. the ids of the page of claims, 6. those claims with question, source,
    publisher and speaker, 7. the actors they are about.
    """
    actor = get_object_or_404(Actor.objects.with_related(), slug=slug)
    filters = ClaimFilters(request.GET)
    values = {**filters.values(), "actor": None}
    claims = Claim.objects.public().by_or_about_actor(actor).filter_public(**values)
    fmt = data_out.requested_format(request)
    if fmt != "html":
        records = [_claim_record(request, claim) for claim in claims.with_related()]
        return _export(fmt, f"actor-{actor.slug}", CLAIM_COLUMNS, records, key="claims")
    children = list(actor.children.order_by("name"))
    family = {actor.pk, actor.parent_id, *(child.pk for child in children)} - {None}
    page = _page(request, claims, related=_listed_with_subjects, per_page=CLAIMS_PER_PAGE)
    roles = [(claim, _roles(claim, family)) for claim in page]
    return _render(
        request,
        "claims/actor_detail.html",
        {
            "actor": actor,
            "children": children,
            "rows": _question_rows(request, _summarised(Question.objects.about_actor(actor))),
            "page": page,
            "claims_with_roles": roles,
            "filters": filters,
        },
    )


def _roles(claim, family):
    roles = []
    if claim.speaker_id in family:
        roles.append(f"said by {claim.speaker.name}")
    if claim.source.publisher_id in family:
        roles.append(f"published by {claim.source.publisher.name}")
    about = [actor.name for actor in claim.about.all() if actor.pk in family]
    if about:
        roles.append("about " + ", ".join(about))
    return roles


# --- search -----------------------------------------------------------------------------------


def search(request):
    """Claims (quote, paraphrase), sources (title) and actors (name, aliases) matching `q`.

    Queries when `q` is given: 1. the best matching claims' ids, 2. those claims with question,
    source, publisher and speaker, 3. sources with publishers, 4. actors with parents.
    """
    form = SearchForm(request.GET)
    text = form.values()["q"].strip()
    claims = []
    if text:
        # Ids first, best first; then their rows (see _page for why in two steps).
        ids = list(Claim.objects.public().search(text).values_list("pk", flat=True)[:SEARCH_LIMIT])
        loaded = Claim.objects.filter(pk__in=ids).for_list().in_bulk()
        claims = [loaded[pk] for pk in ids]
    sources = list(Source.objects.with_related().full_text(text)[:SEARCH_LIMIT]) if text else []
    actors = list(Actor.objects.with_related().full_text(text)[:SEARCH_LIMIT]) if text else []
    fmt = data_out.requested_format(request)
    if fmt != "html":
        rows = (
            [
                {
                    "type": "claim",
                    "key": c.ref,
                    "label": c.source.title,
                    "text": c.quote,
                    "url": _absolute_url(request, c),
                }
                for c in claims
            ]
            + [
                {
                    "type": "source",
                    "key": s.slug,
                    "label": s.title,
                    "text": s.publisher.name if s.publisher else "",
                    "url": _absolute_url(request, s),
                }
                for s in sources
            ]
            + [
                {
                    "type": "actor",
                    "key": a.slug,
                    "label": a.name,
                    "text": " | ".join(a.alias_list),
                    "url": _absolute_url(request, a),
                }
                for a in actors
            ]
        )
        return _export(fmt, "search", ["type", "key", "label", "text", "url"], rows, key="results")
    return _render(
        request,
        "claims/search.html",
        {
            "form": form,
            "q": text,
            "claims": claims,
            "sources": sources,
            "actors": actors,
            "limit": SEARCH_LIMIT,
        },
    )


# --- helpers ----------------------------------------------------------------------------------


def _render(request, template, context):
    context.setdefault("public_statuses", settings.PUBLIC_CLAIM_STATUSES)
    return render(request, template, context)


def _export(fmt, name, columns, rows, *, key):
    """A list page's rows as CSV (`columns` in order) or as JSON (`{key: rows}`)."""
    if fmt == "csv":
        return data_out.csv_response(name, columns, rows)
    return data_out.json_response(name, {key: rows})


@dataclass
class Page:
    """One page of a list whose length is never counted.

    Counting every match of a filter is the slowest query on a large table (a metal's claims are
    a hundred thousand rows on a database of a million) and a reader needs only "next": one row
    more than the page shows says whether there is one.
    """

    object_list: list
    number: int
    more: bool
    per_page: int = PER_PAGE

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_next(self):
        return self.more

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.more or self.number > 1

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1

    def start_index(self):
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0

    def end_index(self):
        return (self.number - 1) * self.per_page + len(self.object_list)


def _slice_page(request, rows, per_page):
    """The requested Page of a list already in memory."""
    number = _page_number(request)
    start = (number - 1) * per_page
    if start and start >= len(rows):
        raise Http404(f"No such page: {number}")
    return Page(
        object_list=rows[start : start + per_page],
        number=number,
        more=len(rows) > start + per_page,
        per_page=per_page,
    )


def _page_number(request):
    """The `?page=` asked for (1 when there is none); a 404 when it names no page (page_number)."""
    text = request.GET.get("page") or "1"
    number = page_number(text)
    if number is None:
        raise Http404(f"No such page: {text[:20]!r}")
    return number


def _page(request, queryset, *, related=None, per_page=PER_PAGE):
    """The requested page of `queryset` (a Page).

    With `related` (a function that adds select_related/prefetch_related to a queryset), the page
    is found first as ids, then its rows are loaded with their related rows: joining ten tables
    before filtering makes PostgreSQL plan the join over every claim (past join_collapse_limit).
    """
    number = _page_number(request)
    start = (number - 1) * per_page
    if related is None:
        rows = list(queryset[start : start + per_page + 1])
    else:
        ids = list(queryset.values_list("pk", flat=True)[start : start + per_page + 1])
        loaded = related(queryset.model.objects.filter(pk__in=ids)).in_bulk()
        rows = [loaded[pk] for pk in ids]
    if not rows and number > 1:
        raise Http404(f"No such page: {number}")
    return Page(
        object_list=rows[:per_page], number=number, more=len(rows) > per_page, per_page=per_page
    )


class _Labels(dict):
    """ref -> label of a ClaimFigure, made when first asked for: a page names a few dozen claims
    of the hundreds it judges."""

    def __init__(self, claims):
        super().__init__()
        self.claims = claims

    def __missing__(self, ref):
        self[ref] = label = _figure_label(self.claims[ref])
        return label


def _figure_label(claim):
    """_claim_label of a ClaimFigure read with its source's title and publisher's name."""
    title, publisher = claim.extra
    figure = claim.figure
    stated = Claim(
        qualifier=figure.qualifier,
        value=figure.value,
        value_high=figure.value_high,
        unit=figure.unit,
        answer=figure.answer,
    ).stated_figure()
    who = publisher or title
    return f"{who}: {stated}" if stated else who


def _claim_label(claim):
    """How a claim is named beside others: “The EurAsian Times: #5”."""
    source = claim.source
    who = source.publisher.name if source.publisher_id else source.title
    figure = claim.stated_figure()
    return f"{who}: {figure}" if figure else who


def _claim_record(request, claim):
    source = claim.source
    return {
        "ref": claim.ref,
        "source": source.slug,
        "source_title": source.title,
        "publisher": source.publisher.slug if source.publisher_id else None,
        "published": source.published,
        "question": claim.question.slug if claim.question_id else None,
        "speaker": claim.speaker.slug if claim.speaker_id else None,
        "cited_source": claim.cited_source.slug if claim.cited_source_id else None,
        "stated": claim.stated_figure(),
        "qualifier": claim.qualifier,
        "value": _number(claim.value),
        "value_high": _number(claim.value_high),
        "unit": claim.unit,
        "as_of": claim.as_of,
        "answer": claim.answer,
        "status": claim.status,
        "quote": claim.quote,
        "paraphrase": claim.paraphrase,
        "note": claim.note,
        "url": _absolute_url(request, claim),
    }


def _compared_record(request, claim, outcome):
    standing = outcome.standings[claim.ref]
    interval = standing.interval
    return {
        **_claim_record(request, claim),
        "normalised": display.interval_text(interval, outcome.unit),
        "low": display.json_end(interval.low) if interval else None,
        "high": display.json_end(interval.high) if interval else None,
        "standing": str(standing.relation),
        "agrees_with": list(standing.agrees_with),
        "close_to": list(standing.close_to),
        "conflicts_with": list(standing.conflicts_with),
        "origin": standing.origin,
    }


def _absolute_url(request, record):
    """The full address of a record's page for the CSV and JSON; None when it has none (a key
    stored around validation, see core.links.page_url)."""
    url = record.get_absolute_url()
    return request.build_absolute_uri(url) if url else None


def _number(value):
    """A stored Decimal as a plain number for CSV and JSON: 5.000000 → 5, 28.500000 → 28.5."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _source_record(request, source):
    return {
        "slug": source.slug,
        "title": source.title,
        "kind": source.kind,
        "publisher": source.publisher.slug if source.publisher_id else None,
        "authors": source.author_list,
        "published": source.published,
        "url": source.url,
        "language": source.language,
        "notes": source.notes,
        "claims": source.claim_count,
        "page": _absolute_url(request, source),
    }


def _actor_record(request, actor):
    return {
        "slug": actor.slug,
        "name": actor.name,
        "kind": actor.kind,
        "country": actor.country,
        "parent": actor.parent.slug if actor.parent_id else None,
        "aliases": actor.alias_list,
        "wikidata_id": actor.wikidata_id,
        "page": _absolute_url(request, actor),
    }


def _with_related(claims):
    return claims.with_related()


def _shown_on_source_page(claims):
    # Its own source is the page's; it names the speaker and the cited source, not the subjects.
    return claims.select_related("question", "speaker", "cited_source")


def _listed(claims):
    return claims.for_list()


def _listed_with_subjects(claims):
    # The actor page says how each claim touches the actor: said, published or about it.
    return claims.for_list().prefetch_related("about")
