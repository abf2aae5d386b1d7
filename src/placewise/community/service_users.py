"""The people an engagement means to hear, taken from the service's own records instead of a
loaded table: the children a source of the organisation's holds with an event of the given kinds
in a period (children in need, say), counted by ethnic group — through disclosure control
(`sharing.disclosure.protect`), so a group too small to publish is left out, never shown."""

from dataclasses import dataclass
from datetime import date

from placewise.sharing.disclosure import protect
from placewise.sharing.publication import threshold
from placewise.store.queries import Query, run

# The DfE's ethnicity codes by their major group (the first letter), in the census's five groups;
# Chinese counts as Asian, as the 2021 census has it. Refused and not obtained are not a group.
MAJOR_GROUPS = {"W": "White", "M": "Mixed", "A": "Asian", "B": "Black", "O": "Other"}
CHINESE = "CHNE"


def _children_by_ethnicity(source: str, kinds: list[str], since: date, until: date) -> Query:
    marks = ", ".join("?" for _ in kinds)
    return Query(
        "WITH served AS (SELECT DISTINCT token FROM events WHERE source = ? "  # nosec B608  # placeholders only
        f"AND kind IN ({marks}) AND start_date BETWEEN ? AND ? "
        "AND load_id IN (SELECT load_id FROM loads)), "
        "coded AS (SELECT s.token, max(r.ethnicity) AS ethnicity FROM served s "
        "JOIN records r ON r.token = s.token AND r.source = ? "
        "AND r.load_id IN (SELECT load_id FROM loads) GROUP BY s.token) "
        "SELECT ethnicity, count(*) AS children FROM coded GROUP BY ethnicity ORDER BY ethnicity",
        [source, *kinds, since, until, source],
    )


def _group(code: str | None) -> str | None:
    if not code:
        return None
    if code == CHINESE:
        return "Asian"
    return MAJOR_GROUPS.get(code[0])


@dataclass(frozen=True)
class Counted:
    rows: list[tuple[str, int]]  # (group, children), each at or over the threshold
    withheld: list[str]  # groups left out: under the threshold, or worked out from one that is


def by_ethnicity(source: str, kinds: list[str], since: date, until: date) -> Counted:
    counts: dict[str, int] = {}
    for row in run(_children_by_ethnicity(source, kinds, since, until)):
        group = _group(row["ethnicity"])
        if group is not None:
            counts[group] = counts.get(group, 0) + int(row["children"])
    # No total of the table is ever shown — reach divides by the sum of the groups shown, which
    # says nothing of a group left out — so neither a column's nor the grand total is published.
    groups = sorted(counts)
    if not groups:
        return Counted([], [])
    table = protect(
        [[counts[g]] for g in groups],
        threshold=threshold(),
        column_totals=False,
        grand_total=False,
    )
    cells = {g: table.cells[i][0] for i, g in enumerate(groups)}
    return Counted(
        [(g, n) for g, n in cells.items() if n is not None],
        [g for g, n in cells.items() if n is None],
    )
