"""Improvement work's pages, under /forbattring/. Each resource has its own URL module."""

from django.urls import include, path

urlpatterns = [
    path("", include("painpath.improvement.urls_projects")),
    path("", include("painpath.improvement.urls_indicators")),
    path("", include("painpath.improvement.urls_export")),
    path("jamforelse/", include("painpath.improvement.urls_funnel")),
]
