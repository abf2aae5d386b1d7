"""Canonical records every reader yields, whatever the format it reads.

An identity record carries the fields linkage needs and never leaves the enclave; an event is what
happened to the person behind a source record, and goes to the analytic store under a token.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

# The canonical identity names are fixed so any tool (mapping files, linkage, encoders) can rely on them.
IDENTITY_FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "postcode",
    "address",
    "nhs_number",
    "upn",
)

Severity = Literal["error", "warning", "query"]


@dataclass(slots=True)
class IdentityRecord:
    source: str
    record_id: str
    given_name: str | None = None
    family_name: str | None = None
    date_of_birth: date | None = None
    sex: str | None = None  # M, F or U
    postcode: str | None = None
    address: str | None = None
    nhs_number: str | None = None
    upn: str | None = None
    ethnicity: str | None = None  # analytic, not identifying: goes to the store with the token
    # From an agency that encodes its identifiers itself (`placewise encode`): the Bloom filters
    # and keyed hashes as JSON, with the month of birth and postcode sector it chose to send.
    encoded: str | None = None
    month_of_birth: date | None = None
    postcode_sector: str | None = None
    # A date of birth that is not a real date (31/04/2015), as written: evidence for linkage,
    # compared as text in the enclave; date_of_birth is None then.
    date_of_birth_as_written: str | None = None
    # A real date that cannot be right (after the day the file was loaded): the enclave keeps it
    # for linkage, the analytic store gets no month of birth from it.
    date_of_birth_impossible: bool = False


@dataclass(slots=True)
class Event:
    source: str
    record_id: str
    kind: str
    start: date | None
    end: date | None = None
    code: str | None = None
    value: float | None = None
    team: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Issue:
    """A problem found in a file. Row numbers are as a person sees them in the file (header = 1)."""

    reason: str
    row: int | None = None
    column: str | None = None
    severity: Severity = "error"
    rule: str = ""


@dataclass(slots=True)
class Parsed:
    """What one row (or one child, for XML) of a file gave."""

    row: int
    identity: IdentityRecord | None = None
    events: list[Event] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    is_row: bool = True  # False for file- or header-level findings

    @property
    def has_errors(self) -> bool:
        return any(i.severity == "error" for i in self.issues)


class FileRejected(Exception):
    """The file as a whole cannot be read: nothing from it is loaded."""

    def __init__(self, reason: str, row: int | None = None, column: str | None = None) -> None:
        where = ""
        if row is not None:
            where = f"row {row}" + (f", column '{column}'" if column else "") + ": "
        elif column:
            where = f"column '{column}': "
        super().__init__(f"{where}{reason}")
        self.reason = reason
        self.row = row
        self.column = column
