"""Staff pages for questionnaires, under /vardforlopp/ beside urls.py: answers from paper and
the letter with the link (views_paper.py)."""

from django.urls import path

from painpath.pathway import views_paper as views

urlpatterns = [
    path("<int:pk>/inbjudan/", views.invitation_letter, name="pathway_invitation"),
    path("<int:pk>/svar/<str:timepoint>/", views.paper_answers, name="pathway_paper"),
    path(
        "<int:pk>/svar/<str:timepoint>/<slug:code>/",
        views.paper_instrument,
        name="pathway_paper_instrument",
    ),
]
