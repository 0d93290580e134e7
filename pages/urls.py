"""The public pages' addresses: one module of pages.views per page (or pair of pages).

Every address is a permalink, and the models' get_absolute_url reverse these names (by string: the
other apps never import pages), so the names are global, not namespaced; tests/pages/test_urls.py
pins each name and pattern.
"""

from django.urls import path

from .views import claims, compare, metals_actors, questions, search, sources

urlpatterns = [
    path("", questions.home, name="home"),
    path("questions/", questions.question_list, name="question_list"),
    path("questions/<slug:slug>/", questions.question_detail, name="question_detail"),
    path("sources/", sources.source_list, name="source_list"),
    path("sources/<slug:slug>/", sources.source_detail, name="source_detail"),
    path("sources/<slug:slug>/text/", sources.source_text, name="source_text"),
    path("claims/<slug:ref>/", claims.claim_detail, name="claim_detail"),
    path("compare/", compare.compare, name="compare"),
    path("metals/", metals_actors.metal_list, name="metal_list"),
    path("metals/<slug:symbol>/", metals_actors.metal_detail, name="metal_detail"),
    path("actors/", metals_actors.actor_list, name="actor_list"),
    path("actors/<slug:slug>/", metals_actors.actor_detail, name="actor_detail"),
    path("search/", search.search, name="search"),
]
