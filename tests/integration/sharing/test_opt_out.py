import csv

import pytest
from django.conf import settings

from placewise.linkage.models import PairReview
from placewise.sharing import actors, versions
from placewise.sharing.models import AuditEntry, OptOut
from placewise.sharing.opt_outs import opt_out
from placewise.sources import recovery
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
    opt_out(
        source="northshire_health",
        reference=mrn,
        secret=settings.PLACE_SECRET,
        by=actors.command_line(),
    )
    outcome = ingest(path, by=actors.command_line(), run_dfe=False)
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

    opt_out(
        source="northshire_health",
        reference=reference,
        secret=settings.PLACE_SECRET,
        by=actors.command_line(),
    )

    after = _counts(token)
    for table, (mine, every) in before.items():
        assert after[table] == (0, every - mine), table
    assert not PairReview.objects.filter(token_l=token).exists()
    assert not PairReview.objects.filter(token_r=token).exists()
    assert versions.data() == data_version + 1  # every page's cache of the data is stale
    # Two entries: the register's (its commit point), then the removal's, with what went.
    added, entry = AuditEntry.objects.filter(action__startswith="optout.").order_by("seq")
    assert (added.action, entry.action) == ("optout.add", "optout.remove")
    assert added.detail == {"already_on_the_register": False}
    expected = {table: n for (_, table), n in held.items() if table != "person_links"}
    assert entry.detail["rows_removed"] == expected | {"person_links": 2}  # one in each store
    for said in (added, entry):
        assert reference not in f"{said.target} {said.reason} {said.detail}"
    (registered,) = OptOut.objects.filter(source="northshire_health", token=token)
    assert registered.removed_at is not None  # nothing left for recovery to finish

    opt_out(
        source="northshire_health",
        reference=reference,
        secret=settings.PLACE_SECRET,
        by=actors.command_line(),
    )
    assert versions.data() == data_version + 1
    assert OptOut.objects.filter(source="northshire_health", token=token).count() == 1
    again = AuditEntry.objects.filter(action="optout.remove").latest("seq")
    assert set(again.detail["rows_removed"].values()) == {0}
    said_again = AuditEntry.objects.filter(action="optout.add").latest("seq")
    assert said_again.detail == {"already_on_the_register": True}


class Crash(BaseException):
    """The process dies here: nothing catches it, as nothing catches os._exit."""


@pytest.mark.parametrize(
    "point",
    [
        "opt-out-registered",  # the register entry committed, the stores not yet touched
        "enclave-committed",  # between the stores' commits
        "analytic-committed",  # after the stores' commit point
    ],
)
def test_an_opt_out_that_dies_after_its_register_entry_is_finished_by_recovery(
    shared_place, monkeypatch, point
):
    with stores.enclave(read_only=True) as vault:
        token, reference = vault.execute(
            "SELECT token, record_id FROM identities WHERE source = 'northshire_health' "
            "ORDER BY token LIMIT 1"
        ).fetchone()
    before = _counts(token)
    assert before[("enclave", "identities")][0] and before[("analytic", "events")][0]

    def boundary(name: str) -> None:
        if name == point:
            raise Crash(name)

    monkeypatch.setattr(stores, "_boundary", boundary)
    with pytest.raises(Crash):
        opt_out(
            source="northshire_health",
            reference=reference,
            secret=settings.PLACE_SECRET,
            by=actors.command_line(),
        )
    monkeypatch.undo()
    # On the register, so the next load holds it back; its removal not finished.
    (entry,) = OptOut.objects.filter(source="northshire_health", token=token)
    assert entry.removed_at is None
    assert list(
        AuditEntry.objects.filter(action__startswith="optout.").values_list("action", flat=True)
    ) == ["optout.add"]

    recovered = recovery.recover(by=actors.command_line())
    assert recovered.opt_outs_finished == 1
    after = _counts(token)
    for table, (mine, every) in before.items():
        assert after[table] == (0, every - mine), table
    entry.refresh_from_db()
    assert entry.removed_at is not None
    removal = AuditEntry.objects.get(action="optout.remove")
    assert removal.actor == actors.command_line().get_username()  # who ran recovery
    assert removal.reason.endswith("recovery finished it")
    assert recovery.recover(by=actors.command_line()).opt_outs_finished == 0  # finished once
