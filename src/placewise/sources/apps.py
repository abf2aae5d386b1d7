from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "placewise.sources"
    label = "sources"
    verbose_name = "Data sources and loads"
