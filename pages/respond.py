"""How a public page answers: as HTML, or `?format=csv` / `?format=json` from the same view.

Every public view ends in `respond()`, giving it one template and context for the HTML and one
column list and list of records (pages.serialisers) for the CSV and JSON: the page never writes a
format itself, so each format reads the same and a view cannot forget one. Either part may be a
callable, called only when its format is asked for, so that each format runs only its own queries.

Cells that a spreadsheet would run as a formula go through `interchange.formats.neutralise`, the
one guard of every export, public or interchange.
"""

import csv
import io
import json
import math
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import BadRequest
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from core.text import LIST_SEPARATOR
from interchange.formats import neutralise

FORMATS = ("html", "csv", "json")
# The UTF-8 byte-order mark that opens every public CSV download (csv_response).
BOM = "\ufeff"


def respond(request, *, template, context, name, columns, records, key="rows", document=None):
    """The page as `?format=` asks: HTML, CSV or JSON (an unknown format is a 400).

    HTML: `template` rendered with `context`. CSV (`<name>.csv`): `records` (dicts) under the
    header `columns`, in that order. JSON (`<name>.json`): `{key: records}`, or `document(records)`
    for a page whose JSON says more than its rows. `context` and `records` may be callables: only
    the one the format needs is called.
    """
    fmt = requested_format(request)
    if fmt == "html":
        return render_page(request, template, context() if callable(context) else context)
    rows = records() if callable(records) else records
    if fmt == "csv":
        return csv_response(name, columns, rows)
    return json_response(name, document(rows) if document else {key: rows})


def requested_format(request):
    """`html`, `csv` or `json` from `?format=`; anything else is a bad request (400)."""
    value = request.GET.get("format", "") or "html"
    if value not in FORMATS:
        raise BadRequest(f"Unknown format {value!r}: use csv or json.")
    return value


def render_page(request, template, context, *, status=None):
    """A page's HTML; every page's template may show which claim statuses readers see."""
    context.setdefault("public_statuses", settings.PUBLIC_CLAIM_STATUSES)
    return render(request, template, context, status=status)


def safe_cell(value):
    """A CSV cell: numbers as they are, None as empty, a list joined, text guarded (neutralise)."""
    if value.__class__ is str:  # most cells: tested first
        return neutralise(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        # As the csv module writes them (90.0, not the page's "90"): a spreadsheet reads the
        # number either way, and the files' bytes are what readers' scripts already parse.
        return value
    if isinstance(value, list | tuple):
        value = LIST_SEPARATOR.join(str(item) for item in value)
    return neutralise(str(value))


def csv_response(name, columns, rows):
    """`rows` (dicts) as a CSV download named `<name>.csv`, UTF-8 with a byte-order mark, with
    `columns` as the header.

    A CSV longer than PUBLIC_PAGES_CACHE_MAX_BYTES is streamed: what is written so far is sent,
    then the rest row by row, so a large export starts at once and never sits whole in memory
    (pages.caching stores only what is under that size, and never a streamed response).
    """
    # The csv module's excel dialect (CRLF line ends) after a UTF-8 byte-order mark, so that Excel
    # opens the download with its accents intact (without the mark it reads the bytes as the
    # system's code page). The interchange files (interchange.formats.stream_csv: LF, no mark) are
    # written there, not here: the admin's export and export_data keep the bytes their imports read.
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerow(columns)
    rows = iter(rows)
    limit = settings.PUBLIC_PAGES_CACHE_MAX_BYTES
    for row in rows:
        writer.writerow([safe_cell(row.get(column)) for column in columns])
        if buffer.tell() > limit:  # characters: at most as many as the bytes
            response = StreamingHttpResponse(
                _streamed(buffer.getvalue(), rows, columns),
                content_type="text/csv; charset=utf-8",
            )
            break
    else:
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(name)}.csv"'
    return response


def _streamed(head, rows, columns):
    yield head
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([safe_cell(row.get(column)) for column in columns])
        if buffer.tell() > 65536:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def json_response(name, data):
    """`data` as compact JSON (no indentation: Python's C encoder writes only that, where an
    indented document took its pure-Python encoder and three times as long; JSON viewers and
    `json.tool` indent it for a reader). `<`, `>` and `&` are written as \\u escapes so the text
    is inert even if someone pastes it into an HTML page; infinities become null (JSON has no
    infinity)."""
    try:
        # Most documents hold no infinity: encoded as they are, without walking them first.
        text = _encode(data, allow_nan=False)
    except ValueError:
        text = _encode(_finite(data))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{_filename(name)}.json"'
    return response


def _encode(data, **options):
    return json.dumps(
        data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"), **options
    )


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
