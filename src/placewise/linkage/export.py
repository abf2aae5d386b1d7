"""`placewise export links`: for every loaded source record, the person it was linked to.

This writes source record IDs, which are identifiers: it runs on the enclave's machine, for the
enclave's operator, and every export is audited. A record ID is whatever the partner's file held,
so a cell beginning with `=` is written as text, never a formula (sharing/spreadsheet_cells.py).
"""

import csv
from pathlib import Path

from django.contrib.auth.models import User

from placewise.sharing import audit, spreadsheet_cells
from placewise.store import stores

LINKS_SQL = """
SELECT DISTINCT i.source, i.record_id, l.person_key
FROM identities i JOIN person_links l USING (token)
ORDER BY i.source, i.record_id
"""


def export_links(out: Path, *, by: User) -> int:
    """Write `source, source_record_id, person_key`, one row per record. Returns the row count."""
    with stores.enclave(read_only=True) as vault:
        rows = vault.sql(LINKS_SQL).fetchall()
    if not rows:
        raise ValueError("no links yet: run `placewise link` first")
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["source", "source_record_id", "person_key"])
        writer.writerows(spreadsheet_cells.row(r) for r in rows)
    audit.record(
        actor=by.get_username(), action="links.export", target=str(out), detail={"rows": len(rows)}
    )
    return len(rows)
