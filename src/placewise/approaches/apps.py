from django.apps import AppConfig


class ApproachesConfig(AppConfig):
    name = "placewise.approaches"
    label = "approaches"
    verbose_name = "Approaches library and the place survey"
