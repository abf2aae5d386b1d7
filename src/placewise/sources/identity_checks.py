"""Checking the identity values in a file: wrong ones are evidence for linkage, not rejections.

A date of birth that is not a real date, a postcode that is not a postcode, an NHS number failing
its check digit or a UPN failing its check letter is usually a typo, and a typo still matches the
same typo (or the right value, one digit off) in another agency's records. So the row loads, the
value is kept as written in the enclave, it gives the analytic store no month of birth or postcode
sector, and the load's findings carry a warning with its row and column. Values are never echoed in
a finding: they identify a person.

One `IdentityChecks` serves one file: it remembers each record's identity to warn when one record
ID carries two dates of birth, NHS numbers or UPNs, and warns about a record's bad value once, not
on every row that repeats it.
"""

import re
from collections.abc import Mapping, Sequence
from datetime import date
from operator import mul

from placewise.sources.canonical import Event, IdentityRecord, Issue
from placewise.sources.values import normalise_postcode, parse_date, text

# The UPN check letter alphabet: A–Z without I, O and S (DfE, "Unique pupil numbers", annex).
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_UPN = re.compile(rf"^[{UPN_LETTERS}][0-9]{{11}}[0-9{UPN_LETTERS}]$")
_NHS_SEPARATORS = re.compile(r"[\s-]+")
# Identity fields that one person cannot have two of; names and postcodes legitimately change.
FIXED_FIELDS = ("date_of_birth", "nhs_number", "upn")


