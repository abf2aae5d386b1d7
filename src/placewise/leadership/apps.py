from django.apps import AppConfig


class LeadershipConfig(AppConfig):
    name = "placewise.leadership"
    label = "leadership"

    def ready(self) -> None:
        # The follow-up engine asks this app whether a 4C experiment or a coaching Will made a
        # difference: the person's own reflection says.
        from placewise.reviews import evidence

        evidence.register("reflection", "placewise.leadership.evidence.reflection")
