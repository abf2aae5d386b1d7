from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "placewise.linkage"
    label = "linkage"

    def ready(self) -> None:
        from placewise.linkage import opt_outs, recorded  # the app registry is ready only now
        from placewise.sources import recovery
        from placewise.store import forget

        forget.forgotten.connect(opt_outs.drop_pairs, dispatch_uid="linkage-opt-outs")
        recovery.settled.connect(recorded.settle, dispatch_uid="linkage-recorded")
