"""What shopsync costs on AWS per month, for 10, 100 and 1,000 stores synced hourly.

The model is docs/COST.md; this script computes its table from the inputs below, each either
measured here (the benchmark that measured it is named) or an assumption (said so). Prices are
us-east-1 list prices, with their sources in ``PRICES``.

    .venv/bin/python docs/cost_model.py [--stores 10 100 1000] [--orders-per-day 100]
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass

HOURS = 730  # a month

#: us-east-1 list prices (USD) and where they come from (read 2026-12-07; see docs/COST.md).
PRICES = {
    "lambda_gb_second": 0.0000166667,  # docs.aws.amazon.com/whitepapers/.../lambda.html
    "lambda_request": 0.20 / 1e6,  # same page
    "glue_dpu_hour": 0.44,  # aws.amazon.com/glue/pricing (1-minute minimum per job run)
    "glue_crawler_minimum_hours": 10 / 60,  # crawlers: a 10-minute minimum per crawl
    "redshift_rpu_hour": 0.375,  # 4 RPU from $1.50 an hour (AWS Big Data blog); 60 s minimum
    "s3_gb_month": 0.023,  # S3 Standard, first 50 TB
    "s3_put_list": 0.005 / 1000,  # PUT, COPY, POST, LIST
    "s3_get": 0.0004 / 1000,
    "cloudtrail_data_event": 0.10 / 100_000,  # aws.amazon.com/cloudtrail/pricing
    "eventbridge_event": 1.00 / 1e6,  # custom and opt-in events; management events are free
    "secret_month": 0.40,  # aws.amazon.com/secrets-manager/pricing
    "secret_call": 0.05 / 10_000,
    "nat_hour": 0.045,  # aws.amazon.com/vpc/pricing (NAT gateway)
    "nat_gb": 0.045,
    "dynamodb_write": 0.625 / 1e6,  # on-demand, after the November 2024 price cut
    "dynamodb_read": 0.125 / 1e6,
}


@dataclass(frozen=True)
class Store:
    """A typical store, and what one hourly run of it does."""

    orders_per_day: int = 100
    products: int = 2_000
    variants: int = 5_000
    inventory_levels: int = 10_000

    @property
    def records_per_run(self) -> float:
        """Records an hourly incremental run lands: an order changes about twice a day
        (created, then paid or fulfilled) and is listed by the four order-list streams, with
        its fulfillment, fulfillment order and tender transactions; two line items move
        inventory; 50 product or variant edits and 100 customer changes a day."""
        orders = self.orders_per_day * (2 * 4 + 1 + 1 + 1.2 + 0.1)
        return (orders + self.orders_per_day * 2.5 + 50 + 100) / 24

    @property
    def distinct_rows_per_month(self) -> float:
        """Rows that change at least once in a month (what Fivetran bills: MAR): each order
        with its line items, transactions, fulfillment, fulfillment order; half the inventory
        levels; a tenth of the catalogue; new and returning customers."""
        orders = self.orders_per_day * 30 * (1 + 2.5 + 1.2 + 1 + 1 + 0.1)
        return orders + self.inventory_levels / 2 + (self.products + self.variants) / 10 + 3_000


#: Measured here (2 cores), by the benchmark named.
MEASURED = {
    # bench/bench_ingestion_incremental.py: an incremental run with no changes, 17 streams
    "requests_per_run": 16,
    # bench/bench_tenants.py: curation of a batch, whatever its size up to 200 runs (s)
    "curation_seconds": 20.0,
    # bench/bench_tenants.py: warehouse work per run, DuckDB, reporting rows and checks
    # included (s)
    "warehouse_seconds_per_run": 0.065,
    # the demo's raw lake: gzip JSONL bytes per record (simulator records)
    "raw_bytes_per_record": 70.0,
    # bench/bench_scheduler.py: one tick over 1,000 tenants (s)
    "tick_seconds_per_1000": 0.63,
}

#: Assumptions: not measurable without AWS and a real store.
ASSUMED = {
    "shopify_latency_seconds": 0.4,  # one Admin API round trip from us-east-1
    "fetch_concurrency": 4,  # streams fetched at once
    "lambda_overhead_seconds": 1.0,  # start, secrets, state, manifest
    "glue_startup_seconds": 30.0,  # billed: a job run is billed from its start
    # 3 Data API calls a run (loaded/layout query, the load's batch ending with its reads,
    # the checks' insert: tests/unit/warehouse/test_redshift.py counts them), ~0.25 s each
    # once polling starts at 50 ms
    "data_api_seconds_per_run": 0.75,
    "glue_dpus": 2,  # 2 x G.1X, the job's Terraform default
    "crawler_dpus": 1,  # a daily crawl of the raw prefix
    "redshift_base_rpu": 4,
    "bytes_fetched_per_record": 1500,  # JSON on the wire, through the NAT gateway
    "curated_files_per_job_run": 30 * 4,  # tables x Spark output files
    "state_writes_per_run": 12,  # lease, start, streams, commit (DynamoDB on demand)
    "ticks_per_month": HOURS * 12 + HOURS * 2,  # every 5 minutes, and the safety net
    "batch_size": 100,  # Glue EVENT trigger (Terraform default)
}


def monthly(stores: int, store: Store) -> dict[str, float]:
    """USD a month per service for ``stores`` stores synced hourly."""
    p, m, a = PRICES, MEASURED, ASSUMED
    runs = stores * HOURS
    records = store.records_per_run * runs
    # Ingestion Lambda (1,024 MB): fetch time plus a fixed overhead per run.
    seconds = (
        m["requests_per_run"] * a["shopify_latency_seconds"] / a["fetch_concurrency"]
        + a["lambda_overhead_seconds"]
    )
    ticks = a["ticks_per_month"]
    tick_seconds = max(0.1, m["tick_seconds_per_1000"] * stores / 1000)
    lam = (runs * seconds * 1.0 + ticks * tick_seconds * 0.5) * p["lambda_gb_second"] + (
        runs + ticks
    ) * p["lambda_request"]
    # Glue: every store is due on the same tick, so each hour brings ceil(stores / batch)
    # job runs, each billed for start-up, curation and the Data API calls of its runs.
    job_runs_per_hour = math.ceil(stores / a["batch_size"])
    runs_per_job = stores / job_runs_per_hour
    job_seconds = (
        a["glue_startup_seconds"]
        + m["curation_seconds"]
        + runs_per_job * (a["data_api_seconds_per_run"] + m["warehouse_seconds_per_run"])
    )
    job_hours = max(job_seconds, 60) / 3600
    glue_jobs = job_runs_per_hour * HOURS * job_hours * a["glue_dpus"] * p["glue_dpu_hour"]
    job_runs = job_runs_per_hour * HOURS
    # The crawler catalogs the raw prefix once a day (Terraform's crawler_schedule).
    crawler = 30 * p["glue_crawler_minimum_hours"] * a["crawler_dpus"] * p["glue_dpu_hour"]
    # Redshift Serverless: busy while the job loads (60 s minimum each time).
    busy = max(runs_per_job * a["data_api_seconds_per_run"], 60) / 3600
    redshift = job_runs * busy * a["redshift_base_rpu"] * p["redshift_rpu_hour"]
    # S3: a part per stream with data and the manifest per run; curated files, Spark's and
    # COPY's reads per job run; discovery lists 1 + stores per job run.
    puts = runs * 11 + job_runs * (a["curated_files_per_job_run"] + 30)
    gets = runs * 12 + job_runs * a["curated_files_per_job_run"]
    lists = job_runs * (1 + runs_per_job)
    stored_gb = records * m["raw_bytes_per_record"] * 2 / 1e9  # raw + curated, one month
    s3 = (puts + lists) * p["s3_put_list"] + gets * p["s3_get"] + stored_gb * p["s3_gb_month"]
    cloudtrail = runs * p["cloudtrail_data_event"]  # PutObject on _manifests/ only
    eventbridge = runs * p["eventbridge_event"]
    secrets = stores * p["secret_month"] + runs * p["secret_call"]
    nat_gb = (records * a["bytes_fetched_per_record"] + runs * 20_000) / 1e9
    nat = HOURS * p["nat_hour"] + nat_gb * p["nat_gb"]
    dynamodb = runs * a["state_writes_per_run"] * p["dynamodb_write"] + (
        ticks * stores * 0.5 * p["dynamodb_read"]
    )
    return {
        "Lambda": lam,
        "Glue jobs": glue_jobs,
        "Glue crawler": crawler,
        "Redshift Serverless": redshift,
        "S3": s3,
        "CloudTrail": cloudtrail,
        "EventBridge": eventbridge,
        "Secrets Manager": secrets,
        "NAT gateway": nat,
        "DynamoDB": dynamodb,
    }


def peers(stores: int, store: Store) -> dict[str, float]:
    """The same volume on Fivetran's and Airbyte Cloud's published pricing (USD a month)."""
    mar = store.distinct_rows_per_month
    rows = store.records_per_run * HOURS  # rows synced a month
    return {
        # ~$500 per million MAR (commonly cited; Fivetran publishes the model, not the rate),
        # per connection since March 2025: each store is a connection.
        "Fivetran (~$500 per million MAR)": stores * mar / 1e6 * 500,
        # APIs: $15 per million rows (6 credits at $2.50), plus the $10 plan.
        "Airbyte Cloud ($15 per million rows)": 10 + stores * rows / 1e6 * 15,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--orders-per-day", type=int, default=100)
    args = parser.parse_args()
    store = Store(orders_per_day=args.orders_per_day)
    print(
        f"typical store: {store.orders_per_day} orders/day, {store.products:,} products, "
        f"{store.variants:,} variants, {store.inventory_levels:,} inventory levels; "
        f"{store.records_per_run:,.0f} records per hourly run, "
        f"{store.distinct_rows_per_month:,.0f} distinct rows changed a month"
    )
    costs = {n: monthly(n, store) for n in args.stores}
    width = max(len(k) for k in next(iter(costs.values())))
    print("USD per month".ljust(width) + "".join(f"{n:>12,} stores" for n in args.stores))
    for service in next(iter(costs.values())):
        print(service.ljust(width) + "".join(f"{costs[n][service]:>19,.2f}" for n in args.stores))
    totals = {n: sum(c.values()) for n, c in costs.items()}
    print("total".ljust(width) + "".join(f"{totals[n]:>19,.2f}" for n in args.stores))
    print("per store".ljust(width) + "".join(f"{totals[n] / n:>19,.2f}" for n in args.stores))
    for name in peers(1, store):
        print(name)
        print(
            "  total / per store: "
            + ", ".join(
                f"{n:,}: {peers(n, store)[name]:,.0f} / {peers(n, store)[name] / n:,.2f}"
                for n in args.stores
            )
        )


if __name__ == "__main__":
    main()
