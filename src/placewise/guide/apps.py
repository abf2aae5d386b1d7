from django.apps import AppConfig


class GuideConfig(AppConfig):
    name = "placewise.guide"
    label = "guide"
