from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "placewise.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        from placewise.jobs import work
        from placewise.jobs.models import Job

        work.register(Job.Kind.RETENTION, "placewise.jobs.housekeeping.apply_retention")
