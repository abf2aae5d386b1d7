from django.apps import AppConfig


class ServiceReviewsConfig(AppConfig):
    name = "placewise.service_reviews"
    label = "service_reviews"
    verbose_name = "Operational and strategic reviews"
