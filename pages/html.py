"""format_html as django.utils.html writes it, without the lazy-text wrappers that are most of
its cost (django's escape and mark_safe each check every argument for a lazy translation): the
same markup, for what a page writes dozens of times (pages.rows, the {% link %} tags)."""

import html

from django.utils.safestring import SafeString


def escaped(value):
    """django.utils.html.conditional_escape: markup already safe as it is, anything else escaped
    (a lazy text is made text by str() at once instead of later: the same markup)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def format_html(template, *args):
    """django.utils.html.format_html: `template` with each argument escaped, marked safe."""
    return SafeString(template.format(*map(escaped, args)))


def safe(text):
    """mark_safe of a text (only of a text: no lazy text, no callable)."""
    return SafeString(text)
