"""The demo's recycling guide (issue 20, item 6): items, synonyms, searches over three months and
the gaps they left, two answered from the gap list."""

from datetime import date

import pytest

from placewise.guide import demo_data, queries

pytestmark = pytest.mark.django_db


def test_the_demo_guide_has_items_gaps_most_frequent_first_and_two_closed(people):
    today = date(2027, 3, 31)
    guide = demo_data.build(council=people["orgs"]["council"], editor=people["alice"], today=today)
    assert (
        demo_data.build(council=people["orgs"]["council"], editor=people["alice"], today=today)
        == guide
    )
    assert guide.items.count() == len(demo_data.ITEMS) + 2  # coffee cup, polystyrene: from gaps
    # Nappies were searched 4 + 3 + 5 times; light bulbs 2 + 1.
    assert list(queries.open_gaps(guide).values_list("words", "searches")) == [
        ("nappies", 12),
        ("light bulb", 3),
    ]
    # Coffee cups 2 + 3 times before they were answered, polystyrene 2 + 1.
    closed = [(g.words, g.searches, g.answered_by.name) for g in queries.closed_gaps(guide)]
    assert closed == [("polystyrene", 3, "Polystyrene"), ("coffee cup", 5, "Coffee cup")]
    # The typo found its item: counted, and no gap.
    assert not guide.gaps.filter(words="plastik botle").exists()
    # 3 + 4 + 2 + 5 + 3 + 2 + 4 + 3 + 2 + 5 + 3 + 1 + 1 + 2 searches in all.
    assert sum(m.searches for m in queries.history(guide)) == 40
