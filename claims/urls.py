"""The public pages. The source and actor pages are here, not in the sources app, because they
show claims (see claims/views.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("questions/", views.question_list, name="question_list"),
    path("questions/<slug:slug>/", views.question_detail, name="question_detail"),
    path("sources/", views.source_list, name="source_list"),
    path("sources/<slug:slug>/", views.source_detail, name="source_detail"),
    path("compare/", views.compare, name="compare"),
    path("metals/", views.metal_list, name="metal_list"),
    path("metals/<slug:symbol>/", views.metal_detail, name="metal_detail"),
    path("actors/", views.actor_list, name="actor_list"),
    path("actors/<slug:slug>/", views.actor_detail, name="actor_detail"),
    path("search/", views.search, name="search"),
]
