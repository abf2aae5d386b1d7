"""The Spark backend runs the same model and finds the same people as the embedded DuckDB one."""

import shutil

import pytest

from placewise.cli import main
from placewise.linkage import quality
from placewise.linkage.models import LinkageRun
from placewise.sharing import actors
from placewise.sources.actions import ingest_many
from placewise.store import stores
from placewise.synth.place import council_files
from tests.conftest import IN_CI

pytestmark = [pytest.mark.django_db, pytest.mark.spark]


def _people_as_pairs() -> set[tuple[str, str]]:
    """Every pair of records put together, by token (person keys differ between runs only in
    which token names the cluster, so compare the partitions, not the keys)."""
    with stores.enclave(read_only=True) as vault:
        rows = vault.execute("""
            SELECT a.token, b.token FROM person_links a JOIN person_links b
            ON a.person_key = b.person_key AND a.token < b.token""").fetchall()
    return set(rows)


def test_spark_finds_the_same_people_as_duckdb(small_place, fresh_stores, monkeypatch):
    if shutil.which("java") is None:
        message = "Java is not installed: make setup installs it"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    # The JVM's quick compiler only, and one garbage collector thread: a run of a few hundred
    # records is over before the optimising compiler pays for the core it takes from the other
    # test worker (108 s alone with it, 76 s without). How the JVM compiles, not what Spark does.
    monkeypatch.setenv("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
    ingest_many(list(council_files(small_place)), by=actors.command_line(), run_dfe=False)
    truth = small_place / "_truth" / "persons.csv"

    assert main(["link", "--quiet"]) == 0
    on_duckdb = _people_as_pairs()
    duckdb_quality = quality.against_truth(truth)
    assert main(["link", "--quiet", "--backend", "spark"]) == 0
    on_spark = _people_as_pairs()
    spark_quality = quality.against_truth(truth)

    assert LinkageRun.objects.first().backend == "spark"
    assert len(on_duckdb) > 200
    # EM converges to the same weights up to floating point; allow a pair or two either way.
    agreement = 2 * len(on_duckdb & on_spark) / (len(on_duckdb) + len(on_spark))
    assert agreement >= 0.99, f"Spark and DuckDB agree on {agreement:.4f} of linked pairs"
    assert spark_quality.f1 >= 0.98 and abs(spark_quality.f1 - duckdb_quality.f1) <= 0.01
