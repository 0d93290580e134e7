"""How a page names a claim: `{{ claim|claim_label }}`, crediting who said it
(display.claim_label), and `{{ claim|claim_links }}`, its links to and from other public claims
(display.claim_links)."""

from django import template

from .. import display

register = template.Library()


@register.filter
def claim_label(claim):
    return display.claim_label(claim)


@register.filter
def claim_links(claim):
    return display.claim_links(claim)
