from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "placewise.surveys"
    label = "surveys"
    verbose_name = "Six dimensions (self and 360) and culture scans"
