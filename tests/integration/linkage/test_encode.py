"""`placewise encode` at an agency, and linkage of its encoded file in the enclave."""

import csv
import secrets
import tomllib

import pytest

from placewise.cli import main
from placewise.linkage import quality
from placewise.linkage.models import LinkageRun
from placewise.sharing import actors
from placewise.sources.actions import ingest_many
from placewise.sources.models import Load
from placewise.store import stores
from placewise.synth.place import council_files

pytestmark = pytest.mark.django_db

ENCODED = ("health_ae_attendances", "schools_attendance")


@pytest.fixture
def secret_file(fresh_stores, settings, tmp_path):
    path = tmp_path / "shared.key"
    path.write_text(secrets.token_hex(32))
    settings.PLACEWISE_LINKAGE_SECRET_FILE = path
    return path


def _encode(place, name, out_dir, secret_file):
    out = out_dir / f"{name}.enc.csv"
    code = main(
        [
            "encode",
            str(place / "partners" / f"{name}.csv"),
            "--out",
            str(out),
            "--secret-file",
            str(secret_file),
        ]
    )
    assert code == 0
    return out


def test_the_encoded_file_holds_no_identifier_from_the_original(place_copy, tmp_path, secret_file):
    """Row by row: no identifier the mapping names survives in any cell (the date of birth
    included), sex and the month of birth are all that is kept of them, and the event date
    (AttendanceDate) is carried through unchanged."""
    out = _encode(place_copy, "health_ae_attendances", tmp_path, secret_file)
    with (place_copy / "partners" / "health_ae_attendances.csv").open() as handle:
        original = list(csv.DictReader(handle))
    with out.open() as handle:
        encoded = list(csv.DictReader(handle))
    assert original and len(encoded) == len(original)
    mapping = tomllib.loads((place_copy / "partners" / "health_ae_attendances.toml").read_text())
    identity = mapping["identity"]
    identifiers = [identity[key] for key in identity if key not in {"sex", "date_format"}]
    assert {"MRN", "NHSNumber", "GivenName", "FamilyName", "DateOfBirth", "PostCode"} == set(
        identifiers
    )
    text = out.read_text()
    for before, after in zip(original, encoded, strict=True):
        # The keyed record, what linkage may see of the person, and the event's own columns.
        assert set(after) == {
            "record_key",
            "sex",
            "month_of_birth",
            "postcode_sector",
            "encoded",
            "AttendanceDate",
        }
        cells = set(after.values()) - {after["AttendanceDate"]}  # a newborn's visit is a birthday
        for column in identifiers:
            value = before[column]
            if not value:
                continue  # not given for this person (an NHS number, say)
            if column == "DateOfBirth":
                # Kept only as the month (a birthday on the 1st is its own month).
                month = f"{value[:8]}01"
                assert after["month_of_birth"] == month
                assert value not in cells - {month} and value not in after["encoded"]
                continue  # another child's event date may be this birthday
            assert value not in cells, (column, value)
            if len(value) >= 6:  # long enough never to turn up in a Bloom filter by chance
                assert value not in text, (column, value)
        assert after["AttendanceDate"] == before["AttendanceDate"]
    assert 'encoding = "bloom-v1"' in out.with_suffix(".toml").read_text()


def test_the_agencys_own_columns_are_written_as_text_a_spreadsheet_never_runs(
    place_copy, tmp_path, secret_file
):
    """A column the encoding carries through unchanged (not an identifier) is the agency's own
    text: a cell beginning with =, +, - or @ gets a leading apostrophe; a number stays one."""
    source = place_copy / "partners" / "health_ae_attendances.csv"
    with source.open(newline="") as handle:
        rows = list(csv.reader(handle))
    notes = ["=cmd|' /C calc'!A0", "@SUM(A1:A2)", "-3", "+44 1632 960000", "seen twice"]
    rows[0].append("Notes")
    for i, row in enumerate(rows[1:]):
        row.append(notes[i] if i < len(notes) else "")
    with source.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    out = _encode(place_copy, "health_ae_attendances", tmp_path, secret_file)
    with out.open(newline="") as handle:
        written = [r["Notes"] for r in csv.DictReader(handle)][: len(notes)]
    assert written == [
        "'=cmd|' /C calc'!A0",
        "'@SUM(A1:A2)",
        "-3",
        "'+44 1632 960000",
        "seen twice",
    ]


