from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "placewise.linkage"
    label = "linkage"
