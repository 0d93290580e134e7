"""`{{ claim|claim_label }}`: how a page names a claim, crediting who said it (display.claim_label)."""

from django import template

from .. import display

register = template.Library()


@register.filter
def claim_label(claim):
    return display.claim_label(claim)
