"""A partner file whose identity values are wrong loads whole: each wrong value is a warning with
its row and column, kept as written in the enclave, and out of the analytic store."""

import csv

import pytest

from placewise.sharing import actors
from placewise.sources.actions import ingest
from placewise.store import stores

pytestmark = pytest.mark.django_db


def test_wrong_identity_values_load_as_evidence(place_copy, fresh_stores):
    path = place_copy / "partners" / "police_domestic_abuse.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    dob, postcode, ref = header.index("DOB"), header.index("Postcode"), header.index("Ref")
    # File rows 2 and 3 (a person counts the header as row 1).
    rows[1][dob] = "31/04/2015"  # April has 30 days
    rows[2][postcode] = "NS4 7"  # a sector, not a postcode
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)

    outcome = ingest(path, by=actors.command_line(), run_dfe=False)

    assert outcome.status == "loaded", outcome.message
    assert outcome.rows_read == len(rows) - 1 and outcome.load.rows_rejected == 0
    found = {
        (i.row, i.column, i.rule)
        for i in outcome.issues
        if i.severity == "warning" and i.rule in {"date_of_birth", "postcode"}
    }
    assert found == {(2, "DOB", "date_of_birth"), (3, "Postcode", "postcode")}
    assert set(outcome.load.issues.filter(severity="warning").values_list("row", flat=True)) >= {
        2,
        3,
    }
    with stores.enclave(read_only=True) as vault:
        as_written = vault.execute(
            "SELECT date_of_birth, date_of_birth_as_written, token FROM identities "
            "WHERE record_id = ?",
            [rows[1][ref]],
        ).fetchall()
        kept_postcode = vault.execute(
            "SELECT postcode, token FROM identities WHERE record_id = ?", [rows[2][ref]]
        ).fetchall()
    # Row 2's record may appear on later rows with its real date of birth: the row as loaded is
    # the one kept as written.
    assert (None, "31/04/2015") in {(d, w) for d, w, _ in as_written}
    assert "NS4 7" in {p for p, _ in kept_postcode}
    with stores.analytic(read_only=True) as store:
        month = store.execute(
            "SELECT month_of_birth FROM records WHERE token = ?", [as_written[0][2]]
        ).fetchall()
        sectors = store.execute(
            "SELECT postcode_sector FROM records WHERE token = ?", [kept_postcode[0][1]]
        ).fetchall()
        text = str(store.execute("SELECT * FROM records").fetchall())
    assert (None,) in month
    assert (None,) in sectors
    assert "31/04/2015" not in text
