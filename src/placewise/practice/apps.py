from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "placewise.practice"
    label = "practice"
