"""Every address the site answers: a public URL is a permalink, so none may move or vanish."""

from django.urls import URLResolver, get_resolver, reverse

PUBLIC_URLS = {
    "login": "login/",
    "logout": "logout/",
    "home": "",
    "question_list": "questions/",
    "question_detail": "questions/<slug:slug>/",
    "source_list": "sources/",
    "source_detail": "sources/<slug:slug>/",
    "source_text": "sources/<slug:slug>/text/",
    "claim_detail": "claims/<slug:ref>/",
    "compare": "compare/",
    "metal_list": "metals/",
    "metal_detail": "metals/<slug:symbol>/",
    "actor_list": "actors/",
    "actor_detail": "actors/<slug:slug>/",
    "search": "search/",
}


def _named(patterns, prefix=""):
    """{name: full pattern} of every named URL under `patterns`, the admin's left out."""
    found = {}
    for entry in patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if entry.app_name != "admin":
                found.update(_named(entry.url_patterns, pattern))
        elif entry.name:
            found[entry.name] = pattern
    return found


def test_the_public_urls_keep_their_names_and_patterns():
    assert _named(get_resolver().url_patterns) == PUBLIC_URLS


def test_the_admin_urls_of_the_records_resolve():
    assert reverse("admin:claims_claim_change", args=[1]) == "/admin/claims/claim/1/change/"
    assert reverse("admin:sources_source_changelist") == "/admin/sources/source/"
    assert reverse("admin:sources_actor_changelist") == "/admin/sources/actor/"
    assert reverse("admin:claims_question_changelist") == "/admin/claims/question/"
    assert reverse("admin:claims_metal_changelist") == "/admin/claims/metal/"
