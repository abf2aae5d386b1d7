import csv

import pytest
from django.conf import settings

from placewise.linkage.models import PairReview
from placewise.sharing import versions
from placewise.sharing.actions import opt_out
from placewise.sharing.models import AuditEntry
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


TABLES = {
    "enclave": ("identities", "replaced_identities", "person_links"),
    "analytic": ("events", "replaced_events", "records", "replaced_records", "person_links"),
}


def _counts(token: str) -> dict[tuple[str, str], tuple[int, int]]:
    """Per store and table: the token's rows, and every row."""
    found = {}
    for name, open_store in (("enclave", stores.enclave), ("analytic", stores.analytic)):
        with open_store(read_only=True) as store:
            for table in TABLES[name]:
                mine, every = store.execute(
                    f"SELECT count(*) FILTER (WHERE token = ?), count(*) FROM {table}",  # nosec B608
                    [token],
                ).fetchone()
                found[(name, table)] = (int(mine), int(every))
    return found


def test_opting_out_removes_what_earlier_loads_stored_and_its_links(linked_place):
    """A linked child whose health record is in the review queue opts out: their record's rows
    leave both stores, its links and its review pairs go, nobody else's rows move, the audit
    names no identifier, and saying it again removes nothing more."""
    with stores.enclave(read_only=True) as vault:
        token, reference = vault.execute(
            "SELECT i.token, any_value(i.record_id) FROM identities i "
            "JOIN person_links l USING (token) WHERE i.source = 'northshire_health' "
            "GROUP BY i.token ORDER BY i.token LIMIT 1"
        ).fetchone()
    assert Tokeniser(settings.PLACE_SECRET).token("northshire_health", reference) == token
    PairReview.objects.create(
        token_l=min(token, "0" * 64),
        token_r=max(token, "0" * 64),
        source_l="northshire_health",
        source_r="council_csc",
        match_probability=0.7,
        match_weight=1.2,
    )
    before = _counts(token)
    held = {k: v[0] for k, v in before.items()}
    # What the child had: identities and a link in the enclave, events, a record and a link here.
    assert held[("enclave", "identities")] and held[("enclave", "person_links")] == 1
    assert held[("analytic", "events")] and held[("analytic", "records")]
    assert held[("analytic", "person_links")] == 1
    data_version = versions.data()

    opt_out(source="northshire_health", reference=reference, secret=settings.PLACE_SECRET, by="t")

    after = _counts(token)
    for table, (mine, every) in before.items():
        assert after[table] == (0, every - mine), table
    assert not PairReview.objects.filter(token_l=token).exists()
    assert not PairReview.objects.filter(token_r=token).exists()
    assert versions.data() == data_version + 1  # every page's cache of the data is stale
    entry = AuditEntry.objects.filter(action="optout.add").latest("seq")
    expected = {table: n for (_, table), n in held.items() if table != "person_links"}
    assert entry.detail["rows_removed"] == expected | {"person_links": 2}  # one in each store
    assert reference not in f"{entry.target} {entry.reason} {entry.detail}"

    opt_out(source="northshire_health", reference=reference, secret=settings.PLACE_SECRET, by="t")
    assert versions.data() == data_version + 1
    again = AuditEntry.objects.filter(action="optout.add").latest("seq")
    assert set(again.detail["rows_removed"].values()) == {0}
