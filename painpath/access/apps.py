from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "painpath.access"
    verbose_name = "Behörighet och logg"
