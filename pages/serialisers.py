"""What the pages' CSV and JSON hold: each record type as one ordered table of (column, getter).

A record is `{column: getter(…)}` in the table's order, and its CSV header is the table's columns,
so the header and the record's keys are one list and cannot drift apart. pages.respond writes the
records; the HTML pages never read them. Values are plain (slugs for related records, numbers as
JSON numbers, lists as lists): the same record reads well as a CSV row and as a JSON object.
"""

from dataclasses import dataclass
from operator import attrgetter
from typing import NamedTuple

from claims import comparison, summaries
from claims.comparison import Verdict
from core.links import page_url
from core.numbers import json_number

from . import display


def columns(table):
    """A table's column names, in order: the CSV header."""
    return [name for name, _ in table]


def record(table, *item):
    """One record of `table`: each column with what its getter gives for `item`."""
    return {name: get(*item) for name, get in table}


def absolute_url(request, page):
    """The full address of a record's page for the CSV and JSON; None when it has none (a key
    stored around validation, see core.links.page_url)."""
    url = page.get_absolute_url()
    return request.build_absolute_uri(url) if url else None


# The getters of the tables below take (request, record).
def _attr(path):
    """The value at an attribute path of the record: "title", "source.title"."""
    get = attrgetter(path)
    return lambda request, item: get(item)


def _slug(path):
    """The slug of the record a foreign key names ("source.publisher"), or None when it is blank
    (read from the key's id, without loading anything)."""
    owner_path, _, field = path.rpartition(".")
    owner = attrgetter(owner_path) if owner_path else lambda item: item

    def get(request, item):
        holder = owner(item)
        return getattr(holder, field).slug if getattr(holder, f"{field}_id") else None

    return get


def _number(path):
    """A stored Decimal as a JSON number (core.numbers.json_number): 5.000000 → 5."""
    get = attrgetter(path)
    return lambda request, item: json_number(get(item))


def _page(request, item):
    return absolute_url(request, item)


class ClaimValues(NamedTuple):
    """A claim as its CSV row and JSON object read it: plain values only (slugs for related
    records, None for a blank key), from a model instance (of_claim) or straight from the
    database (of_figure, ClaimQuerySet.figures with VALUE_LOOKUPS), so that both write the same
    bytes through one table (CLAIM)."""

    ref: str
    source: str
    source_title: str
    publisher: str | None
    published: str
    question: str | None
    speaker: str | None
    cited_source: str | None
    cited_published: str
    qualifier: str
    value: object
    value_high: object
    unit: str
    as_of: str
    answer: str
    status: str
    quote: str
    paraphrase: str
    note: str
    links: list  # (kind, ref) of each link to a public claim
    linked_from: list  # (kind, ref) of each link from a public claim
    # Only for a compared record (compared_record): the question's, and the origin's label.
    question_title: str | None = None
    question_unit: str | None = None
    origin_label: str | None = None

    def get_absolute_url(self):
        return page_url("claim_detail", self.ref)

    def year(self):
        """(year, where it comes from), as claim_year() of the Claim."""
        return comparison.claim_year(self.as_of, self.cited_published, self.published)

    @classmethod
    def of_claim(cls, claim, *, compared=False):
        """A Claim's values (after with_related(): its related rows and links loaded)."""
        source, cited = claim.source, claim.cited_source if claim.cited_source_id else None
        return cls(
            ref=claim.ref,
            source=source.slug,
            source_title=source.title,
            publisher=source.publisher.slug if source.publisher_id else None,
            published=source.published,
            question=claim.question.slug if claim.question_id else None,
            speaker=claim.speaker.slug if claim.speaker_id else None,
            cited_source=cited.slug if cited else None,
            cited_published=cited.published if cited else "",
            qualifier=claim.qualifier,
            value=claim.value,
            value_high=claim.value_high,
            unit=claim.unit,
            as_of=claim.as_of,
            answer=claim.answer,
            status=claim.status,
            quote=claim.quote,
            paraphrase=claim.paraphrase,
            note=claim.note,
            links=[(kind, other.ref) for kind, other in claim.public_links()],
            linked_from=[(kind, other.ref) for kind, other in claim.public_linked_from()],
            question_title=claim.question.title if compared else None,
            question_unit=claim.question.unit if compared else None,
            origin_label=claim.origin_label if compared else None,
        )

    @classmethod
    def of_figure(cls, claim, links, *, question=None):
        """A ClaimFigure's values (ClaimQuerySet.figures(**VALUE_LOOKUPS)), with `links` (a
        LinkRefs) as ClaimQuerySet.public_link_refs gives them and the Question it is compared on, if any."""
        figure, extra = claim.figure, claim.extra
        return cls(
            ref=figure.ref,
            source=extra.source,
            source_title=extra.source_title,
            publisher=extra.publisher,
            published=figure.source_published,
            question=extra.question,
            speaker=extra.speaker,
            cited_source=extra.cited_source,
            cited_published=figure.cited_published,
            qualifier=figure.qualifier,
            value=figure.value,
            value_high=figure.value_high,
            unit=figure.unit,
            as_of=figure.as_of,
            answer=figure.answer,
            status=extra.status,
            quote=extra.quote,
            paraphrase=extra.paraphrase,
            note=extra.note,
            links=links.outgoing.get(figure.ref, []),
            linked_from=links.incoming.get(figure.ref, []),
            question_title=question.title if question else None,
            question_unit=question.unit if question else None,
            origin_label=claim.origin_label,
        )


