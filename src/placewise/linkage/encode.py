"""`placewise encode`: run by an agency on its own machine. Reads its CSV through its mapping file,
replaces every identifier with Bloom filters and keyed hashes (linkage/bloom.py), and writes an
encoded CSV with a mapping beside it, ready to send to the enclave like any partner file.

Nothing is written unless the whole file reads cleanly: a bad row stops it with row, column and
reason, as ingest would.
"""

import csv
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from placewise.linkage import bloom
from placewise.sharing import spreadsheet_cells
from placewise.sources.canonical import FileRejected, Parsed
from placewise.sources.readers import csvfile, partner
from placewise.sources.values import normalise_header, postcode_sector

MIN_SECRET_BYTES = 16


@dataclass(frozen=True)
class Encoded:
    rows: int
    out: Path
    mapping: Path


def read_secret(path: Path) -> bytes:
    secret = path.read_bytes().strip()
    if len(secret) < MIN_SECRET_BYTES:
        raise FileRejected(
            f"the shared secret in {path.name} is {len(secret)} bytes; use at least "
            f"{MIN_SECRET_BYTES} random bytes (for example: openssl rand -hex 32 > {path.name})"
        )
    return secret


def encode_file(source: Path, mapping_path: Path, out: Path, secret: bytes) -> Encoded:
    mapping = partner.load_mapping(mapping_path)
    if mapping.encoding:
        raise FileRejected(f"{mapping_path.name} describes a file that is already encoded")
    mapping_out = out.with_suffix(".toml")
    if mapping_out.resolve() == mapping_path.resolve():
        raise FileRejected(
            f"the encoded file's mapping would overwrite {mapping_path.name}: "
            "choose another --out name (for example FILE.enc.csv)"
        )
    header = csvfile.read_header(source)
    identifying = {normalise_header(c) for c in mapping.identity.values()}
    identifying.add(normalise_header(mapping.record_id))
    kept = [h for h in header if normalise_header(h) not in identifying]
    position = {h: i for i, h in enumerate(header)}
    parsed: dict[int, Parsed] = {}
    for item in partner.read(source, mapping):
        errors = [i for i in item.issues if i.severity == "error"]
        if errors:
            first = errors[0]
            raise FileRejected(first.reason, row=first.row, column=first.column)
        if item.is_row:
            parsed[item.row] = item
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.")
    rows = 0
    try:
        with os.fdopen(handle, "w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream, lineterminator="\n")
            writer.writerow(["record_key", *partner.ENCODED_COLUMNS, *kept])
            for row, cells in csvfile.rows(source):
                found = parsed.get(row)
                if found is None or found.identity is None:
                    continue  # blank lines
                person = found.identity
                encoded = bloom.encode_identity(
                    given_name=person.given_name,
                    family_name=person.family_name,
                    date_of_birth=person.date_of_birth,
                    postcode=person.postcode,
                    nhs_number=person.nhs_number,
                    upn=person.upn,
                    secret=secret,
                )
                month = person.date_of_birth.replace(day=1) if person.date_of_birth else None
                writer.writerow(
                    [
                        # Keyed, so the agency (which has the secret) can map links back to its
                        # records, and nobody else can.
                        bloom.keyed(person.record_id, secret=secret, field="record"),
                        person.sex or "",
                        month.isoformat() if month else "",
                        _sector(person.postcode),
                        bloom.serialise(encoded),
                        # The agency's own columns, as text a spreadsheet never runs.
                        *spreadsheet_cells.row(cells[position[h]] for h in kept),
                    ]
                )
                rows += 1
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    mapping_out.write_text(_mapping_text(mapping), encoding="utf-8")
    return Encoded(rows, out, mapping_out)


def _sector(postcode: str | None) -> str:
    return postcode_sector(postcode) or ""


def _mapping_text(mapping: partner.Mapping) -> str:
    def quoted(value: str) -> str:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [
        "# Written by placewise encode: identifiers replaced by Bloom filters and keyed hashes.",
        "[source]",
        f"name = {quoted(mapping.source)}",
        f"organisation = {quoted(mapping.organisation)}",
        f"encoding = {quoted(bloom.VERSION)}",
        "[identity]",
        'record_id = "record_key"',
    ]
    if mapping.date_format:
        lines.append(f"date_format = {quoted(mapping.date_format)}")
    for event in mapping.events:
        lines.append("[[events]]")
        for key in ("kind", "start", "end", "code", "value", "team", "date_format", "when_present"):
            value = getattr(event, key)
            if value:
                lines.append(f"{key} = {quoted(value)}")
    return "\n".join(lines) + "\n"
