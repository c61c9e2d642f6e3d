from django.apps import AppConfig


class SynthConfig(AppConfig):
    name = "painpath.synth"
    verbose_name = "Syntetiska data"
