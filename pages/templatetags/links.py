"""`{% link record text %}`: a link to a record's public page, or the text alone if it has none."""

from django import template

from core.links import page_url

from ..html import format_html

register = template.Library()


@register.simple_tag
def link(record, text):
    """`<a href="…">text</a>` to `record.get_absolute_url()`; the text unlinked when that is blank
    (a key stored around validation, see core.links.page_url) or when there is no record (unnamed
    reports), so the page still renders."""
    url = record.get_absolute_url() if record is not None else ""
    if not url:
        return format_html("{}", text)
    return format_html('<a href="{}">{}</a>', url, text)


@register.simple_tag
def in_context(claim):
    """` <a …>see in context</a>`: the claim's quote in its source's reading view, when the stored
    flag says the quote is in the text; else nothing. A tag rather than an include because it
    stands in every claim row (the address is remembered by core.links.page_url)."""
    if not claim.quote_found:
        return ""
    url = page_url("source_text", claim.source.slug)
    if not url:
        return ""
    return format_html(
        ' <a class="in-context" href="{}#claim-{}">see in context</a>', url, claim.ref
    )
