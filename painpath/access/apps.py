from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "painpath.access"
    verbose_name = "Behörighet och logg"

    def ready(self):
        from painpath.access import signals  # noqa: F401  (connects the receivers)
