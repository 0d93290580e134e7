"""A source's stored text as the reading view shows it: paragraphs, with the spans of its claims'
quotes highlighted. Pure: the text and the spans in, HTML out.

Quotes may overlap or nest: each paragraph is cut at every start and end of a span, and each piece
is wrapped in one <mark> per span covering it, opened and closed around that piece, so the HTML
stays well formed however spans cross (and a quote across paragraphs is marked in each). The first
piece of a span carries its id, the target of "see in context" links.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

# Paragraphs are separated by a blank line (a line of whitespace at most).
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")


def paragraphs(text, spans):
    """[{"html": the paragraph's marked-up text, "keys": the keys of the spans starting in it}]
    for `text`, where `spans` are (start, end, key) offsets into it; the key (a claim's ref) names
    the mark's id, `claim-<key>`."""
    spans = sorted(spans)
    found, at = [], 0
    for gap in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = gap.start() if gap else len(text)
        if text[at:end].strip():
            found.append(_paragraph(text, at, end, spans))
        if gap:
            at = gap.end()
    return found


def _paragraph(text, start, end, spans):
    inside = [span for span in spans if span[0] < end and span[1] > start]
    cuts = sorted(
        {start, end}
        | {s for s, _, _ in inside if start < s < end}
        | {e for _, e, _ in inside if start < e < end}
    )
    pieces = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [(s, key) for s, e, key in inside if s < b and e > a]
        piece = escape(text[a:b]).replace("\n", "<br>")
        opened = "".join(
            f'<mark class="quote" id="claim-{escape(key)}">' if s == a else '<mark class="quote">'
            for s, key in covering
        )
        pieces.append(f"{opened}{piece}{'</mark>' * len(covering)}")
    keys = [key for s, _, key in inside if start <= s < end]
    return {"html": mark_safe("".join(pieces)), "keys": keys}  # noqa: S308 (escaped above)
