from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "placewise.supervision"
    label = "supervision"

    def ready(self) -> None:
        # The follow-up engine asks this app whether a practice criterion moved.
        from placewise.reviews import evidence

        evidence.register("criterion", "placewise.supervision.evidence.criterion")
