"""Sources and reference managers: reading a Zotero CSV export, writing CSL-JSON and BibTeX.

Pure functions of plain rows and Source objects, with no database writes (the import itself is
claims.services.zotero_import). Source fields follow CSL-JSON naming, so the mapping is short:
title → title, authors → author, published → issued, url → URL, accessed → accessed.
"""

import datetime
import json
import re
from dataclasses import dataclass, field

from django.utils.text import slugify

from core.fields import PARTIAL_DATE_RE

from .models import Source
from .resources import Problem

# --------------------------------------------------------------------------- Zotero CSV

ZOTERO_REQUIRED = ("Key", "Item Type", "Title")

# Zotero item types (https://www.zotero.org/support/kb/item_types_and_fields) → Source.Kind.
ZOTERO_KINDS = {
    "newspaperArticle": Source.Kind.ARTICLE,
    "magazineArticle": Source.Kind.ARTICLE,
    "blogPost": Source.Kind.ARTICLE,
    "webpage": Source.Kind.ARTICLE,
    "forumPost": Source.Kind.ARTICLE,
    "podcast": Source.Kind.INTERVIEW,
    "radioBroadcast": Source.Kind.INTERVIEW,
    "tvBroadcast": Source.Kind.INTERVIEW,
    "interview": Source.Kind.INTERVIEW,
    "journalArticle": Source.Kind.ANALYSIS,
    "book": Source.Kind.ANALYSIS,
    "bookSection": Source.Kind.ANALYSIS,
    "thesis": Source.Kind.ANALYSIS,
    "conferencePaper": Source.Kind.ANALYSIS,
    "preprint": Source.Kind.ANALYSIS,
    "report": Source.Kind.REPORT,
    "dataset": Source.Kind.DATASET,
    "statute": Source.Kind.STATEMENT,
    "bill": Source.Kind.STATEMENT,
    "hearing": Source.Kind.STATEMENT,
}
NEWS_TYPES = {"newspaperArticle", "magazineArticle", "blogPost", "webpage", "forumPost"}

LANGUAGES = {
    "english": "en",
    "russian": "ru",
    "chinese": "zh",
    "french": "fr",
    "german": "de",
    "spanish": "es",
    "portuguese": "pt",
    "japanese": "ja",
    "korean": "ko",
    "arabic": "ar",
    "ukrainian": "uk",
    "italian": "it",
}
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}


@dataclass
class ZoteroItem:
    line: int
    fields: dict = field(default_factory=dict)
    news: bool = False
    problems: list[Problem] = field(default_factory=list)


def zotero_sources(dataset):
    """One ZoteroItem per row of a Zotero CSV export (a Dataset from sources.formats.read_table).

    `fields` are Source fields plus `publication` (the outlet or publisher's name); an item that
    cannot become a source carries its problems instead.
    """
    headers = list(dataset.headers or [])
    missing = [column for column in ZOTERO_REQUIRED if column not in headers]
    if missing:
        names = ", ".join(f"'{column}'" for column in missing)
        return [
            ZoteroItem(
                line=1,
                problems=[
                    Problem(f"not a Zotero CSV export: missing column {names}", line=1),
                ],
            )
        ]
    lines = getattr(dataset, "line_numbers", None) or list(range(2, len(dataset) + 2))
    return [
        _zotero_item(dict(zip(headers, row, strict=True)), line)
        for row, line in zip(dataset, lines, strict=True)
    ]


def _zotero_item(row, line):
    def cell(name):
        return str(row.get(name) or "").strip()

    item = ZoteroItem(line=line, news=cell("Item Type") in NEWS_TYPES)
    title = cell("Title")
    if not title:
        item.problems.append(Problem("the item has no title", line=line, column="Title"))
        return item
    names = [name.strip() for name in cell("Author").split(";") if name.strip()]
    authors = [_author_as_printed(name) for name in names]
    published = _partial_date(cell("Date")) or _partial_date(cell("Publication Year"))
    accessed = _day(cell("Access Date"))
    url = cell("Url")
    notes = f"Imported from Zotero (item {cell('Key')})." if cell("Key") else ""
    if cell("Abstract Note"):
        notes += f"\n\nAbstract: {cell('Abstract Note')}"
    item.fields = {
        "slug": _slug(names, published, title),
        "title": title[:500],
        "kind": ZOTERO_KINDS.get(cell("Item Type"), Source.Kind.OTHER),
        "authors": "\n".join(authors),
        "published": published,
        "url": url,
        "accessed": accessed,
        "language": _language(cell("Language")),
        "notes": notes.strip(),
        "publication": cell("Publication Title") or cell("Publisher"),
    }
    return item


def _author_as_printed(name):
    """Zotero writes “Palve, Shubhangi”; a source's authors are as printed: “Shubhangi Palve”."""
    family, _, given = (part.strip() for part in name.partition(","))
    return f"{given} {family}" if given else family


def _partial_date(text):
    """YYYY, YYYY-MM or YYYY-MM-DD from the date forms Zotero exports; '' when unreadable."""
    text = text.strip()
    if not text:
        return ""
    iso = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text)
    if iso:
        # Zotero writes an unknown month or day as 00: "2025-00-00" is just 2025.
        parts = []
        for part in iso.groups():
            if not part or part == "00":
                break
            parts.append(part)
        value = "-".join(parts)
        return value if PARTIAL_DATE_RE.match(value) else value[:4]
    words = re.findall(r"[A-Za-z]+|\d+", text)
    year = next((w for w in words if len(w) == 4 and w.isdigit()), "")
    month = next((MONTHS[w.lower()] for w in words if w.lower() in MONTHS), None)
    day = next((w for w in words if w.isdigit() and len(w) <= 2), None)
    if not year:
        return ""
    if not month:
        return year
    value = f"{year}-{month:02d}" + (f"-{int(day):02d}" if day else "")
    return value if PARTIAL_DATE_RE.match(value) else f"{year}-{month:02d}"