# What ClaimQuerySet.figures reads, beside the figure, for ClaimValues.of_figure.
VALUE_LOOKUPS = {
    "source": "source__slug",
    "source_title": "source__title",
    "publisher": "source__publisher__slug",
    "question": "question__slug",
    "speaker": "speaker__slug",
    "cited_source": "cited_source__slug",
    "status": "status",
    "quote": "quote",
    "paraphrase": "paraphrase",
    "note": "note",
}


def claim_year(claim):
    """(year, where it comes from) of a Claim as the comparison takes it (comparison.claim_year):
    its as-of date, else its cited source's date, else its source's; (None, "") for none."""
    cited = claim.cited_source.published if claim.cited_source_id else ""
    return comparison.claim_year(claim.as_of, cited, claim.source.published)


class Link(dict):
    """A link to or from another claim: {"kind", "ref"} in the JSON, `kind:ref` in a CSV cell (as
    the links column of claims.csv writes it; a list of them is joined by "|")."""

    def __init__(self, kind, ref):
        super().__init__(kind=kind, ref=ref)

    def __str__(self):
        return f"{self['kind']}:{self['ref']}"


def _links(direction):
    """The claim's links to (`links`) or from (`linked_from`) public claims."""
    get = attrgetter(direction)
    return lambda request, claim: [Link(kind, ref) for kind, ref in get(claim)]


# The getters take (request, ClaimValues).
CLAIM = (
    ("ref", _attr("ref")),
    ("source", _attr("source")),
    ("source_title", _attr("source_title")),
    ("publisher", _attr("publisher")),
    ("published", _attr("published")),
    ("question", _attr("question")),
    ("speaker", _attr("speaker")),
    ("cited_source", _attr("cited_source")),
    (
        "stated",
        lambda request, claim: comparison.stated_figure(
            claim.qualifier, claim.value, claim.value_high, claim.unit, claim.answer
        ),
    ),
    ("qualifier", _attr("qualifier")),
    ("value", _number("value")),
    ("value_high", _number("value_high")),
    ("unit", _attr("unit")),
    ("as_of", _attr("as_of")),
    # The year the comparison takes, and where it comes from ("as_of", "cited_source", "source").
    ("year", lambda request, claim: claim.year()[0]),
    ("year_from", lambda request, claim: claim.year()[1]),
    ("answer", _attr("answer")),
    ("status", _attr("status")),
    ("quote", _attr("quote")),
    ("paraphrase", _attr("paraphrase")),
    ("note", _attr("note")),
    # Outgoing (this claim corrects, qualifies … the other) and incoming, to public claims only.
    ("links", _links("links")),
    ("linked_from", _links("linked_from")),
    ("url", _page),
)
CLAIM_COLUMNS = columns(CLAIM)


