"""What the pages' CSV and JSON hold: the column lists, and each record as a dict of plain values.

The views build these records once and hand them to pages.respond, which writes them as CSV
(the columns in order) or JSON.
"""

from . import display

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


def claim_record(request, claim):
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
        "url": absolute_url(request, claim),
    }


def compared_record(request, claim, outcome):
    standing = outcome.standings[claim.ref]
    interval = standing.interval
    return {
        **claim_record(request, claim),
        "normalised": display.interval_text(interval, outcome.unit),
        "low": display.json_end(interval.low) if interval else None,
        "high": display.json_end(interval.high) if interval else None,
        "standing": str(standing.relation),
        "agrees_with": list(standing.agrees_with),
        "close_to": list(standing.close_to),
        "conflicts_with": list(standing.conflicts_with),
        "origin": standing.origin,
    }


def absolute_url(request, record):
    """The full address of a record's page for the CSV and JSON; None when it has none (a key
    stored around validation, see core.links.page_url)."""
    url = record.get_absolute_url()
    return request.build_absolute_uri(url) if url else None


def _number(value):
    """A stored Decimal as a plain number for CSV and JSON: 5.000000 → 5, 28.500000 → 28.5."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def source_record(request, source):
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
        "page": absolute_url(request, source),
    }


def actor_record(request, actor):
    return {
        "slug": actor.slug,
        "name": actor.name,
        "kind": actor.kind,
        "country": actor.country,
        "parent": actor.parent.slug if actor.parent_id else None,
        "aliases": actor.alias_list,
        "wikidata_id": actor.wikidata_id,
        "page": absolute_url(request, actor),
    }


def question_document(request, question, outcome, records):
    spread = outcome.spread
    consensus = outcome.consensus
    return {
        "question": {
            "slug": question.slug,
            "title": question.title,
            "kind": question.kind,
            "unit": question.unit,
            "tolerance": _number(question.tolerance),
            "url": absolute_url(request, question),
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
