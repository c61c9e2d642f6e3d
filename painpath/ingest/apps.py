from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "painpath.ingest"
    verbose_name = "Import"
