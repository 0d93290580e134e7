"""`{{ claim.quote|quoted }}`, `{{ claim.quote|quoted:140 }}`: a quote between marks, never doubled
(display.quoted); every template that quotes uses it."""

from django import template

from .. import display

register = template.Library()


@register.filter
def quoted(text, limit=None):
    return display.quoted(text, limit)
