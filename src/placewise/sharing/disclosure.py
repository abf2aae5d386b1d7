"""Disclosure control for every table of counts that leaves an organisation.

Primary suppression hides counts from 1 to threshold-1 (zeros are published: a zero is not a
person). Secondary suppression then hides further cells until no hidden cell can be worked out
from what is published: for each hidden cell we solve, as an attacker would, the smallest and
largest value it could take given every published cell and total and that counts are not negative
(two linear programmes). If they meet, or if a small count's largest possible value is still under
the threshold (the attacker could tell it is small), the cell is exposed and its smallest published
neighbour in the same row or column is hidden too. Totals that are themselves small are hidden like cells.
Optional rounding (e.g. to the nearest 5) is applied to what is published afterwards.
"""

from dataclasses import dataclass

import numpy as np

Cell = int | None  # None: suppressed


@dataclass(frozen=True)
class Protected:
    cells: list[list[Cell]]
    row_totals: list[Cell]
    column_totals: list[Cell]
    total: Cell
    threshold: int

    @property
    def suppressed(self) -> int:
        hidden = sum(c is None for row in self.cells for c in row)
        return hidden + sum(t is None for t in (*self.row_totals, *self.column_totals, self.total))


def protect(
    counts: list[list[int]],
    *,
    threshold: int = 10,
    round_to: int | None = None,
    column_totals: bool = True,
    grand_total: bool = True,
) -> Protected:
    """Suppress (and optionally round) a table of counts so no small count can be read or derived.

    `grand_total=False` for a table whose grand total is never shown (the groups of a population
    that reach compares shares within): it is then an unknown to the attacker, like unpublished
    column sums.

    `column_totals=False` for a table whose column sums are never shown (a month's counted and
    not counted, a cohort's yes and no): they are then unknowns to the attacker, not published
    numbers, and need no protecting. In a one-row table they equal the cells, so treating them
    as published hid the row's total as well (a month of 1 in 11 lost its 11)."""
    table = np.array(counts, dtype=np.int64)
    if table.ndim != 2 or table.size == 0:
        raise ValueError("a table of counts needs at least one row and one column")
    if (table < 0).any():
        raise ValueError("counts cannot be negative")
    rows, columns = table.shape
    hidden = (table > 0) & (table < threshold)
    row_sums, column_sums = table.sum(axis=1), table.sum(axis=0)
    hidden_rows = (row_sums > 0) & (row_sums < threshold)
    hidden_columns = (
        (column_sums > 0) & (column_sums < threshold)
        if column_totals
        else np.ones(columns, dtype=bool)
    )
    grand = int(table.sum())
    hidden_total = 0 < grand < threshold if grand_total else True
    while True:
        exposed = _exposed(table, hidden, hidden_rows, hidden_columns, hidden_total, threshold)
        if exposed is None:
            break
        r, c = exposed
        partner = _partner(table, hidden, r, c)
        if partner is not None:
            hidden[partner] = True
        elif not (hidden_rows[r] and hidden_columns[c]):
            # Everything beside it is hidden already: hide the totals that give it away.
            hidden_rows[r] = hidden_columns[c] = True
        elif not hidden_total:
            hidden_total = True
        else:  # no published number mentions it any more; cannot happen, but never loop
            break

    def publish(value: int, is_hidden: bool) -> Cell:
        if is_hidden:
            return None
        return int(round_to * round(value / round_to)) if round_to else int(value)

    return Protected(
        cells=[
            [publish(int(table[r, c]), bool(hidden[r, c])) for c in range(columns)]
            for r in range(rows)
        ],
        row_totals=[publish(int(row_sums[r]), bool(hidden_rows[r])) for r in range(rows)],
        column_totals=[
            publish(int(column_sums[c]), bool(hidden_columns[c])) for c in range(columns)
        ],
        total=publish(grand, hidden_total),
        threshold=threshold,
    )


