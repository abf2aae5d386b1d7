"""Where Splink does its work: a private in-memory DuckDB (the default), or Apache Spark for a
region's worth of records. The model and every step of the run are the same on both; only the
database API and the way results come back as Arrow differ."""

import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
from django.conf import settings

BACKENDS = ("duckdb", "spark")


@dataclass
class Backend:
    name: str
    api: Any  # splink DatabaseAPI
    connection: Any = None  # the DuckDB connection, on the DuckDB backend

    def arrow(self, frame: Any) -> pa.Table:
        """A Splink result as an Arrow table, without going through Python rows."""
        if self.name == "spark":
            return frame.as_spark_dataframe().toArrow()
        return frame.as_duckdbpyrelation().to_arrow_table()


@contextmanager
def open_backend(name: str, *, progress: bool = False) -> Iterator[Backend]:
    if name == "duckdb":
        import duckdb
        from splink.internals.duckdb.database_api import DuckDBAPI

        scratch = Path(settings.PLACEWISE_HOME) / "tmp"
        scratch.mkdir(parents=True, exist_ok=True)
        # Spill to the place's own folder (not the current directory) beyond a memory limit
        # that keeps a region's linkage inside an ordinary server's memory.
        work = duckdb.connect(
            config={
                "temp_directory": str(scratch),
                "memory_limit": settings.PLACEWISE_LINK_MEMORY,
            }
        )
        try:
            yield Backend(name, DuckDBAPI(work), work)
        finally:
            work.close()
    elif name == "spark":
        with _spark(progress) as api:
            yield Backend(name, api)
    else:
        raise ValueError(f"unknown linkage backend '{name}': choose one of {', '.join(BACKENDS)}")


@contextmanager
def _spark(progress: bool) -> Iterator[Any]:
    from pyspark.sql import SparkSession
    from splink.internals.spark.database_api import SparkAPI
    from splink.internals.spark.jar_location import similarity_jar_location

    scratch = tempfile.TemporaryDirectory(prefix="placewise-spark-")
    partitions = settings.PLACEWISE_SPARK_PARTITIONS
    spark = (
        SparkSession.builder.master(settings.PLACEWISE_SPARK_MASTER)
        .appName("placewise-link")
        # Splink's Jaro-Winkler and friends are Scala UDFs shipped in its jar.
        .config("spark.jars", similarity_jar_location())
        .config("spark.driver.memory", settings.PLACEWISE_SPARK_DRIVER_MEMORY)
        .config("spark.sql.shuffle.partitions", str(partitions))
        .config("spark.default.parallelism", str(partitions))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "true" if progress else "false")
        .config("spark.local.dir", scratch.name)
        .config("spark.sql.warehouse.dir", f"{scratch.name}/warehouse")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    spark.sparkContext.setCheckpointDir(f"{scratch.name}/checkpoints")
    logging.getLogger("py4j").setLevel(logging.ERROR)
    try:
        # Lineage is cut by writing each step to parquet: with "persist" the query plans grow
        # with every EM and clustering iteration, and 10k records took over 10 minutes
        # instead of 2.
        yield SparkAPI(
            spark_session=spark,
            num_partitions_on_repartition=partitions,
            break_lineage_method=settings.PLACEWISE_SPARK_BREAK_LINEAGE,
        )
    finally:
        spark.stop()
        scratch.cleanup()
