from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    """Improvement projects: measures over time as run and control charts, PDSA cycles,
    and funnel plots that compare clinics for learning, not judgement."""

    name = "painpath.improvement"
    label = "improvement"
    verbose_name = "Förbättringsarbete"
