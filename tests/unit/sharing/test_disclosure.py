"""Disclosure control: hand-worked tables, and an attacker who must fail to recover any hidden
count from what is published (an independent linear-programming attack, not the code under test)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from placewise.sharing.disclosure import bounds, protect


def attack(published, counts) -> list[tuple[int, int, float, float]]:
    """For each hidden cell, the least and greatest value consistent with the published table."""
    table = np.array(counts)
    hidden = [
        (r, c) for r, row in enumerate(published.cells) for c, v in enumerate(row) if v is None
    ]
    if not hidden:
        return []
    a, b = [], []
    for r, total in enumerate(published.row_totals):
        if total is not None:
            a.append([1 if rr == r else 0 for rr, _ in hidden])
            b.append(total - sum(v for v in published.cells[r] if v is not None))
    for c, total in enumerate(published.column_totals):
        if total is not None:
            a.append([1 if cc == c else 0 for _, cc in hidden])
            b.append(total - sum(row[c] for row in published.cells if row[c] is not None))
    if published.total is not None:
        a.append([1] * len(hidden))
        b.append(published.total - sum(v for row in published.cells for v in row if v is not None))
    found = []
    for i, (r, c) in enumerate(hidden):
        goal = np.zeros(len(hidden))
        goal[i] = 1
        kw = {"A_eq": np.array(a), "b_eq": np.array(b)} if a else {}
        lo = linprog(goal, bounds=(0, None), method="highs", **kw)
        hi = linprog(-goal, bounds=(0, None), method="highs", **kw)
        assert lo.status == 0, "published numbers are inconsistent with the true table"
        assert lo.fun - 1e-6 <= table[r, c]
        found.append((r, c, lo.fun, -hi.fun if hi.status == 0 else float("inf")))
    return found


def test_a_lone_small_count_takes_a_partner_in_its_row_and_column():
    # Worked by hand: 3 is under 10, so hidden; alone in its row it could be read from the row
    # total, so the smallest other cell in its row or column (12) is hidden too, and so on until
    # every hidden count sits in a rectangle of hidden cells.
    counts = [[3, 12, 40], [20, 25, 30], [15, 18, 22]]
    published = protect(counts, threshold=10)
    assert published.cells[0][0] is None
    assert sum(v is None for row in published.cells for v in row) >= 4
    for row in published.cells:
        assert sum(v is None for v in row) != 1
    for c in range(3):
        assert sum(row[c] is None for row in published.cells) != 1
    for _, _, low, high in attack(published, counts):
        assert high - low >= 1


def test_zeros_and_large_counts_are_published_as_they_are():
    published = protect([[0, 50], [60, 70]], threshold=10)
    assert published.cells == [[0, 50], [60, 70]]
    assert published.total == 180


def test_small_totals_are_hidden_too():
    published = protect([[2, 3]], threshold=10)
    assert published.total is None and published.row_totals == [None]


def test_rounding_applies_to_what_is_published():
    published = protect([[12, 47], [33, 58]], threshold=10, round_to=5)
    assert published.cells == [[10, 45], [35, 60]] and published.total == 150


def test_bad_tables_are_refused():
    with pytest.raises(ValueError, match="negative"):
        protect([[1, -2]])
    with pytest.raises(ValueError, match="at least one row"):
        protect([[]])


@pytest.mark.slow  # 150 tables, each attacked with a linear program
@settings(max_examples=150, deadline=None)
@given(
    st.integers(min_value=1, max_value=6).flatmap(
        lambda rows: st.integers(min_value=1, max_value=6).flatmap(
            lambda cols: st.lists(
                st.lists(st.integers(min_value=0, max_value=40), min_size=cols, max_size=cols),
                min_size=rows,
                max_size=rows,
            )
        )
    )
)
def test_no_hidden_count_can_be_recovered_from_the_published_margins(counts):
    published = protect(counts, threshold=10)
    for r, row in enumerate(published.cells):
        for c, value in enumerate(row):
            if value is not None:
                assert value == counts[r][c]
                assert value == 0 or value >= 10, "a small count was published"
    for total in (*published.row_totals, *published.column_totals, published.total):
        assert total is None or total == 0 or total >= 10
    for r, c, low, high in attack(published, counts):
        assert high - low >= 1 - 1e-6, f"cell ({r}, {c}) = {counts[r][c]} can be worked out"
        if 0 < counts[r][c] < 10:
            assert high >= 10 - 1e-6, f"cell ({r}, {c}) can be seen to be a small count"


def _programmes(table, hidden, hidden_rows, hidden_columns, hidden_total):
    """The attacker's bounds by linear programmes alone, written here apart from the code."""
    unknowns = [tuple(rc) for rc in np.argwhere(hidden)]
    a, b = [], []
    for r in range(table.shape[0]):
        if not hidden_rows[r]:
            a.append([1 if rr == r else 0 for rr, _ in unknowns])
            b.append(table[r].sum() - table[r][~hidden[r]].sum())
    for c in range(table.shape[1]):
        if not hidden_columns[c]:
            a.append([1 if cc == c else 0 for _, cc in unknowns])
            b.append(table[:, c].sum() - table[:, c][~hidden[:, c]].sum())
    if not hidden_total:
        a.append([1] * len(unknowns))
        b.append(table.sum() - table[~hidden].sum())
    kw = {"A_eq": np.array(a), "b_eq": np.array(b)} if a else {}
    low, high = [], []
    for i in range(len(unknowns)):
        goal = np.zeros(len(unknowns))
        goal[i] = 1
        lo = linprog(goal, bounds=(0, None), method="highs", **kw)
        hi = linprog(-goal, bounds=(0, None), method="highs", **kw)
        low.append(lo.fun)
        high.append(-hi.fun if hi.status == 0 else float("inf"))
    return low, high


