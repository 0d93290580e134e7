"""Importing a Zotero CSV export as sources (and their publishers as actors).

`zotero_sources` reads the rows into source fields, with no database writes; `zotero_import` (the
import_zotero command) matches them to existing sources and saves them, all or nothing. The file is
read like any interchange file (interchange.formats.read_table).
"""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from core.fields import PARTIAL_DATE_RE
from interchange.formats import FileProblem, line_numbers, read_table
from interchange.problems import Problem

from .models import Actor, Source

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
    """One ZoteroItem per row of a Zotero CSV export (a Dataset from interchange.formats.read_table).

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
    return [
        _zotero_item(dict(zip(headers, row, strict=True)), line)
        for row, line in zip(dataset, line_numbers(dataset), strict=True)
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
    words = re.findall(r"[A-Za-z]+|[0-9]+", text)  # ASCII digits: "١٢" is no day here
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


# --------------------------------------------------------------------------- the import


@dataclass
class ZoteroReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    publishers_created: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self):
        return [str(problem) for problem in self.problems]

    @property
    def ok(self):
        return not self.problems


def zotero_import(*, path, dry_run=False):
    """Import a Zotero CSV export as Sources, all or nothing.

    1. The file is read like any interchange file (UTF-8 or XLSX, any separator); each item
       becomes source fields (zotero_sources), or a problem for its line.
    2. An item whose URL is already a source's fills in what that source lacks and never overwrites
       a curator's value; an item without a URL matches a source of the same slug (made from the
       first author, the year and the title). Anything else is a new source.
    3. The publication (“Publication Title”, or “Publisher”) becomes the publisher: an actor of that
       name or alias, else a new actor.
    4. Any problem, or a dry run, rolls everything back.
    """
    report = ZoteroReport()
    try:
        dataset = read_table(Path(path).read_bytes(), name="the file")
        items = zotero_sources(dataset)
    except FileProblem as error:
        report.problems.append(Problem(str(error)))
        return report
    with transaction.atomic():
        publishers = {}
        for item in items:
            if item.problems:
                report.problems.extend(item.problems)
                continue
            _import_item(item, report, publishers)
        if not report.ok or dry_run:
            transaction.set_rollback(True)
    return report


def _import_item(item, report, publishers):
    fields = dict(item.fields)
    publication = fields.pop("publication", "")
    source = None
    if fields.get("url"):
        source = Source.objects.filter(url=fields["url"]).first()
    if source is None and not fields.get("url"):
        source = Source.objects.filter(slug=fields["slug"], url="").first()
    if source is None:
        fields["slug"] = _free_slug(Source, fields["slug"])
        source = Source(**fields)
        if publication:
            source.publisher = _publisher(publication, item.news, report, publishers)
        return _save_source(source, item, report, created=True)
    changed = False
    for name, value in fields.items():
        if name != "slug" and value not in ("", None) and getattr(source, name) in ("", None):
            setattr(source, name, value)
            changed = True
    if publication and source.publisher_id is None:
        source.publisher = _publisher(publication, item.news, report, publishers)
        changed = True
    if changed:
        return _save_source(source, item, report, created=False)
    report.unchanged += 1


def _save_source(source, item, report, *, created):
    try:
        source.full_clean()
    except ValidationError as error:
        for column, messages in error.message_dict.items():
            for message in messages:
                report.problems.append(Problem(message, line=item.line, column=column))
        return
    source.save()
    if created:
        report.created += 1
    else:
        report.updated += 1


def _free_slug(model, slug):
    """`slug`, or `slug-2`, `slug-3` … the first that no `model` record has, cut to fit its field."""
    max_length = model._meta.get_field("slug").max_length
    candidate, n = slug, 2
    while model.objects.filter(slug=candidate).exists():
        suffix = f"-{n}"
        candidate, n = slug[: max_length - len(suffix)] + suffix, n + 1
    return candidate


def _publisher(name, news, report, publishers):
    if name in publishers:
        return publishers[name]
    actor = Actor.objects.filter(Q(name__iexact=name) | Q(slug=slugify(name))).first()
    if actor is None:
        # Aliases are one per line: match a whole line, not a part of one.
        for candidate in Actor.objects.filter(aliases__icontains=name):
            if name.lower() in (alias.lower() for alias in candidate.alias_list):
                actor = candidate
                break
    if actor is None:
        actor = Actor.objects.create(
            name=name[:200],
            slug=_free_slug(Actor, slugify(name)[:100] or "publisher"),
            kind=Actor.Kind.MEDIA if news else Actor.Kind.ORGANISATION,
        )
        report.publishers_created += 1
    publishers[name] = actor
    return actor