def claim_record(request, claim):
    """A Claim's record (after with_related())."""
    return claim_values_record(request, ClaimValues.of_claim(claim))


def claim_values_record(request, claim):
    """A claim's record from its ClaimValues."""
    return record(CLAIM, request, claim)


# A question with no public claim (none filed, or none matching the filters) reads "no claims" on
# its page; its stored verdict is "not comparable", so the data says the page's word instead.
NO_CLAIMS = "no claims"


def verdict_code(verdict, *, claims=None):
    """A question's `verdict` in the CSV and JSON: its Verdict's code, or "no claims" where the
    page's badge says so (display.badge)."""
    return None if verdict is None else NO_CLAIMS if claims == 0 else str(Verdict(verdict))


def verdict_label(verdict, *, series=False, claims=None):
    """The words of the page's badge for a verdict (display.badge): "close", "series" …"""
    return display.badge(verdict and Verdict(verdict), series=series, claims=claims)[1]


def _end(side):
    """An end of a standing's interval for JSON (display.json_end); None without an interval."""
    return lambda standing, unit: (
        display.json_end(getattr(standing.interval, side)) if standing.interval else None
    )


def _excluded(side):
    """Whether a finite end of a standing's interval is strict; None without one (open or none)."""

    def get(standing, unit):
        interval = standing.interval
        if interval is None or display.json_end(getattr(interval, side)) is None:
            return None
        return bool(getattr(interval, f"{side}_open"))

    return get


# How a claim stands against the others on its question: getters of (Standing, the question's unit).
STANDING = (
    ("normalised", lambda standing, unit: display.interval_text(standing.interval, unit)),
    ("low", _end("low")),
    ("high", _end("high")),
    # Whether a finite end is itself left out: "more than 90" is low 90, low_excluded true, high
    # empty (an open end, as the JSON's null); "at least 90" has low_excluded false.
    ("low_excluded", _excluded("low")),
    ("high_excluded", _excluded("high")),
    ("standing", lambda standing, unit: str(standing.relation)),
    ("agrees_with", lambda standing, unit: list(standing.agrees_with)),
    ("close_to", lambda standing, unit: list(standing.close_to)),
    ("conflicts_with", lambda standing, unit: list(standing.conflicts_with)),
    # The claims of its own origin that correct it, when its standing is "superseded".
    ("superseded_by", lambda standing, unit: list(standing.superseded_by)),
    ("origin", lambda standing, unit: standing.origin),
)
# Who the claim's origin is, and the claims that repeat it: getters of (ClaimValues, the
# comparison).
ORIGIN = (
    ("origin_label", lambda claim, outcome: claim.origin_label),
    ("echoes", lambda claim, outcome: list(outcome.standings[claim.ref].echoes)),
)
# The question a compared claim is on, as its page heads it: getters of (ClaimValues, the
# comparison).
# `verdict` is the question's verdict over the claims compared (verdict_code), on every row.
ON_QUESTION = (
    ("question_title", lambda claim, outcome: claim.question_title),
    ("question_unit", lambda claim, outcome: claim.question_unit),
    ("verdict", lambda claim, outcome: verdict_code(outcome.verdict)),
)
# The CSV puts the question's title, unit and verdict after its slug, and the standing right after
# what the claim states; the JSON object lists the claim's own fields first (as claim_record), then
# its question's, then its standing.
COMPARED_CLAIM_COLUMNS = [
    *CLAIM_COLUMNS[:6],
    *columns(ON_QUESTION),
    *CLAIM_COLUMNS[6:9],
    *columns(STANDING),
    *columns(ORIGIN),
    *CLAIM_COLUMNS[9:],
]


def compared_record(request, claim, outcome):
    """A Claim (after with_related()) and its standing in `outcome` (a QuestionComparison that
    judged it)."""
    return compared_values_record(request, ClaimValues.of_claim(claim, compared=True), outcome)


def compared_values_record(request, claim, outcome):
    """A claim's ClaimValues (with its question's and origin's) and its standing in `outcome`."""
    standing = outcome.standings[claim.ref]
    return {
        **record(CLAIM, request, claim),
        **record(ON_QUESTION, claim, outcome),
        **record(STANDING, standing, outcome.unit),
        **record(ORIGIN, claim, outcome),
    }


