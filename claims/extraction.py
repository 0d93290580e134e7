"""Finding the figures in a text: candidate claims for a curator to confirm.

Pure like `claims.comparison`: the standard library and the comparison's vocabularies only, no
Django, no database. What the database knows (actors with their aliases, sources, questions,
metals) comes in as plain values (`Known`); the command `extract_claims` reads them from the
database, the tests write them by hand. docs/extraction.md says what is found, what is not, and
how well it does on the seed documents.

A figure is a number tied to one of the project's units (claims.comparison.UNITS): a mass
("28.5 million tons" → 28.5 Mt, "MT" is metric tons), a share ("per cent", "percent", "%", "half",
"one-third"), a rank ("fifth-largest", "ranked 6th", "second place"), a multiple ("tripling",
"threefold") or a count of things the trade press counts ("seven REEs", "15 rare-earth metals").
A bare number is not a figure: a year, a day of the month, a footnote mark or "15 years" has no
unit of the vocabulary, so it is never proposed. A sum of money is recognised (so it is never
misread as a count) but proposed only once the vocabulary has a unit for its currency
(`CURRENCIES`); yes/no statements ("Beijing has not agreed") are out of scope.

Each candidate carries its verbatim quote (the clause that states it when a sentence states several
figures, else the sentence) with offsets into the text, the qualifier, value and unit in the
project's codes, the year or date the same sentence ties it to, the citation in the sentence
matched to a known source, the known actor named as saying it, and up to three known questions
ranked by fit.
"""

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

from claims.comparison import QUALIFIERS, UNITS
from core.numbers import json_number

# -- What the database knows, as plain values -------------------------------------------------


@dataclass(frozen=True)
class KnownActor:
    """An actor the text may name: "Manturov", "the Ministry of Natural Resources"."""

    slug: str
    name: str
    aliases: tuple[str, ...] = ()
    kind: str = ""  # Actor.Kind: "country" actors stand for every actor of their country
    parent: str = ""  # the parent actor's slug
    country: str = ""  # ISO 3166-1 alpha-2


@dataclass(frozen=True)
class KnownSource:
    """A source a citation may name: "(International Energy Agency, October 23, 2025)"."""

    slug: str
    title: str = ""
    publisher: str = ""  # the publisher actor's slug
    published: str = ""  # a partial date: "2025", "2025-10", "2025-10-23"


@dataclass(frozen=True)
class KnownQuestion:
    """A question a figure may belong to."""

    slug: str
    title: str
    kind: str = "quantity"  # claims.comparison.KINDS
    unit: str = ""  # claims.comparison.UNITS
    subjects: tuple[str, ...] = ()  # actor slugs
    metals: tuple[str, ...] = ()  # metal symbols
    description: str = ""


@dataclass(frozen=True)
class KnownMetal:
    """A metal or a group of metals ("REE" with its members)."""

    symbol: str
    name: str
    members: tuple[str, ...] = ()  # member symbols, for a group


@dataclass(frozen=True)
class Known:
    """Everything the extraction may match a text against; all of it optional."""

    actors: tuple[KnownActor, ...] = ()
    sources: tuple[KnownSource, ...] = ()
    questions: tuple[KnownQuestion, ...] = ()
    metals: tuple[KnownMetal, ...] = ()


# -- What the extraction returns --------------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    """A citation in the quote's sentence, and the known source it names ("" when none fits)."""

    text: str
    source: str = ""


@dataclass(frozen=True)
class Suggestion:
    """A question the figure may belong to, with a score in [0, 1] (higher fits better)."""

    question: str
    score: float


@dataclass(frozen=True)
class Candidate:
    """One figure found in the text: a claim a curator may confirm.

    `value`/`value_high` are in `unit` (one of claims.comparison.UNITS); `value_high` is set only
    for "between". `start`/`end` are offsets of `quote` in the text (`text[start:end] == quote`).
    """

    quote: str
    start: int
    end: int
    qualifier: str  # one of claims.comparison.QUALIFIERS
    value: Decimal
    value_high: Decimal | None
    unit: str
    as_of: str = ""  # "2030", "2025-02", "2025-02-24" or ""
    cited: Citation | None = None
    speaker: str = ""  # a known actor's slug, or ""
    questions: tuple[Suggestion, ...] = ()

    def as_dict(self) -> dict:
        """The candidate as JSON-ready values: numbers as numbers, in the candidate's unit."""
        return {
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "qualifier": self.qualifier,
            "value": json_number(self.value),
            "value_high": json_number(self.value_high),
            "unit": self.unit,
            "as_of": self.as_of,
            "cited": None
            if self.cited is None
            else {"text": self.cited.text, "source": self.cited.source or None},
            "speaker": self.speaker or None,
            "questions": [{"question": s.question, "score": s.score} for s in self.questions],
        }


# -- The vocabulary of the trade press --------------------------------------------------------

# Number words (a compound such as "twenty-five" or "three hundred" is parsed by `_word_number`).
_ONES = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_BIG = {"hundred": 100, "thousand": 1000}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20,
}  # fmt: skip
# Shares said in words, in percent.
_FRACTIONS = {
    "half": Decimal(50), "a half": Decimal(50), "one half": Decimal(50),
    "a third": Decimal("33.33"), "one third": Decimal("33.33"), "two thirds": Decimal("66.67"),
    "a quarter": Decimal(25), "one quarter": Decimal(25), "three quarters": Decimal(75),
    "a fifth": Decimal(20), "one fifth": Decimal(20), "two fifths": Decimal(40),
    "three fifths": Decimal(60), "four fifths": Decimal(80),
    "a tenth": Decimal(10), "one tenth": Decimal(10),
}  # fmt: skip
_MULTIPLES = {"doubl": 2, "tripl": 3, "quadrupl": 4}
_FOLDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10}  # fmt: skip

# Scale words after a number: "28.5 million", "3.8 mln", "1.42 thousand".
_SCALES = {
    "thousand": Decimal(10) ** 3, "k": Decimal(10) ** 3,
    "million": Decimal(10) ** 6, "mln": Decimal(10) ** 6, "mn": Decimal(10) ** 6,
    "m": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9, "bln": Decimal(10) ** 9, "bn": Decimal(10) ** 9,
    "trillion": Decimal(10) ** 12,
}  # fmt: skip
# Mass units, in tonnes. "MT"/"mt" is the trade press's metric ton, never a megatonne; only the
# SI spelling "Mt" (and the words) are megatonnes.
_MASS_UNITS = [
    (r"million\s+metric\s+tons?|million\s+metric\s+tonnes?|MMT", Decimal(10) ** 6),
    (r"megatonnes?|megatons?|Mt", Decimal(10) ** 6),
    (r"kilotonnes?|kilotons?|kt", Decimal(10) ** 3),
    (r"metric\s+tons?|metric\s+tonnes?|tonnes?|tons?|MT|mt|t", Decimal(1)),
    (r"kilograms?|kg", Decimal("0.001")),
]
# Money: the vocabulary's unit code for each currency. A figure in a currency is proposed only
# when claims.comparison.UNITS has its code (see docs/extraction.md).
CURRENCIES = {
    "US$": "USD", "$": "USD", "dollars": "USD", "dollar": "USD", "USD": "USD",
    "€": "EUR", "euros": "EUR", "euro": "EUR", "EUR": "EUR",
    "£": "GBP", "pounds": "GBP", "GBP": "GBP",
    "¥": "CNY", "yuan": "CNY", "renminbi": "CNY", "RMB": "CNY", "CNY": "CNY",
    "₽": "RUB", "rubles": "RUB", "roubles": "RUB", "ruble": "RUB", "rouble": "RUB", "RUB": "RUB",
}  # fmt: skip

