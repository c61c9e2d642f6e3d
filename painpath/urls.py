from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from painpath.records import views as records

urlpatterns = [
    path("", records.home, name="home"),
    path("patienter/", records.patient_list, name="patient_list"),
    path("patienter/<str:pseudonym>/", records.patient_detail, name="patient_detail"),
    path("djupdykning/", include("painpath.deepdive.urls")),
    path("vardforlopp/", include("painpath.pathway.urls_outcomes")),
    path("vardforlopp/", include("painpath.pathway.urls")),
    path("vardforlopp/", include("painpath.pathway.urls_paper")),
    path("formular/", include("painpath.pathway.urls_patient")),
    path("", include("painpath.care.urls")),
    path("forbattring/", include("painpath.improvement.urls")),
    path("konto/logga-in/", auth_views.LoginView.as_view(), name="login"),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
