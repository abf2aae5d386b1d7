from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """Data review sessions, actions and their follow-ups: the one follow-up engine (ADR 0029).

    Its label stays "learning", the app's name before journeys were split from it (ADR 0031):
    the tables, migrations and other apps' migrations that depend on them keep their names, so a
    database made before the split upgrades with nothing to rename."""

    name = "placewise.reviews"
    label = "learning"

    def ready(self) -> None:
        # Registers the review session pack's work with the jobs' worker (jobs/work.py).
        from placewise.reviews import pack_jobs  # noqa: F401
