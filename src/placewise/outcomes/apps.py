from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "placewise.outcomes"
    label = "outcomes"

    def ready(self) -> None:
        # Registers the figures' and the export's work with the jobs' worker (jobs/work.py).
        from placewise.outcomes import figure_jobs  # noqa: F401
