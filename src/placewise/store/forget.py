"""Take one source record out of both stores: what an opt-out does to what was already loaded.

The opt-out register (sharing/opt_outs.py) holds a person's record back from later loads;
this removes what earlier loads stored of it: its identities in the enclave (and their history),
its records and events in the analytic store (and theirs), and its links in both. The record is
named only by its token, so nothing here handles an identifier. Both stores' rows go as one unit
(stores.replace: the enclave's first, the analytic store's commit point after, recovery for a
crash between), under the load lock so that no load or linkage run is midway through the same
rows. `forgotten` (store/signals.py) tells the apps above the stores (the linkage review queue) to drop what they
hold of the token, inside the caller's transaction.
"""

from dataclasses import dataclass

from placewise.store import stores
from placewise.store.signals import forgotten

ENCLAVE_TABLES = ("identities", "replaced_identities")
ANALYTIC_TABLES = ("events", "replaced_events", "records", "replaced_records")


@dataclass(frozen=True)
class Forgotten:
    """Rows removed, per table (links: person_links in both stores)."""

    rows: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def forget(*, source: str, token: str) -> Forgotten:
    """Delete every row of the source record `token` from both stores, as one unit: after a
    crash at any moment both stores still hold it, or neither does (stores.replace)."""
    with stores.load_lock():
        return forget_locked(source=source, token=token)


def forget_locked(*, source: str, token: str) -> Forgotten:
    """forget(), for a caller that holds the load lock already (an opt-out from its register
    entry to its outcome, recovery finishing one)."""
    record = {"source": source, "token": token}
    links = stores.Replace("person_links", {"token": token})
    removed = stores.replace(
        kind="forget",
        in_enclave=[stores.Replace(table, record) for table in ENCLAVE_TABLES] + [links],
        in_analytic=[stores.Replace(table, record) for table in ANALYTIC_TABLES] + [links],
    )
    rows: dict[str, int] = {}
    for name, n in removed.items():
        table = name.split(".", 1)[1]  # links: person_links in both stores, added up
        rows[table] = rows.get(table, 0) + n
    forgotten.send(sender=Forgotten, token=token)
    return Forgotten(rows)
