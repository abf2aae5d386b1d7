from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "placewise.community"
    label = "community"
    verbose_name = "Community co-design"

    def ready(self) -> None:
        # A participant's contact details go on their deletion date, with the rest of retention.
        from placewise.jobs.at_retention import also_at_retention

        also_at_retention("community contacts", "placewise.community.at_retention.forget_contacts")
