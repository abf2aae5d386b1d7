"""SQL a linkage run runs on Splink's own tables (predictions, clusters, the people table): the
decisions applied, the links kept, the score histograms and the review queue. Each function returns
SQL text for the run's CTE pipeline, so it runs on DuckDB and Spark alike: keep to what both
dialects share. Table names are Splink's own templated names, never user input."""

import math
from typing import Any

REVIEW_CEILING = 0.995
REVIEW_QUEUE_SIZE = 500


def with_decisions_sql(predictions: Any, decisions: Any) -> str:
    """Predicted pairs with reviewers' decisions applied: 'same' scores 1, 'different' scores 0,
    and a 'same' pair the model did not predict is added."""
    p, d = predictions.templated_name, decisions.templated_name
    return f"""
        SELECT p.unique_id_l, p.unique_id_r,
               CASE WHEN d.same IS NULL THEN p.match_probability
                    WHEN d.same THEN 1.0 ELSE 0.0 END AS match_probability
        FROM {p} p LEFT JOIN {d} d
          ON p.unique_id_l = d.token_l AND p.unique_id_r = d.token_r
        UNION ALL
        SELECT d.token_l, d.token_r, 1.0 FROM {d} d
        WHERE d.same AND NOT EXISTS (
            SELECT 1 FROM {p} p WHERE p.unique_id_l = d.token_l AND p.unique_id_r = d.token_r)
    """  # nosec B608 - Splink's templated table names


def links_sql(clusters: Any, adjusted: Any, threshold: float) -> str:
    c, a = clusters.templated_name, adjusted.templated_name
    return f"""
        WITH sized AS (
            SELECT unique_id AS token, cluster_id,
                   count(*) OVER (PARTITION BY cluster_id) AS cluster_size
            FROM {c}),
        ends AS (
            SELECT unique_id_l AS token, match_probability AS p FROM {a}
            WHERE match_probability >= {float(threshold)}
            UNION ALL
            SELECT unique_id_r, match_probability FROM {a}
            WHERE match_probability >= {float(threshold)}),
        best AS (SELECT token, max(p) AS match_probability FROM ends GROUP BY token)
        SELECT s.token, s.cluster_id, CAST(s.cluster_size AS INT) AS cluster_size,
               b.match_probability
        FROM sized s LEFT JOIN best b ON s.token = b.token
    """  # nosec B608 - Splink's templated table names and a float


def scores_sql(predictions: Any) -> str:
    return f"""
        SELECT CAST(floor(match_weight) AS DOUBLE) AS weight, count(*) AS pairs
        FROM {predictions.templated_name} GROUP BY floor(match_weight) ORDER BY weight
    """  # nosec B608 - Splink's templated table name


def uncertain_sql(predictions: Any, decisions: Any, records: Any, threshold: float) -> str:
    """The pairs nearest the threshold that nobody has decided yet, nearest first."""
    p, d, people = predictions.templated_name, decisions.templated_name, records.templated_name
    weight = math.log2(threshold / (1 - threshold))
    return f"""
        SELECT p.*, l.source_dataset AS source_l, r.source_dataset AS source_r
        FROM {p} p
        JOIN {people} l ON l.unique_id = p.unique_id_l
        JOIN {people} r ON r.unique_id = p.unique_id_r
        LEFT JOIN {d} d ON p.unique_id_l = d.token_l AND p.unique_id_r = d.token_r
        WHERE d.token_l IS NULL AND p.match_probability < {REVIEW_CEILING}
        ORDER BY abs(p.match_weight - {weight}), p.unique_id_l, p.unique_id_r
        LIMIT {REVIEW_QUEUE_SIZE}
    """  # nosec B608 - Splink's templated table names and constants


def source_pair_scores_sql(predictions: Any, records: Any, threshold: float) -> str:
    """Per pair of sources (in name order) and 1-wide match-weight bin: the pairs scored and how
    many of them reach the threshold. Aggregates only: no token leaves this query."""
    p, people = predictions.templated_name, records.templated_name
    return f"""
        SELECT least(l.source_dataset, r.source_dataset) AS source_a,
               greatest(l.source_dataset, r.source_dataset) AS source_b,
               CAST(floor(p.match_weight) AS DOUBLE) AS weight,
               count(*) AS pairs,
               sum(CASE WHEN p.match_probability >= {float(threshold)} THEN 1 ELSE 0 END) AS linked
        FROM {p} p
        JOIN {people} l ON l.unique_id = p.unique_id_l
        JOIN {people} r ON r.unique_id = p.unique_id_r
        GROUP BY least(l.source_dataset, r.source_dataset),
                 greatest(l.source_dataset, r.source_dataset), floor(p.match_weight)
    """  # nosec B608 - Splink's templated table names and a float


def source_pair_records_sql(clusters: Any, records: Any) -> str:
    """Per ordered pair of sources (a, b): how many of a's records are in a person with a record
    from b; for a source with itself, how many are in a person with another of its records (its
    duplicates). And each source's records, on the rows where a = b."""
    c, people = clusters.templated_name, records.templated_name
    return f"""
        WITH per AS (
            SELECT c.cluster_id, p.source_dataset AS source, count(*) AS n
            FROM {c} c JOIN {people} p ON p.unique_id = c.unique_id
            GROUP BY c.cluster_id, p.source_dataset),
        linked AS (
            SELECT a.source AS source_a, b.source AS source_b, sum(a.n) AS linked
            FROM per a JOIN per b
              ON a.cluster_id = b.cluster_id AND (a.source <> b.source OR a.n > 1)
            GROUP BY a.source, b.source),
        totals AS (SELECT source, sum(n) AS records FROM per GROUP BY source)
        SELECT t.source AS source_a, t.source AS source_b, t.records,
               coalesce(l.linked, 0) AS linked
        FROM totals t LEFT JOIN linked l ON l.source_a = t.source AND l.source_b = t.source
        UNION ALL
        SELECT l.source_a, l.source_b, t.records, l.linked
        FROM linked l JOIN totals t ON t.source = l.source_a
        WHERE l.source_a <> l.source_b
    """  # nosec B608 - Splink's templated table names
