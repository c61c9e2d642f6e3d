"""Comparison across clinics or caregivers: the funnel plot, under /forbattring/jamforelse/."""

from django.urls import path

from painpath.improvement import views_funnel as views

urlpatterns = [
    path("", views.comparison_page, name="improvement_funnel"),
]
