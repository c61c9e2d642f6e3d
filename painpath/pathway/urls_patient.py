"""The patient's questionnaires, opened by the token in the link (no login): /formular/…"""

from django.urls import path

from painpath.pathway import views_patient as views

urlpatterns = [
    # Before <token>/: "tack" is no token.
    path("tack/", views.questionnaire_thanks, name="questionnaire_thanks"),
    path("<str:token>/", views.questionnaire_start, name="questionnaire_start"),
    path("<str:token>/<int:number>/", views.questionnaire_page, name="questionnaire_page"),
    path("<str:token>/skicka/", views.questionnaire_submit, name="questionnaire_submit"),
    # Anything else under /formular/ gets the same refusal (and no log line with a token).
    path("<path:rest>", views.not_a_page),
]
