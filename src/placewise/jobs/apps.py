from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "placewise.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        # Registers retention's work with the worker (jobs/work.py).
        from placewise.jobs import housekeeping  # noqa: F401
