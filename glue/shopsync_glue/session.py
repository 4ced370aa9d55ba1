"""A Spark session for local runs and tests (in Glue, the entry script gets Glue's own)."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

from pyspark.sql import SparkSession

from .cds import local_java_options

CDS_DIR_ENV = "SHOPSYNC_SPARK_CDS_DIR"

#: Settings every session of ours needs: UTC everywhere, Parquet timestamps that Redshift's
#: COPY and DuckDB read as instants, no ANSI surprises on casts of bad values.
SESSION_CONF: dict[str, str] = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
    "spark.sql.ansi.enabled": "false",
}
#: Hadoop settings: no ``_SUCCESS`` marker next to the Parquet files, since Redshift's COPY
#: reads every object under the run's prefix.
HADOOP_CONF: dict[str, str] = {"mapreduce.fileoutputcommitter.marksuccessfuljobs": "false"}

#: JVM options for local runs on few cores, where the JIT compilers compete with the job for
#: CPU: a cold load of 1M records spent 21 of its 59 JVM CPU-seconds compiling. Smaller
#: inlining budgets cut that by a third at the same warm speed, and the parallel collector
#: beats G1 (and the serial one) on a 2 GiB heap: 1.5 s less for that load. (Measured with
#: bench/bench_load.py; Glue sizes its own JVMs, this is only ``local_session``.)
LOCAL_JAVA_OPTIONS = "-XX:+UseParallelGC -XX:FreqInlineSize=150 -XX:InlineSmallCode=1500"

#: Spark settings for local runs only. A batch reads each stream's parts as a list of files, one
#: per tenant run; past 32 paths Spark checks them with a Spark job of one task per path
#: (``Listing leaf files ... for 200 paths``), 0.4-0.9 s each for a batch of 200 runs, five per
#: batch: on a local disk the driver checks 200 paths in milliseconds. (Measured with
#: bench/bench_tenants.py: 1.5-2.5 s less curation per 200-run batch. On Glue the parts are
#: S3 objects, where spreading the checks over the executors pays: Glue keeps the default.)
LOCAL_CONF: dict[str, str] = {"spark.sql.sources.parallelPartitionDiscovery.threshold": "100000"}


#: Spark's logging configuration for local sessions (errors only: no start-up notices).
LOG_CONFIG = Path(__file__).with_name("log4j2.properties")


def java_options() -> str:
    """``SHOPSYNC_SPARK_JAVA_OPTIONS`` if set, else ours, plus the class-data-sharing archive
    in ``SHOPSYNC_SPARK_CDS_DIR`` when that names a directory (see :mod:`.cds`)."""
    chosen = os.environ.get("SHOPSYNC_SPARK_JAVA_OPTIONS")
    if chosen is not None:
        return chosen
    return " ".join([LOCAL_JAVA_OPTIONS, *local_java_options(os.environ.get(CDS_DIR_ENV))])


@functools.cache
def local_session(master: str = "local[2]", shuffle_partitions: int = 2) -> SparkSession:
    """One session per process, reused: Spark start-up costs seconds, a job milliseconds."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    # The driver binds to 127.0.0.1 anyway; said here, Spark does not warn that the host
    # name resolves to a loopback address.
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    logging = f"-Dlog4j2.configurationFile={LOG_CONFIG.as_uri()}"
    builder = (
        SparkSession.builder.master(master)
        .appName("shopsync-load")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.default.parallelism", str(shuffle_partitions))
        .config("spark.driver.memory", os.environ.get("SHOPSYNC_SPARK_DRIVER_MEMORY", "2g"))
        .config("spark.sql.adaptive.enabled", "true")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.extraJavaOptions", f"{java_options()} {logging}")
    )
    for key, value in {**SESSION_CONF, **LOCAL_CONF}.items():
        builder = builder.config(key, value)
    for key, value in HADOOP_CONF.items():
        builder = builder.config(f"spark.hadoop.{key}", value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session
