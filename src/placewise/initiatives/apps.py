from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "placewise.initiatives"
    label = "initiatives"
