"""One Spark session (local[2], 2 shuffle partitions, UI off) for every Spark test."""

from __future__ import annotations

import pytest
from pyspark.sql import SparkSession

from shopsync_glue.session import local_session


@pytest.fixture(scope="session")
def spark() -> SparkSession:
    return local_session("local[2]", 2)
