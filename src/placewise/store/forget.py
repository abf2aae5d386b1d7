"""Take one source record out of both stores: what an opt-out does to what was already loaded.

The opt-out register (sharing/actions.opt_out) holds a person's record back from later loads;
this removes what earlier loads stored of it: its identities in the enclave (and their history),
its records and events in the analytic store (and theirs), and its links in both. The record is
named only by its token, so nothing here handles an identifier. Each store's rows go in one
transaction, the enclave's first (the identifiers), under the load lock so that no load or
linkage run is midway through the same rows. `forgotten` tells the apps above the stores (the
linkage review queue) to drop what they hold of the token, inside the caller's transaction.
"""

from dataclasses import dataclass

import django.dispatch

from placewise.store import stores

# Sent with `token` once the stores have let it go; receivers delete what they hold of it.
forgotten = django.dispatch.Signal()

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
    """Delete every row of the source record `token` from both stores."""
    rows: dict[str, int] = {}
    with stores.load_lock():
        for open_store, tables in (
            (stores.enclave, ENCLAVE_TABLES),
            (stores.analytic, ANALYTIC_TABLES),
        ):
            with open_store() as store:
                store.execute("BEGIN")
                for table in tables:
                    # Table names are this module's constants.
                    done = store.execute(
                        f"DELETE FROM {table} WHERE source = ? AND token = ?",  # nosec B608
                        [source, token],
                    ).fetchone()
                    rows[table] = rows.get(table, 0) + (int(done[0]) if done else 0)
                done = store.execute("DELETE FROM person_links WHERE token = ?", [token]).fetchone()
                rows["person_links"] = rows.get("person_links", 0) + (int(done[0]) if done else 0)
                store.execute("COMMIT")
    forgotten.send(sender=Forgotten, token=token)
    return Forgotten(rows)
