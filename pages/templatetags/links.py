"""`{% link record text %}`: a link to a record's public page, or the text alone if it has none."""

from django import template
from django.utils.html import conditional_escape, format_html

register = template.Library()


@register.simple_tag
def link(record, text):
    """`<a href="…">text</a>` to `record.get_absolute_url()`; the text unlinked when that is blank
    (a key stored around validation, see core.links.page_url) or when there is no record (unnamed
    reports), so the page still renders."""
    url = record.get_absolute_url() if record is not None else ""
    if not url:
        return conditional_escape(text)
    return format_html('<a href="{}">{}</a>', url, text)
