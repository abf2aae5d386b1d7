"""Typo-tolerant matching for the resident service guide (issue 20, item 6), worked by hand.

No database: matching is pure Python, so it answers alike on SQLite and PostgreSQL."""

from placewise.guide.matching import (
    Candidate,
    allowed_edits,
    content_words,
    distance,
    normalise,
    search,
    singular,
    word_cost,
)

BOTTLE, BAG, GLASS, PIZZA = 1, 2, 3, 4
ITEMS = [
    Candidate(BOTTLE, ("Plastic bottle", "drinks bottle")),
    Candidate(BAG, ("Plastic bag", "carrier bag")),
    Candidate(GLASS, ("Glass bottle",)),
    Candidate(PIZZA, ("Pizza box", "takeaway box")),
]


def test_distance_counts_insertions_deletions_substitutions_and_swaps():
    assert distance("plastik", "plastic", 2) == 1  # k for c
    assert distance("botle", "bottle", 1) == 1  # a t left out
    assert distance("bottle", "botle", 1) == 1  # one extra t
    assert distance("ab", "ba", 1) == 1  # two neighbours swapped: one edit, not two
    assert distance("kitten", "sitting", 3) == 3  # k→s, e→i, +g
    # Past the limit the answer is only "too far": limit + 1.
    assert distance("nappy", "plastic", 2) == 3
    assert distance("a", "abcdef", 2) == 3


def test_edits_allowed_grow_with_the_word():
    assert [allowed_edits(w) for w in ("of", "tin", "botle", "bottle", "polystyrene")] == [
        0,
        1,
        1,
        2,
        2,
    ]


def test_plurals_fold_to_the_singular():
    assert [singular(w) for w in ("boxes", "nappies", "glasses", "tins", "glass", "bus")] == [
        "box",
        "nappy",
        "glass",
        "tin",
        "glass",
        "bus",
    ]
    assert word_cost("boxes", "box") == 0


def test_normalising_and_words_that_carry_meaning():
    assert normalise("  Plastic   BOTTLE!? ") == "plastic bottle"
    assert content_words("Where do I put a pizza box?") == ["pizza", "box"]
    # A search of stop words only is searched as it is.
    assert content_words("the") == ["the"]


def test_plastik_botle_finds_plastic_bottle_first():
    found = search("plastik botle", ITEMS)
    # Plastic bottle: plastik→plastic 1 edit, botle→bottle 1 edit: both words, a good answer.
    assert found[0].key == BOTTLE and found[0].score.good
    assert (found[0].score.matched, found[0].score.edits) == (2, 2)
    # Glass bottle (botle only) and plastic bag (plastik only) match one word of two: near, not
    # good, and they tie on edits (1) and extra words (1), so they are in the phrase's order.
    assert [(m.key, m.score.good) for m in found[1:]] == [(GLASS, False), (BAG, False)]


def test_a_synonym_answers_and_says_which():
    found = search("take away boxes", ITEMS)
    # "take" begins "takeaway" and "boxes" is "box", but "away" matches no word: not good.
    assert not any(m.score.good for m in found)
    found = search("takeaway boxes", ITEMS)
    assert found[0].key == PIZZA and found[0].phrase == "takeaway box" and found[0].score.good


def test_a_word_the_guide_does_not_have_matches_nothing():
    assert search("nappies", ITEMS) == []
    assert search("   ", ITEMS) == []


def test_short_words_are_not_stretched():
    # "bag" (3 letters) tolerates one edit: "bug" finds it, "bog" too, "big" too; "bx" none.
    assert search("bug", ITEMS)[0].key == BAG
    assert search("bx", ITEMS) == []
