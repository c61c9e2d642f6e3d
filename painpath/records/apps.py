from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "painpath.records"
    verbose_name = "Journaldata"