# Qualifiers written before a figure, longest first; the code is one of comparison.QUALIFIERS.
# "no more than" before "more than": the first that matches wins.
_QUALIFIERS_BEFORE = [
    ("at_least", "at least|no less than|not less than|no fewer than|a minimum of"),
    ("at_most", "at most|up to|no more than|not more than|a maximum of|as much as|as many as|as high as"),
    ("more_than", "more than|greater than|higher than|in excess of|upwards of|over|above|exceeding|beyond|just over|well over"),
    ("less_than", "less than|fewer than|under|below|just under"),
    ("nearly", "nearly|almost|close to|just shy of|not quite"),
    ("about", "about|around|approximately|approx\\.|roughly|some|an estimated|estimated|circa|ca\\.|c\\.|~|an average of|on average"),
]  # fmt: skip
_QUALIFIERS_AFTER = [("at_least", "or more|or above"), ("at_most", "or less|or fewer|or below"),
                     ("about", "or so")]  # fmt: skip
# Words that may stand between a qualifier and its figure: "only about 50", "over a third".
_FILLER = r"(?:only\s+|just\s+|the\s+full\s+|a\s+mere\s+|a\s+whopping\s+|fully\s+)?"

_MONTH_NAMES = (
    "january february march april may june july august september october november december"
)
_MONTHS = {m: i + 1 for i, m in enumerate(_MONTH_NAMES.split())}
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)(?![a-z])"  # fmt: skip

# Things the trade press counts: "seven REEs", "15 rare-earth metals", "three new mines".
_COUNT_NOUNS = (
    r"REEs|rare[- ]earths|rare[- ]earth\s+(?:elements|metals|oxides|deposits|projects|mines)|"
    r"elements|metals|minerals|oxides|mines|deposits|projects|plants|refineries|smelters|"
    r"countries|nations|companies|firms|licen[cs]es|fields|sites|facilities|producers|suppliers|"
    r"materials|products|commodities"
)
# Words that start a new statement inside a sentence: a clause ends before them.
_SPEECH_VERBS = (
    r"said|says|say|explained|explains|estimates|estimated|estimate|claims|claimed|claim|told|"
    r"tells|admitted|admits|announced|announces|reported|reports|noted|notes|stated|states|"
    r"proposed|proposes|aims|aimed|plans|planned|expects|expected|forecasts?|forecasted|"
    r"calls\s+for|called\s+for|believes|believed|wrote|writes|argued|argues|added|adds|"
    r"confirmed|confirms|projected|calculated|calculates|insists"
)

_NUMBER_WORDS = "|".join(sorted(list(_ONES) + list(_BIG), key=len, reverse=True))
_WORD_NUMBER = rf"(?:{_NUMBER_WORDS})(?:[- ](?:{_NUMBER_WORDS}))*"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUMBER_RE = re.compile(
    rf"(?<![\w.,/-])(?:(?P<digits>{_DIGITS})(?![\w%]|[.,]\d)|(?P<digits_pct>{_DIGITS})(?=%)"
    rf"|(?P<words>\b{_WORD_NUMBER}\b))",
    re.IGNORECASE,
)
# The second number of a range ("20-30 percent"), right after its dash.
_NUMBER_AFTER_RE = re.compile(
    rf"(?:(?P<digits>{_DIGITS})(?![\w%]|[.,]\d)|(?P<digits_pct>{_DIGITS})(?=%)|(?P<words>{_WORD_NUMBER}\b))",
    re.IGNORECASE,
)
_SCALE_RE = re.compile(
    r"\s*(?:(thousand|million|billion|trillion|mln|bln|mn|bn)\b|(m|k)\b(?=\s*(?:tons?|tonnes?|t\b)))",
    re.IGNORECASE,
)
_MASS_RE = [
    # "12 ktpa", "50 t/y": a yearly rate is still a mass in the vocabulary (the question says "a year").
    (re.compile(rf"(?:\s*-\s*|\s*)(?:{pattern})(?:pa|py|/y(?:ea)?r?|/a)?(?![\w])"), factor)
    for pattern, factor in _MASS_UNITS
]
_PERCENT_RE = re.compile(
    r"\s*(?:%|-?\s*per[\s-]?cent\b|pct\b|percentage\s+points?\b)", re.IGNORECASE
)
# "99.99% pure", "5% grade", "99.995% gallium": a purity or grade, not a share of anything.
_PURITY_AFTER_RE = re.compile(r"\s*(?:pure|purity|grade)\b", re.IGNORECASE)
_SHARE_AFTER_RE = re.compile(r"\s*(?:of|in|from|for|share)\b", re.IGNORECASE)
_SHARE_BEFORE_RE = re.compile(
    r"\b(?:share|accounts?\s+for|accounted\s+for|controls?|supplie[sd]|dominance)\b", re.IGNORECASE
)
_RANGE_RE = re.compile(r"\s*(?:-|–|—|to|and)\s*", re.IGNORECASE)
_COUNT_RE = re.compile(
    rf"\s+(?:(?!of\b|in\b|per\b|percent\b|years?\b|times\b)[A-Za-z][\w’'-]*\s+){{0,2}}(?:{_COUNT_NOUNS})\b"
)
# "$1.2 billion", and the codes the financial press puts first: "USD 1.6 billion", "RUB 10 billion".
_CURRENCY_BEFORE_RE = re.compile(r"(US\$|\$|€|£|¥|₽|\b(?:USD|EUR|GBP|CNY|RMB|RUB)\s)\s*$")
# A sum followed by "per tonne", "a tonne", "/kg", or a range of them ("$600-$650 per tonne"), is a
# price: per tonne or per kilogram a price unit of the vocabulary (comparison.UNITS, "USD/t"), per
# any other unit (a pound, an ounce, a metric tonne unit of 10 kg) none, so no figure at all.
_PRICE_AFTER_RE = re.compile(
    r"(?:\s*(?:-|–|to)\s*(?:US\$|\$|€|£|¥|₽)?\s*(?P<high>\d[\d,]*(?:\.\d+)?)"
    r"(?:\s*(?P<scale>million|billion|mln|bn|mn|m|k)\b)?)?"
    r"\s*(?:(?:per|a|an)\s+|/\s*)(?:(?:metric|dry)\s+){0,2}"
    r"(?:(?P<kg>kilograms?|kilos?|kg)\b|(?P<t>tonnes?|tons?|mt|t)\b(?!\s+units?\b)"
    r"|(?:(?:tonnes?|tons?)\s+units?|grams?|g|lbs?|pounds?|ounces?|oz|units?|mtu|barrels?|shares?|short\s+tons?|[kM]Wh)\b)",
    re.IGNORECASE,
)
_CURRENCY_AFTER_RE = re.compile(
    r"\s*(dollars?|euros?|pounds|yuan|renminbi|rubles?|roubles?|USD|EUR|GBP|CNY|RMB|RUB)\b"
)
_QUALIFIER_BEFORE_RE = [
    (code, re.compile(rf"(?<![\w])(?:{words})\s+{_FILLER}$", re.IGNORECASE))
    for code, words in _QUALIFIERS_BEFORE
]
_ONLY_FILLER_RE = re.compile(rf"(?<![\w]){_FILLER}$", re.IGNORECASE)
_BETWEEN_RE = re.compile(r"(?<![\w])between\s+$", re.IGNORECASE)
_FROM_RE = re.compile(r"(?<![\w])from\s+(?:\S+\s+){0,2}$", re.IGNORECASE)
_QUALIFIER_AFTER_RE = [
    (code, re.compile(rf"\s+(?:{words})\b", re.IGNORECASE)) for code, words in _QUALIFIERS_AFTER
]