def test_a_bad_row_stops_the_encoding_and_writes_nothing(place_copy, tmp_path, secret_file, capsys):
    source = place_copy / "partners" / "health_ae_attendances.csv"
    lines = source.read_text().splitlines()
    header = lines[0].split(",")
    cells = lines[3].split(",")
    cells[header.index("AttendanceDate")] = "31/02/2024"
    lines[3] = ",".join(cells)
    source.write_text("\n".join(lines) + "\n")
    out = tmp_path / "ae.enc.csv"
    code = main(["encode", str(source), "--out", str(out), "--secret-file", str(secret_file)])
    assert code == 1
    assert "row 4, column 'AttendanceDate'" in capsys.readouterr().err
    assert not out.exists() and not out.with_suffix(".toml").exists()
    assert not list(tmp_path.glob(".ae.enc.csv.*"))


def test_a_short_secret_is_refused(place_copy, tmp_path, capsys):
    short = tmp_path / "short.key"
    short.write_text("password")
    code = main(
        [
            "encode",
            str(place_copy / "partners" / "schools_attendance.csv"),
            "--out",
            str(tmp_path / "s.enc.csv"),
            "--secret-file",
            str(short),
        ]
    )
    assert code == 1
    assert "at least 16 random bytes" in capsys.readouterr().err


def test_an_encoded_mapping_may_not_name_clear_identifiers(place_copy, tmp_path, secret_file):
    out = _encode(place_copy, "schools_attendance", tmp_path, secret_file)
    mapping = out.with_suffix(".toml")
    mapping.write_text(
        mapping.read_text().replace(
            'record_id = "record_key"', 'record_id = "record_key"\ngiven_name = "Forename"'
        )
    )
    load = ingest_many([out], by=actors.command_line(), run_dfe=False)[0]
    assert load.status == "rejected"
    assert "may only name record_id" in load.message


@pytest.mark.slow  # the place loaded and linked twice, clear and encoded
def test_bloom_linkage_of_encoded_files_is_within_002_f1_of_clear_text(
    place_copy, tmp_path, secret_file
):
    truth = place_copy / "_truth" / "persons.csv"
    clear = [p for p in council_files(place_copy)]
    ingest_many(clear, by=actors.command_line(), run_dfe=False)
    assert main(["link", "--quiet"]) == 0
    clear_quality = quality.against_truth(truth)

    # The same place again, with two agencies sending encoded files instead.
    for path in stores_paths():
        path.unlink()
    Load.objects.all().delete()
    encoded = [_encode(place_copy, name, tmp_path, secret_file) for name in ENCODED]
    files = [p for p in clear if p.stem not in ENCODED] + encoded
    loads = ingest_many(files, by=actors.command_line(), run_dfe=False)
    assert all(outcome.status == "loaded" for outcome in loads), [o.message for o in loads]
    with stores.enclave(read_only=True) as vault:
        sent = vault.execute(
            "SELECT count(*), count(given_name), count(date_of_birth) FROM identities "
            "WHERE encoded IS NOT NULL"
        ).fetchone()
    assert sent[0] > 100 and sent[1] == sent[2] == 0  # encodings only, no clear identifiers
    assert main(["link", "--quiet"]) == 0  # encoded linkage is chosen automatically
    assert LinkageRun.objects.first().backend == "duckdb, encoded"
    bloom_quality = quality.against_truth(truth, secret_file.read_text().strip().encode())
    assert bloom_quality.records >= clear_quality.records
    assert bloom_quality.f1 >= clear_quality.f1 - 0.02
    assert bloom_quality.cluster_f1 >= clear_quality.cluster_f1 - 0.02


def stores_paths():
    from django.conf import settings

    return [settings.PLACEWISE_ANALYTIC_DB, settings.PLACEWISE_ENCLAVE_DB]
