"""The clinician's pages of the pathway, under /vardforlopp/ (painpath/urls.py). The
questionnaire links, paper entry and letters have their own module, urls_paper.py."""

from django.urls import path

from painpath.pathway import views_staff as views

urlpatterns = [
    path("", views.worklist, name="pathway_worklist"),
    path("ny/<str:pseudonym>/", views.enrol, name="pathway_enrol"),
    path("<int:pk>/", views.enrolment_detail, name="pathway_enrolment"),
    path("<int:pk>/sammanfattning/", views.summary, name="pathway_summary"),
    path("<int:pk>/bedomning/", views.book_assessment, name="pathway_book_assessment"),
    path(
        "<int:pk>/bedomning/<int:assessment_id>/genomford/",
        views.assessment_done,
        name="pathway_assessment_done",
    ),
    path(
        "<int:pk>/bedomning/<int:assessment_id>/avbokning/",
        views.assessment_cancel,
        name="pathway_assessment_cancel",
    ),
    path("<int:pk>/paminnelse/<int:invitation_id>/", views.remind, name="pathway_remind"),
    path("<int:pk>/tackar-nej/", views.change_state, {"action": "decline"}, name="pathway_decline"),
    path("<int:pk>/avbryt/", views.change_state, {"action": "cancel"}, name="pathway_cancel"),
    path(
        "<int:pk>/avbrutet-deltagande/",
        views.change_state,
        {"action": "drop_out"},
        name="pathway_drop_out",
    ),
    path("<int:pk>/oppna-igen/", views.change_state, {"action": "reopen"}, name="pathway_reopen"),
]
