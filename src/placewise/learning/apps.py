from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "placewise.learning"
    label = "learning"
