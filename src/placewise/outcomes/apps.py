from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "placewise.outcomes"
    label = "outcomes"

    def ready(self) -> None:
        from placewise.jobs import work
        from placewise.jobs.models import Job

        work.register(Job.Kind.REFRESH, "placewise.outcomes.figure_jobs.refresh")
        work.register(Job.Kind.EXPORT, "placewise.outcomes.figure_jobs.export")
