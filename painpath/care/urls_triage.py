"""Telephone triage, under /telefonradgivning/ (care/urls.py)."""

from django.urls import path

from painpath.care import views_triage as views

urlpatterns = [
    path("", views.triage_lookup, name="triage_lookup"),
    path("<int:pk>/", views.triage_card, name="triage_card"),
]
