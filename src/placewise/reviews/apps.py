from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """Data review sessions, actions and their follow-ups: the one follow-up engine (ADR 0029).

    Its label stays "learning", the app's name before journeys were split from it (ADR 0031):
    the tables, migrations and other apps' migrations that depend on them keep their names, so a
    database made before the split upgrades with nothing to rename."""

    name = "placewise.reviews"
    label = "learning"

    def ready(self) -> None:
        from placewise.jobs import work
        from placewise.jobs.models import Job

        work.register(Job.Kind.PACK, "placewise.reviews.pack_jobs.make_pack")
