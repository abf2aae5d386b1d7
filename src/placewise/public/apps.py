from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "placewise.public"
    label = "public"
