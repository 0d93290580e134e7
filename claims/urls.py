from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("questions/<slug:slug>/", views.question_detail, name="question_detail"),
    path("metals/<str:symbol>/", views.metal_detail, name="metal_detail"),
]
