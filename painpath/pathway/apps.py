from django.apps import AppConfig


class PathwayConfig(AppConfig):
    """The structured pathway: enrolment, questionnaires, assessment, follow-up, outcomes."""

    name = "painpath.pathway"
    label = "pathway"
    verbose_name = "Strukturerat omhändertagande"
