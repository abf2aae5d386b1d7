from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "placewise.outcomes"
    label = "outcomes"
