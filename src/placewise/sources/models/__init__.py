from placewise.sources.models.load import Load, LoadIssue

__all__ = ["Load", "LoadIssue"]