def _exposed(
    table: np.ndarray,
    hidden: np.ndarray,
    hidden_rows: np.ndarray,
    hidden_columns: np.ndarray,
    hidden_total: bool,
    threshold: int,
) -> tuple[int, int] | None:
    """The first hidden cell an attacker could work out exactly, or tell is small, if any."""
    unknowns = [tuple(map(int, rc)) for rc in np.argwhere(hidden)]
    if not unknowns:
        return None
    low, high = bounds(table, hidden, hidden_rows, hidden_columns, hidden_total)
    for (r, c), lo, hi in zip(unknowns, low, high, strict=True):
        if hi - lo < 0.5:  # the attacker's interval has shrunk to a single count
            return r, c
        if 0 < table[r, c] < threshold and hi < threshold - 0.5:
            return r, c  # the attacker could tell it is a small count
    return None


def bounds(
    table: np.ndarray,
    hidden: np.ndarray,
    hidden_rows: np.ndarray,
    hidden_columns: np.ndarray,
    hidden_total: bool,
) -> tuple[list[float], list[float]]:
    """For each hidden cell (row-major), the least and greatest value consistent with what is
    published and with counts being non-negative."""
    unknowns = [tuple(map(int, rc)) for rc in np.argwhere(hidden)]
    equations, values = [], []
    rows, columns = table.shape
    for r in range(rows):
        if not hidden_rows[r]:
            equations.append([1.0 if (rr == r) else 0.0 for rr, _ in unknowns])
            values.append(float(table[r].sum() - table[r][~hidden[r]].sum()))
    for c in range(columns):
        if not hidden_columns[c]:
            equations.append([1.0 if (cc == c) else 0.0 for _, cc in unknowns])
            values.append(float(table[:, c].sum() - table[:, c][~hidden[:, c]].sum()))
    if not hidden_total:
        equations.append([1.0] * len(unknowns))
        values.append(float(table.sum() - table[~hidden].sum()))
    separate = _separate(equations, values, len(unknowns))
    if separate is not None:
        return separate
    # SciPy is imported here, not at the top: most tables never need a programme (above), and
    # importing it took a second of every command's and worker's start-up, the app being set up.
    from scipy.optimize import linprog

    a_eq = np.array(equations) if equations else None
    b_eq = np.array(values) if values else None
    low, high = [], []
    for i in range(len(unknowns)):
        objective = np.zeros(len(unknowns))
        objective[i] = 1.0
        lo = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        hi = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        low.append(float(lo.fun) if lo.status == 0 else 0.0)
        # Unbounded above (no equation limits it) counts as safe.
        high.append(float(-hi.fun) if hi.status == 0 else float("inf"))
    return low, high


def _separate(
    equations: list[list[float]], values: list[float], unknowns: int
) -> tuple[list[float], list[float]] | None:
    """The bounds without linear programmes when no hidden cell is in two published sums — a
    month's counted and not counted under its total, a one-row table, a table whose column sums
    are never shown: each sum of k hidden cells known to be S leaves one cell exactly S (k = 1) or
    each anywhere from 0 to S (k > 1: one may hold all of it, or none); a cell in no published
    sum is anywhere from 0 up. Exports and pages protect hundreds of such months, and two
    programmes a cell cost milliseconds each (a partner's export took minutes). None when a cell
    is in two sums: then the programmes decide."""
    # A one-row table's total is its row's sum: the same equation twice says nothing more.
    distinct = dict.fromkeys(zip(map(tuple, equations), values, strict=True))
    equations = [list(equation) for equation, _ in distinct]
    values = [value for _, value in distinct]
    seen = [0] * unknowns
    for equation in equations:
        for i, weight in enumerate(equation):
            if weight:
                seen[i] += 1
    if any(n > 1 for n in seen):
        return None
    low, high = [0.0] * unknowns, [float("inf")] * unknowns
    for equation, total in zip(equations, values, strict=True):
        members = [i for i, weight in enumerate(equation) if weight]
        for i in members:
            high[i] = total
            if len(members) == 1:
                low[i] = total
    return low, high


def _partner(table: np.ndarray, hidden: np.ndarray, r: int, c: int) -> tuple[int, int] | None:
    """The smallest visible cell in the same row or column, preferring non-zero ones, to hide."""
    candidates = [(r, cc) for cc in range(table.shape[1]) if not hidden[r, cc]]
    candidates += [(rr, c) for rr in range(table.shape[0]) if not hidden[rr, c]]
    if not candidates:
        return None
    return min(candidates, key=lambda rc: (table[rc] == 0, table[rc]))
