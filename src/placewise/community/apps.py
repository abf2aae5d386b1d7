from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "placewise.community"
    label = "community"
    verbose_name = "Community co-design"
