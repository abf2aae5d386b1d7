"""A load's findings kept row by row, up to a limit: the total is always counted, but a file
with a finding on every one of a million rows must not write a million rows to the operational
database. Called inside a load's write (sources/actions.py)."""

from placewise.sources.canonical import Issue
from placewise.sources.models import Load, LoadIssue

# A load keeps at most this many issues row by row; the total is always counted.
MAX_STORED_ISSUES = 5000


def keep(load: Load, issues: list[Issue]) -> None:
    """Store findings row by row (the caller decides how many fit)."""
    LoadIssue.objects.bulk_create(
        [
            LoadIssue(
                load=load,
                row=i.row,
                column=(i.column or "")[:255],
                severity=i.severity,
                rule=i.rule[:40],
                reason=i.reason,
            )
            for i in issues
        ],
        batch_size=1000,
    )
