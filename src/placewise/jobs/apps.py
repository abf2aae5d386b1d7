from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "placewise.jobs"
    label = "jobs"
    verbose_name = "Background jobs"
