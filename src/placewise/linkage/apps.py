from typing import Any

from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "placewise.linkage"
    label = "linkage"

    def ready(self) -> None:
        from placewise.sources.signals import settled
        from placewise.store.signals import forgotten

        forgotten.connect(_drop_pairs, dispatch_uid="linkage-opt-outs")
        settled.connect(_settle, dispatch_uid="linkage-recorded")


# The receivers import their modules when called, not when Django starts: every command and web
# worker starts Django, and linkage's modules bring pyarrow and Splink's SQL with them.
def _drop_pairs(**kwargs: Any) -> None:
    from placewise.linkage import opt_outs

    opt_outs.drop_pairs(**kwargs)


def _settle(**kwargs: Any) -> str | None:
    from placewise.linkage import recorded

    return recorded.settle(**kwargs)
