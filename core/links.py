"""Links to the public pages from anywhere (models, templates), that never fail."""

from django.urls import NoReverseMatch, reverse


def page_url(viewname, key):
    """The address of a record's public page, or "" when its stored key cannot be in one.

    Keys are validated to what the URL patterns accept (SlugField's validate_slug, and
    claims.models.METAL_SYMBOL), but a row written around validation (SQL, data from before the
    validators) must not fail every page that links to it: the pages show it unlinked instead.
    """
    try:
        return reverse(viewname, args=[key])
    except NoReverseMatch:
        return ""
