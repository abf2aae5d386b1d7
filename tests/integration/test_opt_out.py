import csv

import pytest
from django.conf import settings

from placewise.sharing.actions import opt_out
from placewise.sources.actions import ingest
from placewise.store import stores
from placewise.store.pseudonymise import Tokeniser

pytestmark = pytest.mark.django_db


def test_an_opted_out_persons_records_are_held_back_at_ingest(small_place, fresh_stores):
    path = small_place / "partners" / "health_ae_attendances.csv"
    with path.open() as handle:
        rows = list(csv.DictReader(handle))
    mrn = rows[0]["MRN"]
    theirs = sum(1 for r in rows if r["MRN"] == mrn)
    opt_out(source="northshire_health", reference=mrn, secret=settings.PLACE_SECRET, by="test")
    outcome = ingest(path, by=None, run_dfe=False)
    assert outcome.status == "loaded" and outcome.rows_loaded == len(rows) - theirs
    assert "opted out" in outcome.message
    token = Tokeniser(settings.PLACE_SECRET).token("northshire_health", mrn)
    with stores.analytic(read_only=True) as store:
        assert (
            store.execute("SELECT count(*) FROM events WHERE token = ?", [token]).fetchone()[0] == 0
        )
    with stores.enclave(read_only=True) as vault:
        assert (
            vault.execute("SELECT count(*) FROM identities WHERE token = ?", [token]).fetchone()[0]
            == 0
        )
