"""Links between sources that hold each person once are one-to-one (linkage/one_to_one.py): each
pair's one-to-one posterior, worked by hand on a small case."""

from fractions import Fraction
from types import SimpleNamespace

import duckdb
import pytest

from placewise.linkage import one_to_one

# A prior of 1 in 1,025: its weight is log2(1/1024) = -10, so a pair's Bayes factor K is
# 2 ** (weight + 10).
PRIOR = 1 / 1025


def _probability(weight: float) -> float:
    odds = 2.0**weight
    return odds / (1 + odds)


# Sources A and B hold each person once; C holds c1 twice (c1 ~ c2 at 8/9, above 0.8).
RECORDS = [
    ("a1", "A"), ("a2", "A"), ("a3", "A"),
    ("b1", "B"), ("b2", "B"), ("b3", "B"),
    ("c1", "C"), ("c2", "C"),
]  # fmt: skip
PAIRS = {
    ("a1", "b1"): 0.0,  # alone, and pairwise only 1/2
    ("a2", "b2"): 10.0,
    ("a3", "b2"): 4.0,  # pairwise 16/17, linked: but b2 is a2's, far more likely
    ("c1", "c2"): 3.0,
    ("a1", "c1"): 1.0,  # C has duplicates: left as it was, 2/3
}


def _resolved() -> dict[tuple[str, str], float]:
    with duckdb.connect() as con:
        con.execute("CREATE TABLE people (unique_id VARCHAR, source_dataset VARCHAR)")
        con.executemany("INSERT INTO people VALUES (?, ?)", RECORDS)
        con.execute(
            "CREATE TABLE predictions (unique_id_l VARCHAR, unique_id_r VARCHAR, "
            "match_weight DOUBLE, match_probability DOUBLE)"
        )
        con.executemany(
            "INSERT INTO predictions VALUES (?, ?, ?, ?)",
            [(left, right, w, _probability(w)) for (left, right), w in PAIRS.items()],
        )
        sql = one_to_one.resolved_sql(
            SimpleNamespace(templated_name="predictions"),
            SimpleNamespace(templated_name="people"),
            0.8,
            PRIOR,
        )
        rows = con.execute(sql).fetchall()
    return {(left, right): p for left, right, _, p in rows}


def test_the_prior_weight_is_the_log_odds_of_the_prior():
    assert one_to_one.prior_weight(PRIOR) == pytest.approx(-10.0)


def test_one_to_one_posteriors_raise_a_lone_pair_and_cut_a_rival():
    """By hand. Linked pairwise at 0.8: a2 and a3 of A's 3 records (odds of having one in B:
    (2 + 1) / (1 + 1) = 3/2), b2 of B's 3 (odds (1 + 1) / (2 + 1) = 2/3). From a record's side,
    P = o·K/n / (1 + o·ΣK/n) over its pairs with the other source; the pair takes the smaller side.
    - a1 ~ b1, K = 2^10: a1's side 512/513, b1's side (2/3·1024/3) / (1 + 2/3·1024/3) = 2048/2057.
    - a2 ~ b2, K = 2^20: a2's side 2^19 / (1 + 2^19); b2's side, with a3's 2^14 beside it,
      2^21 / (9 + 2^21 + 2^15) = 2097152/2129929.
    - a3 ~ b2, K = 2^14: b2's side 2^15 / (9 + 2^21 + 2^15) = 32768/2129929: cut."""
    resolved = _resolved()
    assert resolved[("a1", "b1")] == pytest.approx(float(Fraction(2048, 2057)))
    assert resolved[("a2", "b2")] == pytest.approx(float(Fraction(2097152, 2129929)))
    assert resolved[("a3", "b2")] == pytest.approx(float(Fraction(32768, 2129929)))
    # Within a source, and with a source that has duplicates: the pairwise probability.
    assert resolved[("c1", "c2")] == pytest.approx(8 / 9)
    assert resolved[("a1", "c1")] == pytest.approx(2 / 3)
    assert len(resolved) == len(PAIRS)


def test_a_source_with_duplicates_keeps_pairwise_probabilities_for_its_cross_pairs():
    """Were A to hold a2 and a3 as one person (a2 ~ a3 linked within A), A is not duplicate-free:
    a3 ~ b2 keeps its pairwise 16/17 and a1 ~ b1 its 1/2."""
    PAIRS[("a2", "a3")] = 6.0
    try:
        resolved = _resolved()
    finally:
        del PAIRS[("a2", "a3")]
    assert resolved[("a3", "b2")] == pytest.approx(16 / 17)
    assert resolved[("a1", "b1")] == pytest.approx(1 / 2)
