"""Sources for reference managers: CSL-JSON and BibTeX.

Pure functions of Source objects, with no database writes (reading a Zotero export is
sources/zotero.py). Source fields follow CSL-JSON naming, so the mapping is short:
title → title, authors → author, published → issued, url → URL, accessed → accessed.
`write_csl_json` and `write_bibtex` are the `export_data --format csl-json / bibtex` files
(registered in SourcesConfig.ready).
"""

import json
import re

from .models import Source

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


# --------------------------------------------------------------------------- export_data


def _all_sources():
    return Source.objects.with_related().order_by("slug")


def write_csl_json():
    """`export_data --format csl-json`: every source, as sources.json."""
    return to_csl_json(_all_sources())


def write_bibtex():
    """`export_data --format bibtex`: every source, as sources.bib."""
    return to_bibtex(_all_sources())
