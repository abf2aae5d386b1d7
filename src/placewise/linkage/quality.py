"""Linkage quality against a synthetic place's ground truth: precision, recall and F1 of pairs."""

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from placewise.linkage import bloom
from placewise.store import stores


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


class PairRates:
    """Precision, recall and F1 of linked pairs, from the three counts."""

    true_pairs: int
    found_pairs: int
    correct_pairs: int

    @property
    def precision(self) -> float:
        return _ratio(self.correct_pairs, self.found_pairs)

    @property
    def recall(self) -> float:
        return _ratio(self.correct_pairs, self.true_pairs)

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)


@dataclass(frozen=True)
class Quality(PairRates):
    records: int
    true_pairs: int
    found_pairs: int
    correct_pairs: int
    true_clusters: int = 0
    found_clusters: int = 0
    exact_clusters: int = 0  # found clusters that are exactly a true person's records

    @property
    def cluster_precision(self) -> float:
        return _ratio(self.exact_clusters, self.found_clusters)

    @property
    def cluster_recall(self) -> float:
        return _ratio(self.exact_clusters, self.true_clusters)

    @property
    def cluster_f1(self) -> float:
        return _f1(self.cluster_precision, self.cluster_recall)


@dataclass(frozen=True)
class SourcePairQuality(PairRates):
    """Pairs of records, one from each of two sources (or both from one source)."""

    source_a: str
    source_b: str
    true_pairs: int
    found_pairs: int
    correct_pairs: int


def _matched(truth_csv: Path, secret: bytes | None = None) -> duckdb.DuckDBPyConnection:
    """A scratch database holding `m`: each stored record's person key beside its true person.

    With the secret shared with encoding agencies, each true record is also known by the keyed
    record ID `placewise encode` gave it, so encoded files are measured too."""
    with stores.enclave(read_only=True) as vault:
        found = vault.sql("""
            SELECT DISTINCT i.source, i.record_id, l.person_key
            FROM identities i JOIN person_links l USING (token)""").to_arrow_table()
    q = duckdb.connect()
    q.execute("SET enable_progress_bar = false")
    q.register("found", found)
    q.execute(
        "CREATE TABLE truth AS SELECT * FROM read_csv(?, all_varchar = true)", [str(truth_csv)]
    )
    if secret is not None:
        known = q.sql("SELECT source, record_id, person_id FROM truth").to_arrow_table()
        keyed = known.set_column(
            1,
            "record_id",
            pa.array(
                [
                    bloom.keyed(r, secret=secret, field="record")
                    for r in known["record_id"].to_pylist()
                ],
                pa.string(),
            ),
        )
        q.register("keyed_truth", keyed)
        q.execute("INSERT INTO truth (source, record_id, person_id) SELECT * FROM keyed_truth")
    q.execute("""CREATE TABLE m AS SELECT f.source, f.record_id, f.person_key, t.person_id
                 FROM found f JOIN truth t USING (source, record_id)""")
    return q


def by_source_pair(truth_csv: Path, secret: bytes | None = None) -> list[SourcePairQuality]:
    """Pair precision / recall / F1 for each pair of sources: where linkage is weak shows here
    (police records with no NHS number, say) when the overall figure hides it."""
    q = _matched(truth_csv, secret)
    try:
        rows = q.execute("""
            -- Two equality joins, not one join on an OR (which pairs every record with every
            -- other at a region's size).
            WITH true_pairs AS (
                SELECT least(a.source, b.source) AS sa, greatest(a.source, b.source) AS sb,
                       count(*) AS n, count(*) FILTER (WHERE a.person_key = b.person_key) AS hit
                FROM m a JOIN m b ON a.person_id = b.person_id
                    AND (a.source, a.record_id) < (b.source, b.record_id)
                GROUP BY ALL),
            found_pairs AS (
                SELECT least(a.source, b.source) AS sa, greatest(a.source, b.source) AS sb,
                       count(*) AS n
                FROM m a JOIN m b ON a.person_key = b.person_key
                    AND (a.source, a.record_id) < (b.source, b.record_id)
                GROUP BY ALL)
            SELECT sa, sb, coalesce(t.n, 0), coalesce(f.n, 0), coalesce(t.hit, 0)
            FROM true_pairs t FULL JOIN found_pairs f USING (sa, sb)
            ORDER BY sa, sb""").fetchall()
    finally:
        q.close()
    return [SourcePairQuality(sa, sb, int(t), int(f), int(c)) for sa, sb, t, f, c in rows]


def against_truth(truth_csv: Path, secret: bytes | None = None) -> Quality:
    """Compare the stored links with `_truth/persons.csv` (source, record_id, person_id)."""
    q = _matched(truth_csv, secret)
    try:
        row = q.execute("""
            SELECT (SELECT count(*) FROM m),
                   (SELECT count(*) FROM m a JOIN m b ON (a.source, a.record_id) < (b.source, b.record_id)
                        AND a.person_id = b.person_id),
                   (SELECT count(*) FROM m a JOIN m b ON (a.source, a.record_id) < (b.source, b.record_id)
                        AND a.person_key = b.person_key),
                   (SELECT count(*) FROM m a JOIN m b ON (a.source, a.record_id) < (b.source, b.record_id)
                        AND a.person_key = b.person_key AND a.person_id = b.person_id),
                   (SELECT count(DISTINCT person_id) FROM m),
                   (SELECT count(DISTINCT person_key) FROM m),
                   -- a found cluster is exact when it holds one person and all of that person
                   (SELECT count(*) FROM (
                        SELECT person_key, any_value(person_id) AS person_id, count(*) AS n
                        FROM m GROUP BY person_key HAVING count(DISTINCT person_id) = 1) k
                    JOIN (SELECT person_id, count(*) AS n FROM m GROUP BY person_id) t
                    USING (person_id) WHERE k.n = t.n)
        """).fetchone()
    finally:
        q.close()
    assert row is not None
    return Quality(*(int(v) for v in row))
