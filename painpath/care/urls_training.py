"""Staff training (utbildning), under /utbildning/."""

from django.urls import path

from painpath.care import views_training as views

urlpatterns = [
    path("", views.training, name="care_training"),
    path("<int:pk>/registrera/", views.training_record, name="care_training_record"),
    path("personal/", views.staff, name="care_staff"),
]
