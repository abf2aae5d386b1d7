from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "placewise.learning"
    label = "learning"

    def ready(self) -> None:
        # Registers the review session pack's work with the jobs' worker (jobs/work.py).
        from placewise.learning import pack_jobs  # noqa: F401
