"""Opioid treatment agreements, under /samordning/opioidavtal/ (care/urls.py)."""

from django.urls import path

from painpath.care import views_opioids as views

urlpatterns = [
    path("", views.opioid_list, name="care_opioids"),
    path("ny/<str:pseudonym>/", views.opioid_new, name="care_opioid_new"),
    path("<int:pk>/", views.opioid_detail, name="care_opioid"),
    path("<int:pk>/avsluta/", views.opioid_end, name="care_opioid_end"),
]
