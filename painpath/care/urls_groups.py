"""Pain school (smärtskola), under /smartskola/."""

from django.urls import path

from painpath.care import views_groups as views

urlpatterns = [
    path("", views.group_list, name="care_groups"),
    path("ny/", views.group_new, name="care_group_new"),
    path("<int:pk>/", views.group_detail, name="care_group"),
    path("<int:pk>/lagg-till/", views.group_add, name="care_group_add"),
    path(
        "<int:pk>/deltagare/<int:participant_id>/avbryt/",
        views.group_withdraw,
        name="care_group_withdraw",
    ),
    path(
        "<int:pk>/traff/<int:number>/narvaro/", views.group_attendance, name="care_group_attendance"
    ),
]
