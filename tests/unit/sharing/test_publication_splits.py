"""Cohort splits (publication.splits): each row protected on its own, so one small row does not
spread suppression to the rest or to the group's size (issue 15, item 4). Hand-worked."""

import pytest

from placewise.sharing import publication


@pytest.fixture(autouse=True)
def threshold(settings):
    settings.PLACEWISE_DISCLOSURE_THRESHOLD = 10
    settings.PLACEWISE_DISCLOSURE_ROUND_TO = 0


# 216 children referred; 180 assessed, 40 on a plan, 3 on a protection plan, 214 seen again.
COHORT = [(180, 36), (40, 176), (3, 213), (214, 2)]


def test_a_small_row_hides_only_itself():
    safe = publication.splits(COHORT, full=False)
    assert [row[0] for row in safe.cells] == [180, 40, None, None]
    # 3 is small; 214's complement, 2 children not seen again, is small too: both withheld.
    assert safe.total == 216 and safe.row_totals == [216] * 4


def test_the_old_whole_table_protection_hid_everything_else_too():
    # The same counts as one table with row and column totals: suppression spreads.
    whole = publication.table([list(r) for r in COHORT], full=False)
    assert whole.suppressed > publication.splits(COHORT, full=False).suppressed


def test_a_withheld_row_cannot_be_worked_out_from_its_total():
    safe = publication.splits(COHORT, full=False)
    yes, no = safe.cells[2]
    assert yes is None and no is None  # 3 and 213: 213 shown would give 3 back from 216


def test_a_small_group_withholds_every_row():
    safe = publication.splits([(5, 3), (8, 0)], full=False)
    assert safe.total is None and all(c == [None, None] for c in safe.cells)


def test_the_owner_sees_everything():
    safe = publication.splits(COHORT, full=True)
    assert [row[0] for row in safe.cells] == [180, 40, 3, 214] and safe.total == 216


def test_splits_of_different_groups_are_refused():
    with pytest.raises(ValueError, match="same group"):
        publication.splits([(1, 2), (1, 3)], full=False)


def test_a_month_of_one_in_eleven_withholds_the_counts_but_not_the_eleven():
    # The month's two counts are 1 and 10, its total 11. With column sums published, a one-row
    # table's column sums are its cells, and protecting them hid the 11 as well, so the rule
    # "chart a proportion whose typical month has 10 cases" lost every team chart with small
    # complements. Column sums are never shown: the 11 is published, the 1 and the 10 are not
    # (the 10 would give the 1 back from the 11).
    from placewise.sharing.disclosure import protect

    safe = protect([[1, 10]], threshold=10, column_totals=False)
    assert safe.cells == [[None, None]] and safe.row_totals == [11] and safe.total == 11
    assert safe.column_totals == [None, None]
    # With column sums published (a real two-way table), the same counts hide the total too.
    assert protect([[1, 10]], threshold=10).total is None
