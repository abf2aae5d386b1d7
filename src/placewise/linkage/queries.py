"""Linkage figures from the analytic store (tokens and person keys only), as SQL with bound
parameters."""

from placewise.store.queries import Query


def sources_linked() -> Query:
    """For each source: its records, and how many were linked to a record from another source."""
    return Query(
        """
        WITH r AS (SELECT DISTINCT token, source FROM records
                   WHERE load_id IN (SELECT load_id FROM loads)),
        spans AS (SELECT l.person_key, count(DISTINCT r.source) AS sources
                  FROM person_links l JOIN r USING (token) GROUP BY l.person_key)
        SELECT r.source, count(*) AS records,
               count(*) FILTER (WHERE s.sources > 1) AS linked_elsewhere
        FROM r LEFT JOIN person_links l USING (token) LEFT JOIN spans s USING (person_key)
        GROUP BY r.source ORDER BY r.source
        """,
        [],
    )


def cluster_sizes() -> Query:
    """How many people were found with 1, 2, 3 … records."""
    return Query(
        "SELECT cluster_size AS records, count(DISTINCT person_key) AS people "
        "FROM person_links GROUP BY cluster_size ORDER BY cluster_size",
        [],
    )
