"""`placewise link`: cluster source records into people inside the enclave.

Identifiers are read from the enclave into a private in-memory DuckDB that Splink works in; only
`token → person key` (with match probability and cluster size) is written back to the enclave and
copied to the analytic store. See docs/adr/0006-linkage-in-the-enclave.md.
"""

import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb
import pyarrow as pa
from django.conf import settings as django_settings
from splink import Linker
from splink.internals.duckdb.database_api import DuckDBAPI

from placewise.linkage import model
from placewise.store import stores

MATCH_THRESHOLD = 0.95
# Unsupervised training needs enough records to estimate from; below this, refuse clearly.
MIN_RECORDS = 50


class CannotTrain(Exception):
    """The records give the unsupervised training nothing to learn from."""


class TooFewRecords(CannotTrain):
    """There are too few records to train a linkage model without labels."""


@dataclass(frozen=True)
class LinkRun:
    records: int
    people: int
    seconds: float


def link(*, threshold: float = MATCH_THRESHOLD, progress: bool = False) -> LinkRun:
    """Train the model without labels (u by random sampling, m by EM), predict, cluster, store."""
    logging.getLogger("splink").setLevel(logging.INFO if progress else logging.ERROR)
    started = time.perf_counter()
    with stores.enclave(read_only=True) as vault:
        people = vault.sql(model.PEOPLE_SQL).to_arrow_table()
    if people.num_rows < MIN_RECORDS:
        raise TooFewRecords(
            f"{people.num_rows} source records loaded; the model is trained "
            f"without labels and needs at least {MIN_RECORDS}"
        )
    work = duckdb.connect()
    try:
        work.register("people_in", people)
        work.execute("CREATE TABLE people AS SELECT * FROM people_in")
        api = DuckDBAPI(work)
        linker = Linker(api.register("people"), model.settings(), log_level=logging.ERROR)
        try:
            linker.training.estimate_probability_two_random_records_match(
                model.deterministic_blocks(), recall=0.8
            )
        except ValueError:
            # No two records share an NHS number or UPN (e.g. only schools and health files):
            # keep the default prior, which EM re-estimates below.
            logging.getLogger(__name__).info("no strong-identifier agreements; default prior")
        linker.training.estimate_u_using_random_sampling(max_pairs=2e6)
        try:
            for block in model.training_blocks():
                linker.training.estimate_parameters_using_expectation_maximisation(block)
        except ValueError as error:
            raise CannotTrain(
                "the model could not be trained on these records without labels "
                f"({error}); link sources that share some NHS numbers or UPNs, or more records"
            ) from None
        predictions = linker.inference.predict(threshold_match_probability=0.5)
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold
        )
        work.register("clusters_out", clusters.as_duckdbpyrelation().to_arrow_table())
        work.register("pairs_out", predictions.as_duckdbpyrelation().to_arrow_table())
        links = work.sql("""
            WITH sized AS (
                SELECT unique_id AS token, cluster_id,
                       count(*) OVER (PARTITION BY cluster_id) AS cluster_size
                FROM clusters_out),
            best AS (
                SELECT token, max(p) AS match_probability FROM (
                    SELECT unique_id_l AS token, match_probability AS p FROM pairs_out
                    UNION ALL SELECT unique_id_r, match_probability FROM pairs_out) GROUP BY token)
            SELECT s.token, s.cluster_id, s.cluster_size, b.match_probability
            FROM sized s LEFT JOIN best b USING (token)""").to_arrow_table()
    finally:
        work.close()
    keys = [_person_key(c) for c in links.column("cluster_id").to_pylist()]
    now = datetime.now(UTC)
    table = pa.table(
        {
            "token": links.column("token"),
            "person_key": pa.array(keys, pa.string()),
            "cluster_size": links.column("cluster_size").cast(pa.int32()),
            "match_probability": links.column("match_probability"),
            "linked_at": pa.array([now] * links.num_rows, pa.timestamp("us", tz="UTC")),
        }
    )
    for open_store in (stores.enclave, stores.analytic):
        with open_store() as store:
            store.execute("BEGIN")
            store.execute("DELETE FROM person_links")  # a run replaces the last one whole
            store.register("incoming_links", table)
            store.execute(
                "INSERT INTO person_links SELECT token, person_key, cluster_size, "
                "match_probability, linked_at FROM incoming_links"
            )
            store.execute("COMMIT")
    return LinkRun(
        records=links.num_rows, people=len(set(keys)), seconds=time.perf_counter() - started
    )


def _person_key(cluster_id: str) -> str:
    # Keyed, so a person key reveals nothing about the tokens in its cluster.
    digest = hashlib.sha256(f"{django_settings.PLACE_SECRET}\x1fperson\x1f{cluster_id}".encode())
    return f"PK{digest.hexdigest()[:20]}"
