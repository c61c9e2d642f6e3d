"""Coordination's indicators, under /samordning/indikatorer/ (care/urls.py); ?format=json
gives the same figures as JSON."""

from django.urls import path

from painpath.care import views_indicators as views

urlpatterns = [
    path("", views.indicators, name="care_indicators"),
]
