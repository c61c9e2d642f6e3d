from django.apps import AppConfig


class DeepDiveConfig(AppConfig):
    """The cohort deep-dive (djupdykning) and prescription indicators: the page, the
    commands, and the bridge from the app's database to painpath.analytics."""

    name = "painpath.deepdive"
    label = "deepdive"
    verbose_name = "Djupdykning"
