from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "placewise.web"
    label = "web"
