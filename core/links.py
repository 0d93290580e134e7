"""Links to the public pages from anywhere (models, templates), that never fail."""

from functools import lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse


def page_url(viewname, key):
    """The address of a record's public page, or "" when its stored key cannot be in one.

    Keys are validated to what the URL patterns accept (SlugField's validate_slug, and
    claims.models.METAL_SYMBOL), but a row written around validation (SQL, data from before the
    validators) must not fail every page that links to it: the pages show it unlinked instead.
    """
    # Remembered per address book (the URLconf and the prefix the site is served under): a page
    # names the same records many times over (a source beside each of its claims, the claims of
    # a table and of its CSV), and reverse() walks the URL patterns each time.
    return _reversed(settings.ROOT_URLCONF, get_urlconf(), get_script_prefix(), viewname, key)


@lru_cache(maxsize=50_000)
def _reversed(root_urlconf, urlconf, prefix, viewname, key):
    try:
        return reverse(viewname, args=[key])
    except NoReverseMatch:
        return ""