def _spread_open(side):
    """Whether the stored spread runs on past its `side` end; None when there is no spread."""

    def get(request, question):
        summary = question.summary
        return None if summary.spread is None else getattr(summary, f"spread_open_{side}")

    return get


QUESTION = (
    ("slug", _attr("slug")),
    ("title", _attr("title")),
    ("kind", _attr("kind")),
    ("unit", _attr("unit")),
    # How its claims are compared: what decides the verdict beside the claims themselves.
    ("tolerance", _number("tolerance")),
    ("lower_bound", _number("lower_bound")),
    ("upper_bound", _number("upper_bound")),
    ("drift", _number("drift")),
    (
        "verdict",
        lambda request, question: verdict_code(
            question.summary.verdict, claims=question.summary.claim_count
        ),
    ),
    (
        "verdict_label",
        lambda request, question: verdict_label(
            question.summary.verdict,
            series=display.answer_series(question.kind, question.summary.series),
            claims=question.summary.claim_count,
        ),
    ),
    ("claims", _attr("summary.claim_count")),
    ("sources", _attr("summary.source_count")),
    ("independent_origins", _attr("summary.independent_origins")),
    ("spread_low", lambda request, question: (question.summary.spread or (None, None))[0]),
    ("spread_high", lambda request, question: (question.summary.spread or (None, None))[1]),
    # The spread's finite ends and whether some claim runs on past them ("90 – 98+%": high 98,
    # spread_open_high true), as the question page's JSON `spread` has them (open_low, open_high).
    ("spread_open_low", _spread_open("low")),
    ("spread_open_high", _spread_open("high")),
    ("url", _page),
)
QUESTION_COLUMNS = columns(QUESTION)


def question_record(request, question):
    """A question with its QuestionSummary (claims.summaries.summarised)."""
    return record(QUESTION, request, question)


SOURCE = (
    ("slug", _attr("slug")),
    ("title", _attr("title")),
    ("kind", _attr("kind")),
    ("publisher", _slug("publisher")),
    ("authors", _attr("author_list")),
    ("published", _attr("published")),
    ("url", _attr("url")),
    ("language", _attr("language")),
    ("notes", _attr("notes")),
    ("claims", _attr("claim_count")),
    ("page", _page),
)
SOURCE_COLUMNS = columns(SOURCE)


def source_record(request, source):
    """A source annotated with its public `claim_count`."""
    return record(SOURCE, request, source)


ACTOR = (
    ("slug", _attr("slug")),
    ("name", _attr("name")),
    ("kind", _attr("kind")),
    ("country", _attr("country")),
    ("parent", _slug("parent")),
    ("aliases", _attr("alias_list")),
    ("wikidata_id", _attr("wikidata_id")),
    ("page", _page),
)
ACTOR_COLUMNS = columns(ACTOR)


def actor_record(request, actor):
    return record(ACTOR, request, actor)


METAL = (
    ("symbol", _attr("symbol")),
    ("name", _attr("name")),
    ("atomic_number", _attr("atomic_number")),
    ("category", _attr("category")),
    ("members", lambda request, metal: [member.symbol for member in metal.members.all()]),
    ("claims", _attr("claim_count")),
    ("page", _page),
)
METAL_COLUMNS = columns(METAL)


def metal_record(request, metal):
    """A metal annotated with its public `claim_count`, its members prefetched."""
    return record(METAL, request, metal)


@dataclass(frozen=True)
class _Hit:
    """One search result, whatever kind of record it is."""

    type: str
    key: str
    label: str
    text: str
    page: object  # the record, for its address


SEARCH = (
    ("type", _attr("type")),
    ("key", _attr("key")),
    ("label", _attr("label")),
    ("text", _attr("text")),
    ("url", lambda request, hit: absolute_url(request, hit.page)),
)
SEARCH_COLUMNS = columns(SEARCH)


