from django.apps import AppConfig


class JourneysConfig(AppConfig):
    """A person's records across agencies and cohorts' journeys: reads only, no models."""

    name = "placewise.journeys"
    label = "journeys"
