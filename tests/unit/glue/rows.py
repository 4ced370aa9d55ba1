"""Hand-built raw lines: a Shopify node plus ``_shopsync``, as the raw writer lands them."""

from __future__ import annotations

import json
from typing import Any

from pyspark.sql import DataFrame, SparkSession

RUN_1 = "20261124T100000Z-00000001"
RUN_2 = "20261124T110000Z-00000002"


def line(
    node: dict[str, Any],
    *,
    stream: str,
    run_id: str = RUN_1,
    tenant_id: str = "acme",
    fetched_at: str = "2026-11-24T10:00:05Z",
) -> str:
    meta = {"tenant_id": tenant_id, "run_id": run_id, "stream": stream, "fetched_at": fetched_at}
    return json.dumps({**node, "_shopsync": meta})


def lines(spark: SparkSession, *raw: str) -> DataFrame:
    return spark.createDataFrame([(r,) for r in raw], "value string")


def gid(kind: str, number: int) -> str:
    return f"gid://shopify/{kind}/{number}"


def money(amount: str | None, currency: str | None) -> dict[str, Any]:
    return {"shopMoney": {"amount": amount, "currencyCode": currency}}
