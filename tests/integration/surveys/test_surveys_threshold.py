"""The 360 group threshold holds for every combination of group sizes (issue 18): no group of
fewer raters than the threshold can be worked out by subtracting what is shown — a group shown
on its own, "others" (the merged groups) and "all raters" — from anything else shown.

The attack is the disclosure module's (sharing/disclosure.py): an attacker knows every published
total and solves for what is hidden. A group's scores are a sum over its raters divided by their
count, so whatever the attacker can learn of a group's sum they learn by the same linear algebra
as of its count. Two attackers are run: linear algebra over the published lines (is the set of
any one to threshold-1 raters a combination of them?) and `disclosure.bounds`, the module's own
linear programmes, on the groups' counts (could any hidden group be pinned to one value?).
"""

from itertools import combinations, product

import numpy as np
import pytest

from placewise.sharing.disclosure import bounds
from placewise.surveys.visibility import GROUPS, plan

SIZES = range(7)  # 0 to 6 raters in each of manager, peers, reports and partners


def published(p) -> list[np.ndarray]:
    """The lines a report shows, each as which groups' raters it adds up."""
    lines = [np.array([1.0 if g == shown else 0.0 for g in GROUPS]) for shown in p.shown]
    if p.others_shown:
        lines.append(np.array([1.0 if g in p.merged else 0.0 for g in GROUPS]))
    if p.all_shown:
        lines.append(np.ones(len(GROUPS)))
    return lines


def derivable(target: np.ndarray, lines: list[np.ndarray]) -> bool:
    """Whether some combination of the published lines adds up to exactly `target`."""
    if not lines:
        return False
    a = np.array(lines).T
    solution, *_ = np.linalg.lstsq(a, target, rcond=None)
    return bool(np.allclose(a @ solution, target))


@pytest.mark.parametrize("threshold", [2, 3, 4, 5])
def test_no_small_set_of_raters_can_be_worked_out_by_subtraction(threshold):
    checked = 0
    for sizes in product(SIZES, repeat=len(GROUPS)):
        counts = dict(zip(GROUPS, sizes, strict=True))
        p = plan(counts, threshold)
        lines = published(p)
        # Every line shown has no raters or at least the threshold.
        for line in lines:
            raters = int(line @ np.array(sizes))
            assert raters == 0 or raters >= threshold, (counts, p)
        # No set of groups with 1 to threshold-1 raters between them is a combination of them.
        for k in range(1, len(GROUPS) + 1):
            for chosen in combinations(range(len(GROUPS)), k):
                raters = sum(sizes[i] for i in chosen)
                if 0 < raters < threshold:
                    target = np.array([1.0 if i in chosen else 0.0 for i in range(len(GROUPS))])
                    assert not derivable(target, lines), (counts, chosen, p)
                    checked += 1
    assert checked > 1000  # the property was tested on many small sets, not vacuously


@pytest.mark.slow  # about 10 s of linear programmes
@pytest.mark.parametrize("threshold", [3])
def test_the_disclosure_modules_attacker_pins_no_hidden_group(threshold):
    for sizes in product(range(4), repeat=len(GROUPS)):  # 0 to 3: the LPs take time
        counts = dict(zip(GROUPS, sizes, strict=True))
        p = plan(counts, threshold)
        table = np.array([sizes], dtype=np.int64)
        hidden = np.array([[g not in p.shown for g in GROUPS]])
        if not hidden.any():
            continue
        # Published: each group shown (a cell), all raters (the row total) if shown; "others"
        # is all raters less the groups shown, so it adds nothing the attacker lacks.
        low, high = bounds(
            table,
            hidden,
            hidden_rows=np.array([not p.all_shown]),
            hidden_columns=np.ones(len(GROUPS), dtype=bool),
            hidden_total=not p.all_shown,
        )
        unknowns = [i for i, g in enumerate(GROUPS) if g not in p.shown]
        for i, lo, hi in zip(unknowns, low, high, strict=True):
            if 0 < sizes[i] < threshold:
                assert hi - lo >= 0.5, (counts, GROUPS[i], lo, hi)
                assert hi >= threshold - 0.5, (counts, GROUPS[i], hi)


# Worked by hand: (manager, peers, reports, partners) → groups shown alone, others, all raters.
CASES = [
    ((1, 3, 0, 0), (), 4, False, True),  # others 1: peers join the manager; only all raters
    ((1, 3, 3, 0), ("peer",), 4, True, True),  # others 1: reports (later of equals) join
    ((1, 4, 3, 2), ("peer", "report"), 3, True, True),  # manager and partners: 3 others
    ((0, 3, 3, 3), ("peer", "report", "partner"), 0, False, True),  # nothing merged
    ((1, 1, 0, 0), (), 2, False, False),  # 2 raters altogether: everything withheld
    ((1, 2, 0, 0), (), 3, False, True),  # 3 altogether: only "all raters"
    ((2, 5, 3, 0), ("peer",), 5, True, True),  # others 2: reports (the smaller) join them
]


@pytest.mark.parametrize(("sizes", "shown", "others", "others_shown", "all_shown"), CASES)
def test_hand_worked_plans(sizes, shown, others, others_shown, all_shown):
    p = plan(dict(zip(GROUPS, sizes, strict=True)), 3)
    assert (p.shown, p.others, p.others_shown, p.all_shown) == (
        shown,
        others,
        others_shown,
        all_shown,
    )
