"""How a public page answers: as HTML, or `?format=csv` / `?format=json` from the same view.

The views build plain rows (dicts, pages.serialisers) once and hand them here; this module only knows
how to write them. CSV cells that a spreadsheet would run as a formula (starting with = + - @, or a
tab or carriage return) are prefixed with an apostrophe, so an exported quote cannot turn into a
formula.
"""

import csv
import json
import math
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import BadRequest
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import render

FORMATS = ("html", "csv", "json")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def requested_format(request):
    """`html`, `csv` or `json` from `?format=`; anything else is a bad request (400)."""
    value = request.GET.get("format", "") or "html"
    if value not in FORMATS:
        raise BadRequest(f"Unknown format {value!r}: use csv or json.")
    return value


def format_links(request):
    """The page's own URL with `format=csv` and `format=json`, other parameters kept."""
    links = {}
    for name in ("csv", "json"):
        query = request.GET.copy()
        query["format"] = name
        query.pop("page", None)
        links[name] = f"{request.path}?{query.urlencode()}"
    return links


def safe_cell(value):
    """A CSV cell: numbers as they are, None as empty, text neutralised against formulas."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, list | tuple):
        value = "|".join(str(item) for item in value)
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_response(name, columns, rows):
    """`rows` (dicts) as a CSV download named `<name>.csv`, with `columns` as the header."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(name)}.csv"'
    writer = csv.writer(response)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(row.get(column)) for column in columns])
    return response


def json_response(name, data):
    """`data` as JSON. `<`, `>` and `&` are written as \\u escapes so the text is inert even if
    someone pastes it into an HTML page; infinities become null (JSON has no infinity)."""
    text = json.dumps(_finite(data), cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{_filename(name)}.json"'
    return response


def _finite(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value


def _filename(name):
    # Names are built from slugs; keep only what is safe in a header anyway.
    return (
        "".join(char for char in name if (char.isascii() and char.isalnum()) or char in "-_.")
        or "data"
    )


def render_page(request, template, context):
    context.setdefault("public_statuses", settings.PUBLIC_CLAIM_STATUSES)
    return render(request, template, context)


def export(fmt, name, columns, rows, *, key):
    """A list page's rows as CSV (`columns` in order) or as JSON (`{key: rows}`)."""
    if fmt == "csv":
        return csv_response(name, columns, rows)
    return json_response(name, {key: rows})
