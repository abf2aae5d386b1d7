from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "placewise.supervision"
    label = "supervision"