_ORDINAL = rf"(?:{'|'.join(_ORDINALS)}|\d+(?:st|nd|rd|th))"
_RANK_RES = [
    # "fifth-largest", "second largest", "third-biggest producer"
    re.compile(
        rf"\b(?P<n>{_ORDINAL})[- ](?:largest|biggest|greatest|highest|leading|richest|top|most\s+important|ranked)\b",
        re.IGNORECASE,
    ),
    # "ranked 6th", "is ranked second", "ranks third", "ranking No. 2"
    re.compile(rf"\b(?:ranked|ranks|ranking|rank)\s+(?:No\.\s*)?(?P<n>{_ORDINAL}|\d+)\b", re.I),
    # "second place", "in 3rd place"
    re.compile(rf"\b(?P<n>{_ORDINAL})\s+place\b", re.IGNORECASE),
    # "No. 2 producer", "number two supplier"
    re.compile(
        r"\b(?:No\.|number)\s*(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
        r"(?:producer|supplier|exporter|importer|holder|miner|refiner|consumer)\b",
        re.IGNORECASE,
    ),
    # "the world's largest producer", "the top nickel producer", "the biggest exporter"
    re.compile(r"\bworld[’']s\s+(?P<one>largest|biggest|top|leading)\b", re.IGNORECASE),
    re.compile(
        r"\bthe\s+(?P<one>top|largest|biggest|leading)\s+(?:[A-Za-z][\w-]*\s+){0,2}?"
        r"(?:producer|supplier|exporter|importer|miner|refiner|processor|consumer|holder)s?\b",
        re.IGNORECASE,
    ),
]
# "among the top five producers" (not "the top 10 producers account for …": no claim of a place).
_TOP_RE = re.compile(
    rf"\b(?:among|in|into)\s+the\s+(?:world[’']s\s+)?top\s+(?P<n>\d+|{'|'.join(list(_ONES)[2:11])})\b",
    re.I,
)
_MULTIPLE_RES = [
    re.compile(
        r"\b(?P<verb>doubl|tripl|quadrupl)(?:e|es|ed|ing)\b(?![- ](?:digit|standard|down|edged|A\b))",
        re.IGNORECASE,
    ),
    re.compile(rf"\b(?P<n>\d+(?:\.\d+)?|{'|'.join(_FOLDS)})[- ]?fold\b", re.IGNORECASE),
    # "3 times higher", "nearly forty times the 50 tonnes of last year"
    re.compile(
        rf"\b(?P<n>\d+(?:\.\d+)?|{_WORD_NUMBER})\s*(?:times|x)\s+"
        r"(?:more|higher|larger|greater|bigger|as\s+(?:much|many|large|high)|the|that|what|current)\b",
        re.IGNORECASE,
    ),
]
# "between threefold and fourfold", "threefold to fourfold": once both are read, one range.
_MULTIPLE_RANGE_RE = re.compile(r"\s*(?:and|to|or|-|–)\s*", re.IGNORECASE)
# "one-third of", "half the", "(cut) by half": a share said in words.
_FRACTION_RE = re.compile(
    r"\b(?P<f>(?:a|one|two|three|four)[- ](?:half|third|thirds|quarter|quarters|fifth|fifths|tenth)|half)\b"
    r"(?P<of>(?=\s+(?:of|the)\b))?",
    re.IGNORECASE,
)
_BY_RE = re.compile(
    r"\bby\s+(?:nearly\s+|almost\s+|more\s+than\s+|about\s+|around\s+|over\s+)?$", re.I
)
# "the first half of 2025", "half of the year": a period, not a share.
_PERIOD_AFTER_RE = re.compile(
    r"\s+(?:of|the)\s+(?:the\s+|this\s+|next\s+|last\s+|that\s+)?(?:year|decade|century|month|quarter|(?:19|20)\d\d)\b"
    # … but "half of 2022 levels" is a share of that year's figure
    r"(?![’']?s?\s+(?:levels?|output|production|volumes?|sales|exports|imports|demand|supply|figures?|totals?|capacity)\b)",
    re.IGNORECASE,
)
_PERIOD_BEFORE_RE = re.compile(
    r"(?:first|second|latter|former|past|last|next|and\s+a)[\s-]+$", re.IGNORECASE
)

_DATE_RE = re.compile(
    rf"\b(?:(?P<month>{_MONTH})\s+(?:(?P<day>\d{{1,2}}),?\s+)?)?(?P<year>(?:19|20)\d{{2}})\b(?![\w%])"
)
_CITATION_DATE_RE = re.compile(
    rf"\b(?P<month>{_MONTH})(?:\s+(?P<day>\d{{1,2}}))?(?:,?\s+(?P<year>(?:19|20)\d{{2}}))?|\b(?P<y>(?:19|20)\d{{2}})\b"
)
# "the lowest since 2021", "up from 2015": a year compared with, not the figure's own.
_NOT_AS_OF_RE = re.compile(r"\b(?:since|from|than\s+in|than)\s+$", re.IGNORECASE)
_PARENS_RE = re.compile(r"\(([^()]{2,300})\)")
_ABBREVIATIONS = {
    "u.s", "u.k", "e.g", "i.e", "mr", "mrs", "ms", "dr", "st", "no", "inc", "ltd", "co", "corp",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "vs",
    "approx", "ca", "c", "est", "gov", "prof", "gen", "sen", "rep", "dept", "fig",
}  # fmt: skip
_SENTENCE_END_RE = re.compile(r"[.!?…]+[”\"’')\]]*(?=\s+[“\"‘(\[]?[A-Z0-9А-Я])|\n+")
_CLAUSE_BREAK_RE = re.compile(r"[;:]\s+|,\s+(?!\d{3}\b)|\s+(?:and|but|while|whereas)\s+|\s+[–—]\s+")

