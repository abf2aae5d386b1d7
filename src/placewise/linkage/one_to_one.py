"""Links between two sources that hold each person at most once are one-to-one.

A council's case system, a GP register or a school roll holds a child once; two such files can
link a record to at most one record of the other. The Fellegi-Sunter weight ignores that: it
judges each pair alone, against the place-wide chance that two records match, so a pair whose
names and date of birth were both mistyped stays below the threshold though nothing else in the
other file comes near it, and a record can link to two records of a file that has no duplicates
(merging two people).

Which sources hold people once is learnt from the run itself, never from a source's name: a
source is *duplicate-free* when at most DUPLICATE_SHARE of its records have a pairwise link (at
the threshold) to another record of the same source. Between two duplicate-free sources A and B,
each cross pair's probability is replaced by its one-to-one posterior, the smaller of the two
sides':

    from a's side:  P(b is a's record in B) = o·K_ab / n_B / (1 + o·Σ_b' K_ab' / n_B)

where K is the pair's Bayes factor (2 ** (match weight − prior weight)), the sum runs over every
pair of a with a record of B that was scored, n_B is B's records, and o = π / (1 − π) the odds
that a record of A has one in B at all, π estimated as the share of A's records linked to B
pairwise, (linked + 1) / (records + 2). It is the posterior of "b is a's one record in B" against
"a has none there, or another": a lone strong candidate rises, a pair with a stronger rival
falls below a half (cut), so two people are not merged through one file. Pairs within a source,
and with a source that has duplicates, keep the pairwise probability; records of a source that
does have a duplicate or two stay together through their own within-source link. See
docs/adr/0024.

The SQL runs on Splink's tables in the run's CTE pipeline, on DuckDB and Spark alike.
"""

import math
from typing import Any

# At most one record in 200 linked to another of its own source: a source with fewer than that
# holds each person once, and the few it links are false or rare. bench/linkage.py's partner
# files with duplicates hold 2-6% twice (and the synthetic police 80%).
DUPLICATE_SHARE = 0.005


def prior_weight(probability_two_random_records_match: float) -> float:
    """The model's prior as a match weight (log2 odds): what a pair's weight is before evidence."""
    p = probability_two_random_records_match
    return math.log2(p / (1 - p))


def resolved_sql(predictions: Any, records: Any, threshold: float, prior: float) -> str:
    """Predicted pairs (unique_id_l, unique_id_r, match_weight, match_probability), each pair
    between two duplicate-free sources with its one-to-one posterior as match_probability.
    `prior`: the trained model's probability that two random records match."""
    p, people = predictions.templated_name, records.templated_name
    t, w0, share = float(threshold), prior_weight(prior), float(DUPLICATE_SHARE)
    return f"""
        WITH pairs AS (
            SELECT p.unique_id_l, p.unique_id_r, p.match_weight, p.match_probability,
                   l.source_dataset AS source_l, r.source_dataset AS source_r
            FROM {p} p
            JOIN {people} l ON l.unique_id = p.unique_id_l
            JOIN {people} r ON r.unique_id = p.unique_id_r),
        sizes AS (
            SELECT source_dataset AS source, count(*) AS n FROM {people} GROUP BY source_dataset),
        twice AS (
            SELECT source, count(DISTINCT id) AS n FROM (
                SELECT source_l AS source, unique_id_l AS id FROM pairs
                WHERE source_l = source_r AND match_probability >= {t}
                UNION ALL
                SELECT source_r, unique_id_r FROM pairs
                WHERE source_l = source_r AND match_probability >= {t}) d
            GROUP BY source),
        once AS (
            SELECT s.source, s.n FROM sizes s LEFT JOIN twice d ON d.source = s.source
            WHERE coalesce(d.n, 0) <= s.n * {share}),
        ends AS (
            SELECT unique_id_l AS id, source_l AS own, unique_id_r AS partner, source_r AS other,
                   match_weight, match_probability FROM pairs
            UNION ALL
            SELECT unique_id_r, source_r, unique_id_l, source_l, match_weight, match_probability
            FROM pairs),
        crossing AS (
            SELECT e.* FROM ends e
            JOIN once a ON a.source = e.own JOIN once b ON b.source = e.other
            WHERE e.own <> e.other),
        odds AS (
            SELECT c.own, c.other, b.n AS n_other,
                   (c.linked + 1.0) / (a.n - c.linked + 1.0) AS odds_held
            FROM (SELECT own, other,
                         count(DISTINCT CASE WHEN match_probability >= {t} THEN id END) AS linked
                  FROM crossing GROUP BY own, other) c
            JOIN once a ON a.source = c.own JOIN once b ON b.source = c.other),
        weighed AS (
            SELECT c.id, c.partner, o.odds_held, o.n_other,
                   power(2.0, c.match_weight - ({w0})) AS k,
                   sum(power(2.0, c.match_weight - ({w0})))
                       OVER (PARTITION BY c.id, c.other) AS k_all
            FROM crossing c JOIN odds o ON o.own = c.own AND o.other = c.other),
        sided AS (
            SELECT id, partner,
                   odds_held * k / n_other / (1.0 + odds_held * k_all / n_other) AS posterior
            FROM weighed)
        SELECT p.unique_id_l, p.unique_id_r, p.match_weight,
               CASE WHEN a.posterior IS NULL THEN p.match_probability
                    ELSE least(a.posterior, b.posterior) END AS match_probability
        FROM {p} p
        LEFT JOIN sided a ON a.id = p.unique_id_l AND a.partner = p.unique_id_r
        LEFT JOIN sided b ON b.id = p.unique_id_r AND b.partner = p.unique_id_l
    """  # nosec B608 - Splink's templated table names and floats
