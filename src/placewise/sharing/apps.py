from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "placewise.sharing"
    label = "sharing"
