from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "placewise.surveys"
    label = "surveys"
    verbose_name = "Six dimensions (self and 360) and culture scans"

    def ready(self) -> None:
        # The audit log's words for this app's actions (web/labels.py names the others').
        from placewise.surveys.actions import AUDIT_WORDS
        from placewise.web import labels

        for action, words in AUDIT_WORDS.items():
            labels.AUDIT_ACTIONS.setdefault(action, words)