def _day(text):
    found = re.match(r"^(\d{4}-\d{2}-\d{2})", text.strip())
    if not found:
        return None
    try:
        return datetime.date.fromisoformat(found[1])
    except ValueError:
        return None


def _language(text):
    text = text.strip()
    if text.lower() in LANGUAGES:
        return LANGUAGES[text.lower()]
    found = re.match(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*$", text)
    return found[1].lower() if found else ""


def _slug(names, published, title):
    """palve-2025-russia-seeks-…: the first author's family name (or an organisation's whole
    name), the year and the title, at most 80 characters."""
    first = names[0].split(",")[0] if names else ""
    words = " ".join([first, published[:4], title])
    slug = slugify(words)
    if len(slug) > 80:
        slug = slug[:80].rsplit("-", 1)[0]
    return slug or "source"


# --------------------------------------------------------------------------- CSL-JSON

CSL_TYPES = {
    Source.Kind.ARTICLE: "article-newspaper",
    Source.Kind.ANALYSIS: "article",
    Source.Kind.REPORT: "report",
    Source.Kind.DATASET: "dataset",
    Source.Kind.STATEMENT: "document",
    Source.Kind.INTERVIEW: "interview",
    Source.Kind.OTHER: "document",
}
_ORGANISATION_WORDS = re.compile(
    r"\b(agency|ministry|institute|government|association|council|bank|office|service|"
    r"corporation|company|ltd|inc|university|commission|committee|foundation|center|centre|"
    r"group|news|times|press|department|survey|organi[sz]ation|federation|staff|editors?)\b",
    re.IGNORECASE,
)


def csl_name(name):
    """A person's name as CSL family/given parts; an organisation (or anything unsure) as literal."""
    words = name.split()
    if 2 <= len(words) <= 4 and not _ORGANISATION_WORDS.search(name):
        return {"family": words[-1], "given": " ".join(words[:-1])}
    return {"literal": name}


def _date_parts(value):
    parts = [int(part) for part in str(value).split("-") if part]
    return {"date-parts": [parts]}


def csl_item(source):
    item = {
        "id": source.slug,
        "type": CSL_TYPES.get(source.kind, "document"),
        "title": source.title,
    }
    if source.author_list:
        item["author"] = [csl_name(name) for name in source.author_list]
    if source.publisher_id:
        item["publisher"] = source.publisher.name
        if source.kind in (Source.Kind.ARTICLE, Source.Kind.ANALYSIS):
            item["container-title"] = source.publisher.name
    if source.published:
        item["issued"] = _date_parts(source.published)
    if source.accessed:
        item["accessed"] = _date_parts(source.accessed.isoformat())
    if source.url:
        item["URL"] = source.url
    if source.language:
        item["language"] = source.language
    return item


def to_csl_json(sources):
    """Sources as a CSL-JSON list (what Zotero, Pandoc and citeproc read)."""
    return json.dumps([csl_item(source) for source in sources], ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- BibTeX

_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_MONTH_MACROS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def bibtex_escape(text):
    return "".join(_BIBTEX_SPECIAL.get(char, char) for char in " ".join(str(text).split()))


def _bibtex_name(name):
    parts = csl_name(name)
    if "literal" in parts:
        return "{" + bibtex_escape(name) + "}"  # braces: an organisation is not "Last, First"
    return f"{bibtex_escape(parts['family'])}, {bibtex_escape(parts['given'])}"


def bibtex_entry(source):
    publisher = source.publisher.name if source.publisher_id else ""
    if source.kind in (Source.Kind.ARTICLE, Source.Kind.ANALYSIS) and publisher:
        entry_type, fields = "article", [("journal", bibtex_escape(publisher))]
    elif source.kind == Source.Kind.REPORT:
        entry_type, fields = "techreport", [("institution", bibtex_escape(publisher))]
    else:
        entry_type, fields = "misc", [("publisher", bibtex_escape(publisher))]
    # Double braces keep the title's capitals as they are (“IEA”, “Russia”).
    fields.insert(0, ("title", "{" + bibtex_escape(source.title) + "}"))
    if source.author_list:
        fields.insert(1, ("author", " and ".join(_bibtex_name(a) for a in source.author_list)))
    if source.published:
        fields.append(("year", source.published[:4]))
        if len(source.published) >= 7:
            fields.append(("month", _MONTH_MACROS[int(source.published[5:7]) - 1]))
        fields.append(("date", source.published))
    if source.url:
        fields.append(("url", source.url.replace("{", "%7B").replace("}", "%7D")))
    if source.accessed:
        fields.append(("urldate", source.accessed.isoformat()))
    if source.language:
        fields.append(("langid", bibtex_escape(source.language)))
    body = ",\n".join(
        f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}"
        for name, value in fields
        if value
    )
    return f"@{entry_type}{{{source.slug},\n{body}\n}}\n"


def to_bibtex(sources):
    """Sources as a BibTeX file (entry keys are the sources' slugs)."""
    return "\n".join(bibtex_entry(source) for source in sources)
