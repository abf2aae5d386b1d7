from placewise.sources.models.load import Load, LoadIssue
from placewise.sources.models.source import Source

__all__ = ["Load", "LoadIssue", "Source"]
