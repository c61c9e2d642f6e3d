"""An improvement project's indicators, under /forbattring/<project>/indikatorer/."""

from django.urls import path

from painpath.improvement import views_indicators as views

urlpatterns = [
    path(
        "<int:project_pk>/indikatorer/ny/",
        views.indicator_new,
        name="improvement_indicator_new",
    ),
    path(
        "<int:project_pk>/indikatorer/<int:pk>/",
        views.indicator_detail,
        name="improvement_indicator",
    ),
    path(
        "<int:project_pk>/indikatorer/<int:pk>/andra/",
        views.indicator_edit,
        name="improvement_indicator_edit",
    ),
    path(
        "<int:project_pk>/indikatorer/<int:pk>/mat/",
        views.indicator_measure,
        name="improvement_indicator_measure",
    ),
    path(
        "<int:project_pk>/indikatorer/<int:pk>/diagram/",
        views.indicator_settings,
        name="improvement_indicator_settings",
    ),
    path(
        "<int:project_pk>/indikatorer/<int:pk>/varden/",
        views.measurement_entry,
        name="improvement_measurement_entry",
    ),
    path(
        "<int:project_pk>/indikatorer/<int:pk>/anteckningar/",
        views.note_add,
        name="improvement_note_add",
    ),
    path(
        "<int:project_pk>/indikatorer/<int:pk>/ta-bort/",
        views.indicator_delete,
        name="improvement_indicator_delete",
    ),
    path(
        "<int:project_pk>/indikatorer/<int:pk>/anteckningar/<int:note>/ta-bort/",
        views.note_delete,
        name="improvement_note_delete",
    ),
    path(
        "<int:project_pk>/indikatorer/<int:pk>/varden/<int:measurement>/ta-bort/",
        views.measurement_delete,
        name="improvement_measurement_delete",
    ),
]
