"""The demo's recycling guide (issue 20, item 6): items, synonyms, searches over three months and
the gaps they left, one answered from the gap list."""

from datetime import date

import pytest

from placewise.guide import demo_data, queries

pytestmark = pytest.mark.django_db


def test_the_demo_guide_has_items_gaps_most_frequent_first_and_one_closed(people):
    today = date(2027, 3, 31)
    guide = demo_data.build(council=people["orgs"]["council"], editor=people["alice"], today=today)
    assert (
        demo_data.build(council=people["orgs"]["council"], editor=people["alice"], today=today)
        == guide
    )
    assert guide.items.count() == len(demo_data.ITEMS) + 1  # and the coffee cup, from its gap
    # Nappies were searched 4 + 3 + 5 times; polystyrene 2 + 1; light bulbs 2 + 1.
    assert list(queries.open_gaps(guide).values_list("words", "searches")) == [
        ("nappies", 12),
        ("light bulb", 3),
        ("polystyrene", 3),
    ]
    closed = queries.closed_gaps(guide).get()
    assert (closed.words, closed.searches, closed.answered_by.name) == (
        "coffee cup",
        5,
        "Coffee cup",
    )
    # The typo found its item: counted, and no gap.
    assert not guide.gaps.filter(words="plastik botle").exists()
    # 3 + 4 + 2 + 5 + 3 + 2 + 4 + 3 + 2 + 5 + 3 + 1 + 1 + 2 searches in all.
    assert sum(m.searches for m in queries.history(guide)) == 40