def test_a_months_bounds_worked_by_hand_without_programmes():
    # A month of 3 counted in 11: both cells hidden, the total 11 shown. Either could be 0..11.
    table = np.array([[3, 8]])
    hidden = np.array([[True, True]])
    low, high = bounds(table, hidden, np.array([False]), np.array([True, True]), False)
    assert (low, high) == ([0.0, 0.0], [11.0, 11.0])
    # Only the 3 hidden beside a shown 8 and total 11: it is exactly 3.
    hidden = np.array([[True, False]])
    low, high = bounds(table, hidden, np.array([False]), np.array([True, True]), False)
    assert (low, high) == ([3.0], [3.0])
    # Nothing shown that mentions it: 0 up, unbounded.
    low, high = bounds(table, hidden, np.array([True]), np.array([True, True]), True)
    assert (low, high) == ([0.0], [float("inf")])


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 3).flatmap(
        lambda rows: st.integers(1, 3).flatmap(
            lambda columns: st.tuples(
                st.lists(
                    st.lists(st.integers(0, 30), min_size=columns, max_size=columns),
                    min_size=rows,
                    max_size=rows,
                ),
                st.lists(
                    st.lists(st.booleans(), min_size=columns, max_size=columns),
                    min_size=rows,
                    max_size=rows,
                ),
                st.lists(st.booleans(), min_size=rows, max_size=rows),
                st.lists(st.booleans(), min_size=columns, max_size=columns),
                st.booleans(),
            )
        )
    )
)
def test_bounds_agree_with_the_programmes_for_any_table(case):
    # The shortcut for cells in at most one published sum must give what the programmes give.
    counts, mask, hidden_rows, hidden_columns, hidden_total = case
    table, hidden = np.array(counts), np.array(mask)
    if not hidden.any():
        return
    expected = _programmes(
        table, hidden, np.array(hidden_rows), np.array(hidden_columns), hidden_total
    )
    found = bounds(table, hidden, np.array(hidden_rows), np.array(hidden_columns), hidden_total)
    assert np.allclose(found[0], expected[0]) and np.allclose(found[1], expected[1])
