"""Coordination's pages. Each resource has its own URL module beside its views."""

from django.urls import include, path

urlpatterns = [
    path("samordning/", include("painpath.care.urls_team")),
    path("samordning/opioidavtal/", include("painpath.care.urls_opioids")),
    path("samordning/indikatorer/", include("painpath.care.urls_indicators")),
    path("telefonradgivning/", include("painpath.care.urls_triage")),
    path("smartskola/", include("painpath.care.urls_groups")),
    path("utbildning/", include("painpath.care.urls_training")),
]
