import csv
from datetime import date, timedelta

import pytest

from placewise.cli import main
from placewise.sharing.models import Agreement, AuditEntry
from placewise.store import stores

pytestmark = pytest.mark.django_db


def events_by_source() -> dict[str, int]:
    with stores.analytic(read_only=True) as store:
        return dict(store.execute("SELECT source, count(*) FROM events GROUP BY source").fetchall())


def test_retention_deletes_what_is_past_it_and_records_what_it_deleted(
    shared_place, small_place, agreement, capsys
):
    Agreement.objects.filter(pk=agreement.pk).update(retention_days=365)
    today = date(2026, 3, 31)
    cutoff = today - timedelta(days=365)
    with (small_place / "partners" / "health_ae_attendances.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    old = sum(1 for r in rows if date.fromisoformat(r["AttendanceDate"]) < cutoff)
    assert 0 < old < len(rows)
    before = events_by_source()
    assert main(["retention", "apply", "--today", today.isoformat()]) == 0
    after = events_by_source()
    assert after["northshire_health"] == before["northshire_health"] - old
    entry = AuditEntry.objects.get(action="retention.purge", target="northshire_health")
    assert entry.detail["events"] == old
    # The police source is in no agreement: the place's 7-year default applies.
    assert "northshire_police: kept 2555 days" in capsys.readouterr().out
    with stores.analytic(read_only=True) as store, stores.enclave(read_only=True) as vault:
        kept = {
            r[0]
            for r in store.execute(
                "SELECT DISTINCT token FROM events WHERE source = 'northshire_health'"
            ).fetchall()
        }
        identities = {
            r[0]
            for r in vault.execute(
                "SELECT DISTINCT token FROM identities WHERE source = 'northshire_health'"
            ).fetchall()
        }
    assert identities == kept  # nobody's identifiers outlive their records


def test_an_agreement_past_its_end_is_marked_expired(shared_place, agreement):
    Agreement.objects.filter(pk=agreement.pk).update(ends_on=date(2026, 1, 1))
    assert main(["retention", "apply", "--today", "2026-03-31"]) == 0
    agreement.refresh_from_db()
    assert agreement.status == "expired"
    assert AuditEntry.objects.filter(action="agreement.expired").exists()