_STOPWORD_TEXT = (
    "a an the of in on at to for from by with and or but its it is are was were be been has have "
    "had that this these those as than then there their they them which who whom what when where "
    "how any all some such not no nor only also more most less least over about around nearly "
    "per percent cent tons tonnes ton tonne million billion thousand world world’s global "
    "s ’s year years annual annually yearly"
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


# -- Extraction -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Figure:
    start: int  # where the stated figure starts (qualifier included), for the clause split
    end: int
    qualifier: str
    value: Decimal
    value_high: Decimal | None
    unit: str


def extract(text: str, known: Known = Known(), *, published: str = "") -> list[Candidate]:
    """The figures in `text`, in their order, as candidate claims.

    `known` is what the database knows (actors, sources, questions, metals); `published` is the
    document's own publication date, used to choose between sources a citation could name
    ("according to Vedomosti": the latest Vedomosti source published by then).
    """
    index = _index(known)
    figures = _figures(text)
    sentences = _sentences(text)
    candidates = []
    figure_at = 0
    for number, (s_start, s_end) in enumerate(sentences):
        in_sentence = []
        while figure_at < len(figures) and figures[figure_at].start < s_end:
            if figures[figure_at].start >= s_start:
                in_sentence.append(figures[figure_at])
            figure_at += 1
        if not in_sentence:
            continue
        context_start = sentences[max(0, number - 2)][0]
        sentence = _Sentence(text, s_start, s_end, context_start, index, published)
        for i, figure in enumerate(in_sentence):
            c_start, c_end = _clause(text, s_start, s_end, in_sentence, i)
            candidates.append(sentence.candidate(figure, c_start, c_end))
    return candidates


def _figures(text: str) -> list[_Figure]:
    """Every stated figure, in order, none overlapping another."""
    found = _numeric_figures(text) + _word_figures(text)
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[_Figure] = []
    for figure in found:
        if kept and figure.start < kept[-1].end:
            continue
        kept.append(figure)
    return _prices_by_neighbour(text, kept)


# What ties a sum to the price just before or after it: "$1,150 per kilogram, up from $300".
_PRICE_LINK_RE = re.compile(
    r"(?:\bfrom|\bto|\bcompared\s+(?:with|to)|\bagainst|\bversus|\bvs\.?)\s*$", re.IGNORECASE
)


def _prices_by_neighbour(text: str, figures: list[_Figure]) -> list[_Figure]:
    """A sum stated next to a price of its currency, linked to it ("rose to $1,150 per kilogram
    in October, up from about $300"), is the same price: the press names the mass once."""
    for i, figure in enumerate(figures):
        for j in (i - 1, i + 1):
            if not 0 <= j < len(figures) or figures[j].unit.split("/")[0] != figure.unit:
                continue
            if figures[j].unit == figure.unit:
                continue
            a, b = sorted((figures[i], figures[j]), key=lambda f: f.start)
            between = text[a.end : b.start]
            if len(between) <= 40 and "." not in between and _PRICE_LINK_RE.search(between):
                figures[i] = replace(figure, unit=figures[j].unit)
                break
    return figures


def _numeric_figures(text: str) -> list[_Figure]:
    figures = []
    consumed = 0
    for match in _NUMBER_RE.finditer(text):
        if match.start() < consumed:
            continue
        stated = _scaled_number(text, match)
        if stated is None:
            continue
        value, end, unit, scale, _ = stated
        qualifier = ""
        low = value
        high = None
        start = match.start()
        if unit is None:
            # "2 to 3 percent", "10-20 million tons": the first number takes the second's unit.
            joined = _RANGE_RE.match(text, end)
            second = _NUMBER_AFTER_RE.match(text, joined.end()) if joined else None
            stated2 = _scaled_number(text, second) if second else None
            if stated2 is None or stated2[2] is None:
                count = _count(text, match, value)
                if count is not None:
                    figures.append(count)
                    consumed = count.end
                continue
            value2, end2, unit, scale2, factor2 = stated2
            # "1.5 and 2 million tonnes": both are millions of tonnes; "2-3 kg" both kilograms.
            low = value * factor2 * (scale2 if scale2 and not scale else 1)
            before = text[max(0, start - 40) : start]
            if _in_unit(value2, unit) <= _in_unit(low, unit):
                start, low = second.start(), value2  # "30-20 percent" is no range: the second
            elif _FROM_RE.search(before):
                # "from 20 to 30 tons": two figures, a before and an after.
                figures.append(_qualified(text, start, end, "", _in_unit(low, unit), None, unit))
                start, low = second.start(), value2
            else:
                high = value2
                qualifier = "between"
            end = end2
        if unit[0] == "%" and high is None and _is_purity(text, end, low, start):
            consumed = end
            continue
        figures.append(
            _qualified(
                text,
                start,
                end,
                qualifier,
                _in_unit(low, unit),
                None if high is None else _in_unit(high, unit),
                unit,
            )
        )
        consumed = end
    return [f for f in figures if f is not None]


def _stated_number(text, match) -> tuple[Decimal, int, tuple[str, Decimal] | None] | None:
    """The number at `match` with its scale and unit: (value, end, (unit, factor) or None)."""
    stated = _scaled_number(text, match)
    return None if stated is None else stated[:3]


def _scaled_number(text, match):
    """(value, end, (unit, factor) or None, scale, unit factor): the scale word's multiplier
    (or None) and the factor of the unit as written to the value's (kg to tonnes: 0.001)."""
    digits = match.group("digits") or match.group("digits_pct")
    if digits:
        value = Decimal(digits.replace(",", ""))
    else:
        value = _word_number(match.group("words"))
        if value is None:
            return None
    end = match.end()
    scale = _SCALE_RE.match(text, end)
    if scale:
        value *= _SCALES[(scale.group(1) or scale.group(2)).lower()]
        end = scale.end()
        scale_word = (scale.group(1) or scale.group(2)).lower()
    else:
        scale_word = ""
    multiplier = _SCALES[scale_word] if scale_word else None
    percent = _PERCENT_RE.match(text, end)
    if percent:
        return value, percent.end(), ("%", Decimal(1)), multiplier, Decimal(1)
    for pattern, factor in _MASS_RE:
        mass = pattern.match(text, end)
        if mass:
            tonnes = value * factor
            unit = _mass_unit(scale_word, mass.group(0))
            unit_factor = (unit, Decimal(str(UNITS[unit][1])))
            return tonnes, mass.end(), unit_factor, multiplier, factor
    return value, end, None, multiplier, Decimal(1)


def _mass_unit(scale_word: str, unit_text: str) -> str:
    """The unit code a mass is stated in: "28.5 million tons" is Mt, "50,000 tons" t."""
    unit_text = re.sub(r"(?:pa|py|/y(?:ea)?r?|/a)$", "", unit_text.strip(" -"))
    if scale_word in ("million", "mln", "mn", "m", "billion", "bln", "bn", "trillion"):
        return "Mt"
    if scale_word in ("thousand", "k"):
        return "kt"
    if unit_text in ("Mt", "MMT") or unit_text.lower().startswith(("mega", "million")):
        return "Mt"
    if unit_text == "kt" or unit_text.lower().startswith("kilot"):
        return "kt"
    return "t"


def _in_unit(value: Decimal, unit: tuple[str, Decimal]) -> Decimal:
    return _tidy(value / unit[1])


def _tidy(value: Decimal) -> Decimal:
    """A decimal without trailing zeros or exponent: 28.5, 3000."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def _qualified(text, start, end, qualifier, value, value_high, unit) -> _Figure | None:
    """The figure with its qualifier read from the words around it; None when it is money
    without a unit in the vocabulary."""
    if isinstance(unit, tuple):
        unit = unit[0]
    before = text[max(0, start - 60) : start]
    if qualifier != "between":
        for code, pattern in _QUALIFIER_BEFORE_RE:
            found = pattern.search(before)
            if found:
                qualifier, start = code, start - (len(before) - found.start())
                break
        else:
            filler = _ONLY_FILLER_RE.search(before)
            if filler and filler.group(0):
                start -= len(filler.group(0))
        for code, pattern in _QUALIFIER_AFTER_RE:
            found = pattern.match(text, end)
            if found:
                qualifier, end = code, found.end()
                break
    else:
        between = _BETWEEN_RE.search(before)
        if between:
            start -= len(before) - between.start()
    return _Figure(start, end, qualifier or "exact", value, value_high, unit)


def _count(text, match, value) -> _Figure | None:
    """A count of things ("seven REEs"), or money in a vocabulary currency, else None."""
    end = match.end()
    currency = _CURRENCY_BEFORE_RE.search(text, max(0, match.start() - 5), match.start())
    scale = _SCALE_RE.match(text, end)
    after = _CURRENCY_AFTER_RE.match(text, scale.end() if scale else end)
    if currency or after:
        return _money(text, match, currency, after)
    if value != value.to_integral_value() or (match.group("digits") and _is_year(value)):
        return None
    noun = _COUNT_RE.match(text, end)
    if noun is None or re.search(
        r"\btop\s+$", text[max(0, match.start() - 5) : match.start()], re.I
    ):
        return None  # "the top 10 producers" names a group, it counts nothing
    return _qualified(text, match.start(), end, "", _tidy(value), None, "count")


def _money(text, match, currency, after) -> _Figure | None:
    symbol = (currency.group(1) if currency else after.group(1)).strip()
    code = CURRENCIES.get(symbol) or CURRENCIES.get(symbol.lower())
    if code not in UNITS:
        return None
    stated = _stated_number(text, match)
    value, end, _ = stated
    start = currency.start() if currency else match.start()
    if after:
        end = max(end, after.end())
    price = _PRICE_AFTER_RE.match(text, end)
    if price is None:
        return _qualified(text, start, end, "", _tidy(value), None, code)
    if not (price.group("kg") or price.group("t")):
        return None
    high = None
    if price.group("high"):
        high = Decimal(price.group("high").replace(",", ""))
        if price.group("scale"):
            high *= _SCALES[price.group("scale").lower()]
    unit = f"{code}/kg" if price.group("kg") else f"{code}/t"
    if high is None or high <= value:
        return _qualified(text, start, price.end(), "", _tidy(value), None, unit)
    return _qualified(text, start, price.end(), "between", _tidy(value), _tidy(high), unit)


def _is_purity(text: str, end: int, value: Decimal, start: int) -> bool:
    if _PURITY_AFTER_RE.match(text, end):
        return True
    # Nobody quotes a share to a hundredth above 99 % without saying of what ("99.99% gallium"),
    # unless the words before it say it is one ("China's share rose to 99.7%").
    return (
        value > 99
        and value != value.to_integral_value()
        and not _SHARE_AFTER_RE.match(text, end)
        and not _SHARE_BEFORE_RE.search(text, max(0, start - 60), start)
    )


def _is_year(value: Decimal) -> bool:
    return 1800 <= value <= 2100


def _word_number(words: str) -> Decimal | None:
    """ "twenty-five" → 25, "three hundred" → 300; None for a sequence that is not one number."""
    total = current = 0
    last = None
    for word in re.split(r"[- ]", words.lower()):
        if word in _ONES:
            n = _ONES[word]
            after_tens = last is not None and 20 <= last < 100 and last % 10 == 0 and n < 10
            if last is not None and last < 100 and not after_tens:
                return None  # "seven fifteen" is two numbers, not one
            current += n
            last = n
        elif word == "hundred":
            current = (current or 1) * 100
            last = 100
        elif word == "thousand":
            total += (current or 1) * 1000
            current = 0
            last = 1000
        else:
            return None
    return Decimal(total + current)


def _word_figures(text: str) -> list[_Figure]:
    """Ranks, multiples and shares said in words."""
    figures = []
    for pattern in _RANK_RES:
        for match in pattern.finditer(text):
            n = 1 if match.groupdict().get("one") else _ordinal(match.group("n"))
            if n:
                figures.append(
                    _qualified(text, match.start(), match.end(), "", Decimal(n), None, "rank")
                )
    for match in _TOP_RE.finditer(text):
        n = _ordinal(match.group("n"))
        if n:
            figures.append(_Figure(match.start(), match.end(), "at_most", Decimal(n), None, "rank"))
    for pattern in _MULTIPLE_RES:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            if groups.get("verb"):
                n = Decimal(_MULTIPLES[groups["verb"].lower()])
            else:
                raw = groups["n"].lower()
                n = Decimal(raw) if raw[0].isdigit() else _word_number(raw)
                if n is None:
                    continue
            figures.append(_qualified(text, match.start(), match.end(), "", n, None, "x"))
    figures = _multiple_ranges(text, [f for f in figures if f is not None])
    for match in _FRACTION_RE.finditer(text):
        words = re.sub(r"[- ]", " ", match.group("f").lower())
        value = _FRACTIONS.get(words) or _FRACTIONS.get(words.rstrip("s"))
        if value is None:
            continue
        if match.group("of") is None and not _BY_RE.search(
            text, max(0, match.start() - 20), match.start()
        ):
            continue
        if _PERIOD_AFTER_RE.match(text, match.end("f")) or _PERIOD_BEFORE_RE.search(
            text, max(0, match.start() - 12), match.start()
        ):
            continue
        figures.append(_qualified(text, match.start(), match.end("f"), "", value, None, "%"))
    return [f for f in figures if f is not None]


def _multiple_ranges(text: str, figures: list[_Figure]) -> list[_Figure]:
    """Two multiples joined by "and"/"to" ("between threefold and fourfold") as one range."""
    multiples = sorted((f for f in figures if f.unit == "x"), key=lambda f: f.start)
    joined = []
    for low, high in zip(multiples, multiples[1:], strict=False):
        gap = text[low.end : high.start]
        if joined and joined[-1][1] is low:
            continue  # "two-, three- and fourfold": a range has two ends
        if low.value < high.value and len(gap) < 8 and _MULTIPLE_RANGE_RE.fullmatch(gap):
            joined.append((low, high))
    for low, high in joined:
        figures.remove(low)
        figures.remove(high)
        between = _BETWEEN_RE.search(text, max(0, low.start - 10), low.start)
        start = between.start() if between else low.start
        figures.append(_Figure(start, high.end, "between", low.value, high.value, "x"))
    return figures


def _ordinal(word: str) -> int | None:
    word = word.lower()
    if word in _ORDINALS:
        return _ORDINALS[word]
    if word in _ONES:
        return _ONES[word]
    digits = re.match(r"\d+", word)
    n = int(digits.group(0)) if digits else 0
    return n if 0 < n < 1000 else None


# -- Sentences and clauses --------------------------------------------------------------------


def _sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, without surrounding spaces; list items and headings are
    sentences of their own (a line break always ends one)."""
    spans = []
    start = 0
    for match in _SENTENCE_END_RE.finditer(text):
        if match.group(0)[0] == ".":
            word = re.search(r"([\w.]+)$", text[max(0, match.start() - 12) : match.start()])
            if word and word.group(1).lower().strip(".") in _ABBREVIATIONS:
                continue
        end = match.end() if match.group(0)[0] != "\n" else match.start()
        spans.append((start, end))
        start = match.end()
    spans.append((start, len(text)))
    trimmed = []
    for s, e in spans:
        while s < e and text[s] in " \t\r\n-•*":
            s += 1
        while e > s and text[e - 1] in " \t\r\n":
            e -= 1
        if s < e:
            trimmed.append((s, e))
    return trimmed


def _clause(text, s_start, s_end, figures, i) -> tuple[int, int]:
    """The part of a sentence that states its i-th figure: the whole sentence when it states one,
    else cut at the last break (comma, semicolon, "and", "but" …) between two figures. Two
    figures with no break between them ("ranked 6th among producers with 2,100 tonnes") share
    their clause, and so does a phrase that only completes the clause before it ("…, at around
    28.5 million tons", "…, up from about $300 a year earlier"): alone it states nothing."""
    start = _clause_start(text, s_start, figures, i)
    end = _clause_end(text, s_end, figures, i)
    while i > 0 and start != s_start and _FRAGMENT_RE.match(text, start):
        i -= 1
        start = _clause_start(text, s_start, figures, i)
    while end > start and text[end - 1] in " ,;:–—":
        end -= 1
    return start, end


def _clause_start(text, s_start, figures, i) -> int:
    """Where the i-th figure's clause opens: after the last break before it, past the linking
    word ("and Russia …"); the sentence's start when no figure before it is cut off."""
    while i > 0:
        cut = _break(text, figures[i - 1].end, figures[i].start)
        if cut is not None:
            break
        i -= 1
    else:
        return s_start
    start = cut
    while text[start] in " ,;:":
        start += 1
    for word in ("and ", "but ", "while ", "whereas "):
        if text.startswith(word, start):
            start += len(word)
    # A quote never opens with the spaces after the word ("and   Russia").
    while text[start].isspace():
        start += 1
    return start


def _clause_end(text, s_end, figures, i) -> int:
    """Where the i-th figure's clause closes: at the first break after it that comes before a
    later figure; the sentence's end when none."""
    for j in range(i, len(figures) - 1):
        cut = _break(text, figures[j].end, figures[j + 1].start)
        if cut is not None:
            return cut
    return s_end


# The openings of a phrase that cannot stand as a clause of its own.
_FRAGMENT_RE = re.compile(
    r"(?:at|to|up|down|from|of|with|compared|against|versus|vs\.?|or|around|about|nearly|some)\b"
)


def _break(text, after, before) -> int | None:
    """Where the last clause break between two figures starts, or None."""
    breaks = list(_CLAUSE_BREAK_RE.finditer(text, after, before))
    return breaks[-1].start() if breaks else None


# -- What the sentence says about the figure --------------------------------------------------


class _Index:
    """What is known, compiled once for many texts."""

    def __init__(self, known: Known):
        self.actors = {actor.slug: actor for actor in known.actors}
        self.sources = known.sources
        self.questions = [q for q in known.questions if q.kind != "boolean"]
        self.metals = {metal.symbol: metal for metal in known.metals}
        self.actor_re = _names_regex(
            (name, actor.slug) for actor in known.actors for name in _actor_names(actor)
        )
        self.metal_re = _names_regex(
            (name, metal.symbol) for metal in known.metals for name in _metal_names(metal)
        )
        countries = {a.country: a.slug for a in known.actors if a.kind == "country" and a.country}
        self.related = {slug: self._related(slug, countries) for slug in self.actors}
        self.groups = {member: metal.symbol for metal in known.metals for member in metal.members}
        self.by_publisher: dict[str, list[KnownSource]] = {}
        for source in known.sources:
            self.by_publisher.setdefault(source.publisher, []).append(source)
        self.question_words = {}
        for q in self.questions:
            # The names of its subjects and metals are weighed on their own (by the actors and
            # metals the sentence names); its other words say what is measured.
            names = _stems(
                " ".join(
                    [
                        n
                        for s in q.subjects
                        if s in self.actors
                        for n in _actor_names(self.actors[s])
                    ]
                    + [
                        n
                        for m in q.metals
                        if m in self.metals
                        for n in _metal_names(self.metals[m])
                    ]
                )
            )
            title = _stems(q.title) - names or _stems(q.title)
            self.question_words[q.slug] = (title, _stems(q.description) - title - names)

    def _related(self, slug, countries) -> frozenset[str]:
        """The actor, its parents and its country: what naming it says the sentence is about."""
        related, actor = {slug}, self.actors[slug]
        for _ in range(20):
            if actor.country and actor.country in countries:
                related.add(countries[actor.country])
            if not actor.parent or actor.parent not in self.actors or actor.parent in related:
                break
            actor = self.actors[actor.parent]
            related.add(actor.slug)
        return frozenset(related)

    def actors_in(self, text, start, end) -> list[tuple[int, int, str]]:
        """The known actors named in text[start:end]; a known name that opens a longer proper
        name ("United States" in "United States Geological Survey") names another actor."""
        return [
            found
            for found in _find_names(self.actor_re, text, start, end)
            if not _LONGER_NAME_RE.match(text, found[1])
        ]

    def metals_in(self, text, start, end) -> set[str]:
        return {slug for _, _, slug in _find_names(self.metal_re, text, start, end)}


# A proper name as written: capitalised words, with "of", "for", "and" between them.
_PROPER_NAME_RE = re.compile(r"[A-Z][\w.&'’-]*(?:\s+(?:(?:of|for|and|the)\s+)?[A-Z][\w.&'’-]*)*")
_LONGER_NAME_RE = re.compile(r"[ -](?:of\s+)?[A-Z][a-z]")


@lru_cache(maxsize=8)
def _index(known: Known) -> _Index:
    return _Index(known)


def _actor_names(actor: KnownActor) -> list[str]:
    return [actor.name, *actor.aliases]


def _metal_names(metal: KnownMetal) -> list[str]:
    """ "rare earth elements" is also "rare earths", "rare-earth", "REEs"; a group code is a name,
    and an element's symbol too when it cannot be an English word ("In", "Be" and "W" are not)."""
    names = [metal.name]
    base = re.sub(r"\s+(?:elements|metals)$", "", metal.name, flags=re.IGNORECASE)
    if base != metal.name:
        names += [base, base + "s", base + " metals", base + " oxides"]
    if len(metal.symbol) >= 2 and metal.symbol not in ("In", "Be", "Re", "As", "No", "He", "At"):
        names += [metal.symbol, metal.symbol + "s"]
    return names


def _names_regex(pairs: Iterable[tuple[str, str]]):
    """One regex for many names, and {lower-cased name: (name, slug)} to tell which matched."""
    by_name: dict[str, tuple[str, str]] = {}
    for name, slug in pairs:
        folded = _fold(name)
        if len(folded) >= 2:
            by_name.setdefault(folded.lower(), (folded, slug))
    if not by_name:
        return None
    patterns = [
        r"[\s-]+".join(re.escape(word) for word in key.split(" "))
        for key in sorted(by_name, key=len, reverse=True)  # the longest name first
    ]
    regex = re.compile(rf"(?<![\w])(?:{'|'.join(patterns)})(?![\w])", re.IGNORECASE)
    return regex, by_name


def _fold(name: str) -> str:
    return re.sub(r"[\s-]+", " ", name.replace("’", "'")).strip()


def _find_names(compiled, text, start, end) -> list[tuple[int, int, str]]:
    """(start, end, slug) of each known name in text[start:end]. Case does not matter, except for
    acronyms and short names: "CAS" is the Chinese Academy of Sciences, "cas" is not."""
    if compiled is None:
        return []
    regex, by_name = compiled
    found = []
    segment = text[start:end].replace("’", "'")  # one character for one: offsets hold
    for match in regex.finditer(segment):
        said = _fold(match.group(0))
        name, slug = by_name[said.lower()]
        if (len(name) <= 4 or name.isupper()) and said != name:
            continue
        found.append((start + match.start(), start + match.end(), slug))
    return found


class _Sentence:
    """One sentence with its context, read once for all the figures it states."""

    def __init__(self, text, start, end, context_start, index: _Index, published: str):
        self.text, self.start, self.end, self.index = text, start, end, index
        self.mentions = index.actors_in(text, start, end)
        self.context_actors = {slug for _, _, slug in index.actors_in(text, context_start, start)}
        metal_mentions = _find_names(index.metal_re, text, start, end)
        self.metals = {slug for _, _, slug in metal_mentions}
        self.context_metals = index.metals_in(text, context_start, start)
        # The words that are not names: the names are weighed as actors and metals.
        self.named = sorted((s, e) for s, e, _ in self.mentions + metal_mentions)
        self.citations = _citations(text, start, end)
        self.words = self._words(start, end)
        self.cited = self._cited(published)
        self.speaker = self._speaker()

    def candidate(self, figure: _Figure, start: int, end: int) -> Candidate:
        return Candidate(
            quote=self.text[start:end],
            start=start,
            end=end,
            qualifier=figure.qualifier,
            value=figure.value,
            value_high=figure.value_high,
            unit=figure.unit,
            as_of=self._as_of(figure, start, end),
            cited=self.cited,
            speaker=self.speaker,
            questions=self._questions(figure, start, end),
        )

    def _outside_citations(self, start, end):
        """(start, end) pieces of the span outside parenthesised citations."""
        pieces, at = [], start
        for c_start, c_end, _ in self.citations:
            if c_end <= start or c_start >= end:
                continue
            if c_start > at:
                pieces.append((at, c_start))
            at = max(at, c_end)
        if at < end:
            pieces.append((at, end))
        return pieces

    def _as_of(self, figure, start, end) -> str:
        """The date nearest the figure in its clause, outside citations; in its sentence when the
        figure is the sentence's only one."""
        spans = [(start, end)] if (start, end) != (self.start, self.end) else []
        for span in spans or [(self.start, self.end)]:
            dates = []
            for p_start, p_end in self._outside_citations(*span):
                for match in _DATE_RE.finditer(self.text, p_start, p_end):
                    if figure.start <= match.start() < figure.end or _NOT_AS_OF_RE.search(
                        self.text, max(0, match.start() - 12), match.start()
                    ):
                        continue
                    distance = min(abs(match.start() - figure.end), abs(figure.start - match.end()))
                    dates.append((distance, _partial_date(match)))
            if dates:
                return min(dates)[1]
        return ""

    def _cited(self, published) -> Citation | None:
        """The first citation in the sentence: "(TASS, July 2, 2025)", "according to Vedomosti",
        "a study cited by the South China Morning Post"."""
        for _, _, inside in self.citations:
            parts = [p.strip() for p in inside.split(";") if p.strip()]
            own = [p for p in parts if not p.lower().startswith(("see ", "cf. "))] or parts
            first = own[0]
            date = _citation_date(first) or _citation_date(parts[-1] if own is parts else own[-1])
            name = first.split(",")[0].strip()
            return Citation(first, self._source(name, date, published))
        for match in re.finditer(
            r"\b(?:according\s+to|cited\s+by|reported\s+by|citing)\s+(?:the\s+)?",
            self.text[self.start : self.end],
            re.IGNORECASE,
        ):
            at = self.start + match.end()
            for m_start, m_end, slug in self.mentions:
                if m_start <= at + 4 and m_start >= at - 4:
                    name = self.text[m_start:m_end]
                    return Citation(name, self._source_of(slug, None, published))
            named = _PROPER_NAME_RE.match(self.text, at, self.end)
            if named:  # a publisher not known as an actor: cited as written
                name = named.group(0).rstrip(".")
                return Citation(name, self._source(name, None, published))
        return None

    def _source(self, name, date, published) -> str:
        """The known source a citation names: its publisher by name or alias, its date."""
        mentions = self.index.actors_in(name, 0, len(name))
        slugs = [slug for _, _, slug in mentions]
        for slug in slugs:
            found = self._source_of(slug, date, published)
            if found:
                return found
        folded = _fold(name).lower()
        titled = [s for s in self.index.sources if _fold(s.title).lower().startswith(folded)]
        return _best_dated(titled, date, published)

    def _source_of(self, publisher, date, published) -> str:
        return _best_dated(self.index.by_publisher.get(publisher, []), date, published)

    def _speaker(self) -> str:
        """The known actor named as saying what the sentence says: "Manturov explained",
        "the Ministry of Natural Resources estimates", "according to the Ministry of …";
        else the publisher of a source the sentence cites in parentheses ("(IEA, …)")."""
        text = self.text
        for m_start, m_end, slug in self.mentions:
            before = text[max(self.start, m_start - 20) : m_start]
            if re.search(r"\baccording\s+to\s+(?:the\s+)?$", before, re.IGNORECASE):
                return slug
            after = text[m_end : min(self.end, m_end + 60)]
            if re.match(
                rf"(?:[’']s?)?\s+(?:[\w-]+ly\s+|has\s+|have\s+|had\s+|also\s+|latest\s+|own\s+)*(?:{_SPEECH_VERBS}|data|figures|estimates?)\b",
                after,
                re.IGNORECASE,
            ):
                return slug
        if self.cited and self.cited.source and self.citations:
            source = next(s for s in self.index.sources if s.slug == self.cited.source)
            if source.publisher in self.index.actors:
                return source.publisher
        return ""

    def _questions(self, figure: _Figure, start, end) -> tuple[Suggestion, ...]:
        """Up to three known questions in the figure's unit dimension, ranked by the actors and
        metals the clause, the sentence and the two before name, and by shared words."""
        dimension = UNITS.get(figure.unit, ("",))[0]
        clause_actors, sentence_actors = set(), set()
        for m_start, m_end, slug in self.mentions:
            related = self.index.related.get(slug, frozenset())
            sentence_actors |= related
            if start <= m_start and m_end <= end:
                clause_actors |= related
        context_actors = set()
        for slug in self.context_actors:
            context_actors |= self.index.related.get(slug, frozenset())
        clause_metals = self.index.metals_in(self.text, start, end)
        clause_words = self._words(start, end)
        scored = []
        for question in self.index.questions:
            unit = question.unit or ("rank" if question.kind == "rank" else "")
            if UNITS.get(unit, ("",))[0] != dimension:
                continue
            subjects = _share(
                question.subjects,
                lambda s: (
                    1.0
                    if s in clause_actors
                    else 0.8
                    if s in sentence_actors
                    else 0.5
                    if s in context_actors
                    else 0.0
                ),
            )
            metals = _share(
                question.metals,
                lambda m: self._metal_fit(m, clause_metals, self.metals, self.context_metals),
            )
            if not question.metals and clause_metals:
                metals = 0.2  # the clause is about a metal; the question is about none
            title_words, description_words = self.index.question_words[question.slug]
            matched = sum(
                1.0 if w in clause_words else 0.3 if w in self.words else 0.0 for w in title_words
            )
            # Half for the share of its words the clause has, half for how many it has (so a
            # long title is not outweighed by a short one sharing one word).
            words = 0.5 * matched / max(1, len(title_words)) + 0.5 * min(1.0, matched / 2)
            extra = len(description_words & clause_words) / (len(description_words) + 5)
            score = 0.25 * subjects + 0.2 * metals + 0.5 * words + 0.05 * min(1.0, 3 * extra)
            if score > 0:
                scored.append((round(score, 3), question.slug))
        scored.sort(key=lambda pair: (-pair[0], pair[1]))
        return tuple(Suggestion(slug, score) for score, slug in scored[:3])

    def _words(self, start, end) -> frozenset[str]:
        """The stems of text[start:end] outside the names of actors and metals."""
        pieces, at = [], start
        for n_start, n_end in self.named:
            if n_end <= at or n_start >= end:
                continue
            pieces.append(self.text[at:n_start])
            at = n_end
        pieces.append(self.text[at:end])
        return _stems(" ".join(pieces))

    def _metal_fit(self, symbol, clause, sentence, context) -> float:
        """How well the metals named fit a question's metal: named in the clause 1, in the
        sentence .7, just before .4; a member or the group of a named metal half as much."""
        best = 0.0
        for named, weight in ((clause, 1.0), (sentence, 0.7), (context, 0.4)):
            if symbol in named:
                best = max(best, weight)
            elif any(
                self.index.groups.get(n) == symbol or self.index.groups.get(symbol) == n
                for n in named
            ):
                best = max(best, weight / 2)
        return best


def _share(items: Sequence[str] | frozenset, weight) -> float:
    if not items:
        return 0.5  # a question about no actor (or metal) neither fits nor misfits
    return sum(weight(item) for item in items) / len(items)


def _stems(text: str) -> frozenset[str]:
    """The content words of a text, crudely stemmed: "extracts" and "extraction" are "extract"."""
    stems = set()
    for word in re.findall(r"[a-zа-я]+", text.lower().replace("’s", "").replace("'s", "")):
        if word in _STOPWORDS or len(word) < 3:
            continue
        for suffix in ("ations", "ation", "ptions", "ption", "ions", "ion", "ings", "ing", "ments", "ment", "ies",
                       "ers", "er", "es", "ed", "s"):  # fmt: skip
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
                break
        if word.endswith("e") and len(word) > 4:
            word = word[:-1]
        stems.add(word)
    return frozenset(stems)


# -- Citations and dates ----------------------------------------------------------------------


def _citations(text, start, end) -> list[tuple[int, int, str]]:
    """Parenthesised citations in a span: "(TASS, July 2, 2025; see EDM, December 5, 2025)" —
    a parenthesis with a date in it; "(Долина Менделеева, …)" is not one."""
    found = []
    for match in _PARENS_RE.finditer(text, start, end):
        inside = match.group(1)
        if _CITATION_DATE_RE.search(inside) or re.match(r"see\s", inside, re.IGNORECASE):
            found.append((match.start(), match.end(), inside))
    return found


def _partial_date(match) -> str:
    year = match.group("year")
    month = match.group("month")
    if not month:
        return year
    number = _MONTHS[_month_name(month)]
    day = match.group("day")
    return f"{year}-{number:02d}" + (f"-{int(day):02d}" if day else "")


def _month_name(word: str) -> str:
    word = word.lower().rstrip(".")
    return next(m for m in _MONTHS if m.startswith(word[:3]))


def _citation_date(text: str) -> tuple[int | None, int | None, int | None] | None:
    """(year, month, day) of a citation's date, any of them None when not said."""
    match = _CITATION_DATE_RE.search(text)
    if not match:
        return None
    if match.group("y"):
        return int(match.group("y")), None, None
    month = _MONTHS[_month_name(match.group("month"))]
    day = int(match.group("day")) if match.group("day") else None
    year = int(match.group("year")) if match.group("year") else None
    return year, month, day


def _best_dated(sources: list[KnownSource], date, published: str) -> str:
    """The source whose date fits the citation's; without a date, the latest not after the
    document's own date (`published`), else the latest."""
    fitting = [s for s in sources if _date_fits(s.published, date)]
    if not fitting:
        return ""
    if date is None and published:
        earlier = [s for s in fitting if s.published[: len(published)] <= published]
        fitting = earlier or fitting
    return max(fitting, key=lambda s: (s.published, s.slug)).slug


def _date_fits(published: str, date) -> bool:
    if date is None:
        return True
    parts = [int(p) for p in published.split("-") if p.isdigit()]
    return all(
        stated is None or i >= len(parts) or parts[i] == stated for i, stated in enumerate(date)
    )


# -- Measuring the extraction against recorded claims -----------------------------------------


@dataclass(frozen=True)
class Recorded:
    """A figure a curator recorded from a text: the ground truth the extraction is measured on."""

    quote: str
    qualifier: str
    value: Decimal
    value_high: Decimal | None
    unit: str
    question: str = ""


@dataclass(frozen=True)
class Score:
    """How the candidates of some texts compare with the figures recorded from them."""

    recorded: int
    candidates: int
    found: int  # recorded figures found with the right value and unit (within 1 %)
    found_qualified: int  # … and the right qualifier too
    matching: int  # candidates matching a recorded figure, at its place in the text
    matching_anywhere: int  # candidates matching a recorded figure of the same text, anywhere
    question_first: int  # found figures whose recorded question is the first suggestion
    with_question: int  # found figures that have a recorded question

    def ratios(self) -> dict[str, float]:
        def ratio(a, b):
            return round(a / b, 3) if b else 0.0

        return {
            "recall": ratio(self.found, self.recorded),
            "recall_with_qualifier": ratio(self.found_qualified, self.recorded),
            "precision": ratio(self.matching, self.candidates),
            "precision_anywhere": ratio(self.matching_anywhere, self.candidates),
            "question_first": ratio(self.question_first, self.with_question),
        }

    def __add__(self, other: "Score") -> "Score":
        return Score(
            *(a + b for a, b in zip(_score_fields(self), _score_fields(other), strict=True))
        )


def _score_fields(score: Score) -> tuple[int, ...]:
    return tuple(getattr(score, name) for name in Score.__dataclass_fields__)


def score(text: str, candidates: Sequence[Candidate], recorded: Sequence[Recorded]) -> Score:
    """Compare the candidates found in `text` with the figures recorded from it.

    A candidate matches a recorded figure when their values agree within 1 % once both are in
    the unit's dimension's base (28.5 Mt is 28 500 000 t), and the candidate's quote overlaps the
    place of the recorded quote in the text (any place, for `matching_anywhere`; a recorded quote
    not found in the text matches anywhere).
    """
    places = [_places(text, figure.quote) for figure in recorded]

    found = found_qualified = question_first = with_question = 0
    for figure, spots in zip(recorded, places, strict=True):
        hits = [c for c in candidates if _agrees(c, figure, spots)]
        if not hits:
            continue
        found += 1
        if any(_qualifier(c.qualifier) == _qualifier(figure.qualifier) for c in hits):
            found_qualified += 1
        if figure.question:
            with_question += 1
            if any(c.questions and c.questions[0].question == figure.question for c in hits):
                question_first += 1
    matching = sum(
        any(_agrees(c, f, p) for f, p in zip(recorded, places, strict=True)) for c in candidates
    )
    anywhere = sum(any(_same_figure(c, f) for f in recorded) for c in candidates)
    return Score(
        len(recorded),
        len(candidates),
        found,
        found_qualified,
        matching,
        anywhere,
        question_first,
        with_question,
    )


def unrecorded(
    text: str, candidates: Sequence[Candidate], recorded: Sequence[Recorded]
) -> list[Candidate]:
    """The candidates found in `text` that state none of the figures recorded from it, in their
    order: what is left to propose once some of a source's figures are claims.

    A candidate is recorded when it matches a recorded figure as `score` counts a match: the same
    value within 1 % in the same dimension, at the place of the recorded quote in the text (a
    recorded quote not found in the text matches anywhere). So a second "70 %" elsewhere in the
    text is still proposed, and a figure whose claim states another value (a curator corrected
    the reading) is proposed again.
    """
    places = [_places(text, figure.quote) for figure in recorded]
    return [
        candidate
        for candidate in candidates
        if not any(
            _agrees(candidate, figure, spots)
            for figure, spots in zip(recorded, places, strict=True)
        )
    ]


def _agrees(candidate: Candidate, figure: Recorded, spots) -> bool:
    """Whether the candidate states the recorded figure, at one of `spots` (the places of the
    figure's quote in the text; None: the quote is not in it, any place will do)."""
    if not _same_figure(candidate, figure):
        return False
    if spots is None:
        return True
    return any(candidate.start < e and s < candidate.end for s, e in spots)


def _places(text: str, quote: str) -> list[tuple[int, int]] | None:
    spots, at = [], text.find(quote)
    while at >= 0 and quote:
        spots.append((at, at + len(quote)))
        at = text.find(quote, at + 1)
    return spots or None


def _qualifier(code: str) -> str:
    return code if code in QUALIFIERS and code else "exact"


def _same_figure(candidate: Candidate, figure: Recorded) -> bool:
    if candidate.unit not in UNITS or figure.unit not in UNITS:
        return False
    (dimension, factor), (recorded_dimension, recorded_factor) = (
        UNITS[candidate.unit],
        UNITS[figure.unit],
    )
    if dimension != recorded_dimension:
        return False
    return _close(float(candidate.value) * factor, float(figure.value) * recorded_factor) and (
        figure.value_high is None
        or candidate.value_high is not None
        and _close(float(candidate.value_high) * factor, float(figure.value_high) * recorded_factor)
    )


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=0.01, abs_tol=1e-9)