def search_records(request, claims, sources, actors):
    """The search results, claims then sources then actors: what each kind gives as its key,
    label and text."""
    hits = [
        *(_Hit("claim", c.ref, c.source.title, c.quote, c) for c in claims),
        *(
            _Hit("source", s.slug, s.title, s.publisher.name if s.publisher else "", s)
            for s in sources
        ),
        *(_Hit("actor", a.slug, a.name, " | ".join(a.alias_list), a) for a in actors),
    ]
    return [record(SEARCH, request, hit) for hit in hits]


# A comparison of two sources, one row per question both address and one per claim only one of
# them makes. The row's own columns are getters of the row; each side's columns (a_says, b_says,
# a_refs, …) are getters of (what that side's claims say, the claims). A claim only one source
# makes has its own side's columns only: its JSON object names no other side.
COMPARED_ROW = (
    ("question", lambda row: row.question.slug if row.question else ""),
    ("title", lambda row: row.question.title if row.question else ""),
    ("verdict", lambda row: row.verdict),
    # The words of the page's badge between the two ("series" where the stored code is single).
    ("verdict_label", lambda row: row.label),
)
COMPARED_SIDE = (
    ("says", lambda says, claims: says),
    ("refs", lambda says, claims: [c.ref for c in claims]),
    # The team's notes, one per ref (blank where a claim has none).
    ("notes", lambda says, claims: [c.note for c in claims]),
)
COMPARE_COLUMNS = [
    *columns(COMPARED_ROW),
    *(f"{side}_{name}" for name in columns(COMPARED_SIDE) for side in "ab"),
]


@dataclass(frozen=True)
class _ComparedRow:
    question: object  # a Question, or None for a claim not filed under one
    verdict: str
    label: str
    sides: dict  # "a" and/or "b" -> (what its claims say, the claims)


def compare_rows(result):
    """The rows of a comparison of two sources (pages.views.compare), questions first."""
    rows = [
        _ComparedRow(
            shared["question"],
            shared["verdict"],
            shared["badge"][1],
            {
                side: (" / ".join(c.stated_figure() for c in shared[side]), shared[side])
                for side in "ab"
            },
        )
        for shared in result["shared"]
    ]
    # A claim alone says what its figure says or, without one, what its quote says.
    rows += [
        _ComparedRow(
            claim.question,
            f"only {side}",
            f"only {side}",
            {side: (claim.stated_figure() or claim.quote, [claim])},
        )
        for side in "ab"
        for claim in result[f"only_{side}"]
    ]
    return [
        {
            **record(COMPARED_ROW, row),
            **{
                f"{side}_{name}": get(*row.sides[side])
                for name, get in COMPARED_SIDE
                for side in "ab"
                if side in row.sides
            },
        }
        for row in rows
    ]


def origins_record(outcome, records):
    """Each origin of the question's claims, in the order its first claim is listed: its key,
    label, claims and whether they all agree; `records` are compared_record of each claim."""
    label_of = {claim["ref"]: claim["origin_label"] for claim in records}
    return [
        {
            "key": key,
            "label": label_of[refs[0]],
            "claims": refs,
            "consistent": outcome.consistent[key],
        }
        for key, refs in outcome.origins.items()
    ]


def question_document(request, question, outcome, records):
    """The question page's JSON: the question, its verdict, spread and consensus, and `records`
    (compared_record of each claim)."""
    spread = outcome.spread
    consensus = outcome.consensus
    return {
        "question": {
            "slug": question.slug,
            "title": question.title,
            "kind": question.kind,
            "unit": question.unit,
            "tolerance": json_number(question.tolerance),
            # What else decides the verdict: figures are clipped to the bounds (null: none) and
            # compared across years allowing the drift per year.
            "lower_bound": json_number(question.lower_bound),
            "upper_bound": json_number(question.upper_bound),
            "drift": json_number(question.drift),
            "url": absolute_url(request, question),
        },
        "verdict": verdict_code(outcome.verdict, claims=len(records)),
        "verdict_label": verdict_label(
            outcome.verdict,
            series=display.answer_series(outcome.kind, outcome.series),
            claims=len(records),
        ),
        "series": outcome.series,
        "years": outcome.years,
        "independent_origins": outcome.independent_origins,
        "origins": origins_record(outcome, records),
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
        "verdict_history": summaries.verdict_history(question),  # newest first
        "claims": records,
    }
