"""Coordination of one pathway patient (views_team.py, views_meetings.py), under /samordning/."""

from django.urls import path

from painpath.care import views_meetings, views_team

urlpatterns = [
    path("", views_team.overview, name="care_overview"),
    path("<int:pk>/", views_team.enrolment_care, name="care_enrolment"),
    path("<int:pk>/team/", views_team.team_add, name="care_team_add"),
    path(
        "<int:pk>/team/<int:member_id>/avslutar/",
        views_team.team_leave,
        name="care_team_leave",
    ),
    path("<int:pk>/plan/", views_team.plan_new, name="care_plan_new"),
    path("<int:pk>/plan/<int:version>/", views_team.plan_version, name="care_plan_version"),
    path("<int:pk>/overenskommelse/", views_team.agreement_new, name="care_agreement_new"),
    path(
        "<int:pk>/overenskommelse/<int:version>/",
        views_team.agreement_version,
        name="care_agreement_version",
    ),
    path(
        "<int:pk>/overenskommelse/<int:version>/utskrift/",
        views_team.agreement_print,
        name="care_agreement_print",
    ),
    path("<int:pk>/rehabmote/", views_meetings.meeting_new, name="care_meeting_new"),
]
