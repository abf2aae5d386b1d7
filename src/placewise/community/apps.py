from datetime import date

from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "placewise.community"
    label = "community"
    verbose_name = "Community co-design"

    def ready(self) -> None:
        # A participant's contact details go on their deletion date, with the rest of retention.
        from django.contrib.auth.models import User

        from placewise.community.actions import forget_contacts_due
        from placewise.jobs.housekeeping import also_at_retention

        def forget(today: date, by: User) -> str:
            count = forget_contacts_due(today=today, by=by)
            if not count:
                return ""
            return (
                f"the contact details of {count:,} co-design "
                f"participant{'s' if count != 1 else ''} deleted"
            )

        also_at_retention("community contacts", forget)