def nhs_number_is_valid(digits: str) -> bool:
    """Ten digits whose last is the modulus-11 check digit of the first nine (weights 10 to 2).

    A number of one digit repeated passes the arithmetic but is a system's placeholder for
    'not known' (0000000000, 9999999999), never a person's number.
    """
    if len(digits) != 10 or not (digits.isascii() and digits.isdigit()) or len(set(digits)) == 1:
        return False
    total = sum(map(mul, map(int, digits[:9]), range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def upn_is_valid(upn: str) -> bool:
    """A check letter, eleven digits and a digit (or, in a temporary UPN, a letter), where the
    check letter is the weighted sum of characters 2–13 (weights 2 to 13) modulo 23."""
    if not _UPN.match(upn):
        return False
    total = sum(
        (int(ch) if ch.isdigit() else UPN_LETTERS.index(ch)) * weight
        for weight, ch in enumerate(upn[1:], start=2)
    )
    return UPN_LETTERS[total % 23] == upn[0]


class IdentityChecks:
    """The identity checks of one file (see the module's docstring)."""

    def __init__(self, *, today: date | None = None) -> None:
        self.today = today or date.today()
        self._warned: set[tuple[str, str]] = set()
        # record ID -> (the row it was first seen on, its date of birth, NHS number, UPN)
        self._first: dict[str, tuple[int, tuple[object, ...]]] = {}

    def birth_date(
        self,
        value: object,
        *,
        record_id: str,
        row: int,
        column: str,
        issues: list[Issue],
        fmt: str | None = None,
    ) -> tuple[date | None, str | None]:
        """(the date of birth, None) or, when it is not a real date, (None, as written)."""
        found: list[Issue] = []
        born = parse_date(value, row=row, column=column, issues=found, fmt=fmt, sensitive=True)
        errors = [i for i in found if i.severity == "error"]
        issues.extend(i for i in found if i.severity != "error")
        if not errors:
            return born, None
        self._warn(
            issues,
            record_id,
            row,
            column,
            "date_of_birth",
            "the date of birth is not a real date (or is before 1900); kept as written for "
            "linkage, with no month of birth in the analytic store",
        )
        return None, str(value).strip()

    def postcode(
        self, value: object, *, record_id: str, row: int, column: str, issues: list[Issue]
    ) -> str | None:
        """The postcode in its standard spacing or, when it is not a UK postcode, as written."""
        raw = text(value)
        if raw is None:
            return None
        standard = normalise_postcode(raw)
        if standard is not None:
            return standard
        self._warn(
            issues,
            record_id,
            row,
            column,
            "postcode",
            "not a UK postcode; kept as written for linkage, with no postcode sector in the "
            "analytic store",
        )
        return raw.upper()

    def nhs_number(
        self, value: object, *, record_id: str, row: int, column: str, issues: list[Issue]
    ) -> str | None:
        """The NHS number's ten digits (spaces and hyphens as written are dropped); one failing
        its check digit is kept, with a warning."""
        raw = text(value)
        if raw is None:
            return None
        compact = raw if raw.isdigit() else _NHS_SEPARATORS.sub("", raw).upper()
        if nhs_number_is_valid(compact):
            return compact
        self._warn(
            issues,
            record_id,
            row,
            column,
            "nhs_number",
            "not a valid NHS number (ten digits whose last is the check digit); kept as "
            "written for linkage",
        )
        return compact

    def upn(
        self, value: object, *, record_id: str, row: int, column: str, issues: list[Issue]
    ) -> str | None:
        """The UPN in capitals; one failing its check letter is kept, with a warning."""
        raw = text(value)
        if raw is None:
            return None
        upn = raw.upper()
        if upn_is_valid(upn):
            return upn
        self._warn(
            issues,
            record_id,
            row,
            column,
            "upn",
            "not a valid UPN (a check letter, then twelve characters it is worked out from); "
            "kept as written for linkage",
        )
        return upn

    def whole(
        self,
        identity: IdentityRecord,
        events: Sequence[Event],
        *,
        row: int,
        columns: Mapping[str, str],
        issues: list[Issue],
    ) -> None:
        """The checks that need the whole record: a date of birth in the future or after this
        row's own events, and one record ID with two dates of birth, NHS numbers or UPNs.

        `columns` names the file's column for each identity field the file has; `events` empty
        skips the check against events (statutory returns record work before birth, with
        unborn children, and the DfE's own rules check those).
        """
        born = identity.date_of_birth
        dob_column = columns.get("date_of_birth", "date_of_birth")
        if born is not None and born > self.today:
            identity.date_of_birth_impossible = True
            self._warn(
                issues,
                identity.record_id,
                row,
                dob_column,
                "date_of_birth",
                "the date of birth is after the day this file was loaded; kept for linkage, "
                "with no month of birth in the analytic store",
            )
        elif born is not None:
            earlier = [e for e in events if e.start is not None and e.start < born]
            if earlier:
                first = min(earlier, key=lambda e: e.start or born)
                self._warn(
                    issues,
                    identity.record_id,
                    row,
                    dob_column,
                    "birth_order",
                    f"the date of birth is after this row's {first.kind.replace('_', ' ')} "
                    "starts: one of the two is wrong; both kept",
                )
        self._conflicts(identity, row=row, columns=columns, issues=issues)

    def _conflicts(
        self, identity: IdentityRecord, *, row: int, columns: Mapping[str, str], issues: list[Issue]
    ) -> None:
        values = (
            identity.date_of_birth or identity.date_of_birth_as_written,
            identity.nhs_number,
            identity.upn,
        )
        seen = self._first.get(identity.record_id)
        if seen is None:
            self._first[identity.record_id] = (row, values)
            return
        first_row, first = seen
        for name, before, now in zip(FIXED_FIELDS, first, values, strict=True):
            if before is None or now is None or before == now:
                continue
            self._warn(
                issues,
                identity.record_id,
                row,
                columns.get(name, name),
                f"conflict_{name}",
                f"record {identity.record_id} has a different {name.replace('_', ' ')} here "
                f"from row {first_row}: one person cannot have two; both kept for linkage",
            )

    def _warn(
        self,
        issues: list[Issue],
        record_id: str,
        row: int,
        column: str,
        rule: str,
        reason: str,
    ) -> None:
        # Partner files repeat a person's details on every row: one finding per record and rule.
        key = (record_id, rule)
        if key in self._warned:
            return
        self._warned.add(key)
        issues.append(Issue(reason, row, column, "warning", rule))
