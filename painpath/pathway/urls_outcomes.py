from django.urls import path

from painpath.pathway import views_outcomes as views

urlpatterns = [
    path("indikatorer/", views.indicators, name="pathway_indicators"),
    path("<int:pk>/utfall/", views.outcomes, name="pathway_outcomes"),
]
