"""The project and its PDSA cycles, under /forbattring/."""

from django.urls import path

from painpath.improvement import views_pdsa as pdsa
from painpath.improvement import views_projects as views

urlpatterns = [
    path("", views.project_list, name="improvement_projects"),
    path("nytt/", views.project_new, name="improvement_project_new"),
    path("<int:pk>/", views.project_detail, name="improvement_project"),
    path("<int:pk>/del-1/", views.project_edit, name="improvement_project_edit"),
    path("<int:pk>/del-2/", views.project_part2, name="improvement_project_part2"),
    path("<int:pk>/team/", views.team_add, name="improvement_team_add"),
    path("<int:pk>/team/<int:member>/ta-bort/", views.team_remove, name="improvement_team_remove"),
    path("<int:pk>/orsaker/", views.cause_add, name="improvement_cause_add"),
    path(
        "<int:pk>/orsaker/<int:cause>/ta-bort/",
        views.cause_delete,
        name="improvement_cause_delete",
    ),
    path("<int:pk>/orsaker/<int:cause>/ideer/", views.idea_add, name="improvement_idea_add"),
    path("<int:pk>/ideer/<int:idea>/ta-bort/", views.idea_delete, name="improvement_idea_delete"),
    path("<int:pk>/pdsa/ny/", pdsa.pdsa_new, name="improvement_pdsa_new"),
    path("<int:pk>/pdsa/<int:cycle>/", pdsa.pdsa_detail, name="improvement_pdsa"),
    path("<int:pk>/pdsa/<int:cycle>/andra/", pdsa.pdsa_edit, name="improvement_pdsa_edit"),
    path("<int:pk>/pdsa/<int:cycle>/ta-bort/", pdsa.pdsa_delete, name="improvement_pdsa_delete"),
]
