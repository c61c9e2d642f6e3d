from django.urls import path

from painpath.deepdive import views

urlpatterns = [
    path("", views.deep_dive, name="deep_dive"),
    path("csv/", views.deep_dive_download, name="deep_dive_csv"),
]
