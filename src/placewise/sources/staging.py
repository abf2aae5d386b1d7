"""Collecting a file's canonical records into the column tables the stores take.

Identifiers go to the enclave table; the analytic tables get the token, month of birth, sex,
ethnicity and postcode sector, never the identifiers themselves.
"""

import json
from dataclasses import dataclass, field

import pyarrow as pa

from placewise.sources.canonical import Event, IdentityRecord
from placewise.sources.values import postcode_sector
from placewise.store.pseudonymise import Tokeniser


@dataclass
class Staged:
    identities: dict[str, list[object]] = field(
        default_factory=lambda: {
            k: []
            for k in (
                "token",
                "source",
                "record_id",
                "given_name",
                "family_name",
                "date_of_birth",
                "sex",
                "postcode",
                "address",
                "nhs_number",
                "upn",
                "encoded",
                "date_of_birth_as_written",
            )
        }
    )
    records: dict[str, list[object]] = field(
        default_factory=lambda: {
            k: []
            for k in ("token", "source", "month_of_birth", "sex", "ethnicity", "postcode_sector")
        }
    )
    events: dict[str, list[object]] = field(
        default_factory=lambda: {
            k: []
            for k in (
                "token",
                "source",
                "origin",
                "kind",
                "start_date",
                "end_date",
                "code",
                "value",
                "team",
                "attrs",
            )
        }
    )
    _seen: set[tuple[object, ...]] = field(default_factory=set)

    def add_identity(self, record: IdentityRecord, tokens: Tokeniser) -> None:
        token = tokens.token(record.source, record.record_id)
        key = (
            token,
            record.given_name,
            record.family_name,
            record.date_of_birth,
            record.sex,
            record.postcode,
            record.address,
            record.nhs_number,
            record.upn,
            record.ethnicity,
            record.encoded,
            record.date_of_birth_as_written,
        )
        if key in self._seen:  # partner files repeat a person's details on every row
            return
        self._seen.add(key)
        values = (
            token,
            record.source,
            record.record_id,
            record.given_name,
            record.family_name,
            record.date_of_birth,
            record.sex,
            record.postcode,
            record.address,
            record.nhs_number,
            record.upn,
            record.encoded,
            record.date_of_birth_as_written,
        )
        for name, value in zip(self.identities, values, strict=True):
            self.identities[name].append(value)
        month = record.month_of_birth or (
            record.date_of_birth.replace(day=1)
            if record.date_of_birth and not record.date_of_birth_impossible
            else None
        )
        for name, value in zip(
            self.records,
            (
                token,
                record.source,
                month,
                record.sex,
                record.ethnicity,
                record.postcode_sector or postcode_sector(record.postcode),
            ),
            strict=True,
        ):
            self.records[name].append(value)

    def add_event(self, event: Event, tokens: Tokeniser) -> None:
        attrs = dict(event.attrs)
        origin = str(attrs.pop("origin", "unknown"))
        values = (
            tokens.token(event.source, event.record_id),
            event.source,
            origin,
            event.kind,
            event.start,
            event.end,
            event.code,
            event.value,
            event.team,
            json.dumps(attrs, sort_keys=True, default=str) if attrs else None,
        )
        for name, value in zip(self.events, values, strict=True):
            self.events[name].append(value)

    def tables(self, load_id: int) -> tuple[pa.Table, pa.Table, pa.Table]:
        """Arrow tables in the stores' column order, each stamped with the load."""
        return (
            _table(self.identities, _IDENTITY_TYPES, load_id),
            _table(self.records, _RECORD_TYPES, load_id),
            _table(self.events, _EVENT_TYPES, load_id),
        )


_S, _D = pa.string(), pa.date32()
_IDENTITY_TYPES = (_S, _S, _S, _S, _S, _D, _S, _S, _S, _S, _S, _S, _S)
_RECORD_TYPES = (_S, _S, _D, _S, _S, _S)
_EVENT_TYPES = (_S, _S, _S, _S, _D, _D, _S, pa.float64(), _S, _S)


def _table(
    columns: dict[str, list[object]], types: tuple[pa.DataType, ...], load_id: int
) -> pa.Table:
    arrays = [
        pa.array(values, type=kind) for values, kind in zip(columns.values(), types, strict=True)
    ]
    length = len(arrays[0]) if arrays else 0
    arrays.append(pa.array([load_id] * length, type=pa.int64()))
    return pa.table(arrays, names=[*columns, "load_id"])


def stamped(table: pa.Table, load_id: int) -> pa.Table:
    """The table with its load_id column set to this load (staged tables are read before the
    load has a number)."""
    index = table.schema.get_field_index("load_id")
    return table.set_column(index, "load_id", pa.array([load_id] * table.num_rows, type=pa.int64()))
