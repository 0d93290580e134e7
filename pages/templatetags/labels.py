"""How a page names a claim: `{{ claim|claim_label }}`, crediting who said it
(display.claim_label), and `{{ claim|claim_links }}`, its links to and from other public claims
(display.claim_links); `{{ code|verdict_badge }}`, a stored verdict's badge (display.badge)."""

from django import template

from claims.comparison import Verdict

from .. import display

register = template.Library()


@register.filter
def claim_label(claim):
    return display.claim_label(claim)


@register.filter
def claim_links(claim):
    return display.claim_links(claim)


@register.filter
def verdict_badge(code):
    """The badge of a verdict stored as its code (a VerdictChange's), as display.badge words it."""
    return display.badge(Verdict(code))
