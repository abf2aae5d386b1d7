from django.apps import AppConfig


class SystemMapConfig(AppConfig):
    name = "placewise.systemmap"
    label = "systemmap"
    verbose_name = "System map"
