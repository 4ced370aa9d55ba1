"""``shopsync demo``: the whole pipeline on this machine, on the example tenants.

1. validate the tenant files;
2. start the embedded Shopify simulator for them;
3. one scheduler tick: every tenant is due (never synced), ingestion runs in-process;
4. store activity in the simulator (prices, titles, inventory, orders, customers, deleted
   products, orders and customers);
5. an incremental run per tenant that lands exactly those changes;
6. every manifest write is an event on the local bus (the deployed pattern file, Glue's EVENT
   batching), which runs the load job (Spark, local mode) into DuckDB; the warehouse's rows per
   tenant and table are checked against the simulator's ground truth;
7. the dashboard (``shopsync dashboard``) serves the warehouse on 127.0.0.1 with its logins
   printed, until Ctrl-C (not with ``--no-dashboard``).

It exits non-zero, naming the steps that failed, if any did.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from typing import Annotated, Any

import typer
from rich.table import Table

from shopsync import runtime
from shopsync.cli.common import (
    EXIT_FAILED,
    TenantsDirOption,
    bad_input,
    console,
    make_settings,
)
from shopsync.cli.dashboard import serve_dashboard
from shopsync.extract.result import RunResult
from shopsync.extract.service import run_payload
from shopsync.extract.streams import SPECS
from shopsync.runid import new_run_id
from shopsync.schedule.invoker import LocalInvoker, LocalRun
from shopsync.schedule.payload import IngestionPayload
from shopsync.schedule.tick import dispatch, run_tick
from shopsync.settings import Settings
from shopsync.streams import STREAMS_BY_GROUP
from shopsync.streams.declarations import DELETIONS
from shopsync.tenants import Registry, Tenant, TenantConfigError, load_registry
from shopsync_glue.local_chain import local_event_chain
from shopsync_simulator import (
    Clock,
    ShopSpec,
    Simulator,
    SimulatorOptions,
    StoreSize,
    running_simulator,
)
from shopsync_simulator.bulk.timing import REALISTIC
from shopsync_simulator.truth import records

#: The simulated stores' clock stands this far behind wall time, so every change the demo makes
#: is older than the search-index lag ingestion allows for (SHOPSYNC_INGEST_LAG_SECONDS, 60 s)
#: and the incremental run can find it at once, as it would a minute later against Shopify.
CLOCK_BEHIND_SECONDS = 600
#: The simulator's time scale: rate limits restore 10x faster, so the demo takes seconds while
#: every request is still paced against the store's (scaled) leaky bucket.
SPEED = 10.0
DEMO_SIZE = StoreSize(products=60, variants_per_product=3, locations=3, customers=80, orders=120)
#: Shop currencies other than USD, so the dashboard shows each store's own.
DEMO_CURRENCIES = {"coral_cosmetics": "EUR"}


def _demo_shops(registry: Registry) -> list[ShopSpec]:
    """The simulated shop of every enabled tenant, at its plan, in its demo currency."""
    return [
        ShopSpec(t.id, t.shop, t.plan.value, DEMO_SIZE, currency=DEMO_CURRENCIES.get(t.id, "USD"))
        for t in registry.enabled()
    ]


def demo(
    activity: Annotated[
        int, typer.Option("--activity", help="Store changes to make before the second run.")
    ] = 40,
    tenants_dir: TenantsDirOption = None,
    no_dashboard: Annotated[
        bool, typer.Option("--no-dashboard", help="Stop after the checks; do not serve.")
    ] = False,
    port: Annotated[
        int, typer.Option("--port", help="The dashboard's port on 127.0.0.1.", min=0, max=65535)
    ] = 8050,
) -> None:
    """Run the pipeline locally on the example tenants against the embedded simulator, then
    serve the dashboard."""
    settings = make_settings(tenants_dir, "local")
    try:
        registry = load_registry(settings.tenants_dir)
    except TenantConfigError as exc:
        bad_input("invalid tenant files:\n  " + "\n  ".join(exc.errors))
    console.rule("1. tenants")
    console.print(f"{len(registry)} tenant files valid in {settings.tenants_dir}/")

    console.rule("2. Shopify simulator")
    with (
        local_event_chain(settings, registry) as (raw_store, _bus),
        running_simulator(
            _demo_shops(registry),
            secrets_path=settings.secrets_path,
            clock=Clock(start=time.time() - CLOCK_BEHIND_SECONDS),
            # Bulk operations as fast as Shopify's (README, "The Shopify simulator"), at SPEED.
            options=SimulatorOptions(speed=SPEED, bulk_timing=REALISTIC),
        ) as sim,
    ):
        console.print(
            f"serving {len(registry)} shops on {sim.url} at {SPEED:g}x speed, tokens in "
            f"{settings.secrets_path}"
        )
        built = runtime.for_settings(settings).services()
        endpoint = {"shopify_base_url": f"{sim.url}/shops/{{shop}}"}
        services = replace(built, store=raw_store, config=built.config.model_copy(update=endpoint))

        def ingest(payload: IngestionPayload) -> RunResult:
            return run_payload(payload, settings=settings, services=services)

        with LocalInvoker(ingest, settings.local_workers) as invoker:
            console.rule("3. scheduler tick: first sync of every due tenant")
            summary = run_tick(registry.tenants, built.state, invoker, datetime.now(UTC))
            console.print(f"{len(summary.invoked)} invoked, {len(summary.skipped)} skipped")
            live = {t.id: _live_counts(sim, t) for t in registry.enabled()}
            first = _report(
                invoker.wait(), "first sync: records landed / live since start_date", live
            )
            invoker.runs.clear()

            console.rule("4. store activity")
            for tenant in registry.enabled():
                changes = sim.store(tenant.id).activity.random_activity(
                    activity, seed=7, deletions=True
                )
                console.print(f"{tenant.id}: " + ", ".join(f"{k} {v}" for k, v in changes.items()))

            console.rule("5. incremental run per tenant")
            _incremental(registry, settings, invoker)
            second = _report(invoker.wait(), "incremental: changed records landed", None)
        live = {t.id: _live_counts(sim, t) for t in registry.enabled()}
        console.rule("6. the event chain loads the warehouse")
        console.print("waiting for the batched loads (Spark, local mode) to finish ...")
    # Leaving local_event_chain has run every batched load.
    warehouse_ok = _warehouse_table(settings, registry, live)
    steps = {
        "3. first sync": first,
        "5. incremental run": second,
        "6. the warehouse against the store": warehouse_ok,
    }
    failed_steps = [name for name, ok in steps.items() if not ok]
    if failed_steps:
        console.print("[red]demo failed at:[/red] " + "; ".join(failed_steps))
        raise typer.Exit(EXIT_FAILED)
    if not no_dashboard:
        console.rule("7. the dashboard")
        serve_dashboard(
            settings,
            registry,
            port,
            hint=" : log in as a group's user to see its store, as admin to see every store "
            "and the operations page",
            failed="[red]demo failed at:[/red] 7. the dashboard:",
        )


def _incremental(registry: Registry, settings: Settings, invoker: LocalInvoker) -> None:
    state = runtime.for_settings(settings).state
    now = datetime.now(UTC)
    for tenant in registry.enabled():
        payload = IngestionPayload(
            tenant_id=tenant.id, run_id=new_run_id(now), mode="incremental", streams=tenant.streams
        )
        dispatch(tenant.id, payload, state, invoker, now)


#: The money tables whose rows are the orders' own (each row names its ``orderId``).
ORDER_ROWS = (
    "transactions",
    "refunds",
    "shipping_lines",
    "discount_applications",
    "tax_lines",
    "discount_allocations",
    "order_discount_codes",
)


def _live_counts(sim: Simulator, tenant: Tenant) -> dict[str, int]:
    """Live records per stream the tenant syncs, inside its window: updated since start_date.

    Streams ingestion always fetches whole count every record; inventory levels go by their own
    ``updatedAt`` (fetched per location), tender transactions by their ``processedAt``; order
    line items arrive with their order, so they follow its window; a deletions stream counts
    the destroy events of its subject.
    """
    floor = f"{tenant.start_date.isoformat()}T00:00:00Z"
    store = sim.store(tenant.id)

    def in_window(record: dict[str, Any], cursor: str = "updatedAt") -> bool:
        return str(record.get(cursor) or floor) >= floor

    synced = {s for group in tenant.streams for s in STREAMS_BY_GROUP[group]}
    live: dict[str, int] = {}
    # Levels too go by their own updatedAt: a quantity change stamps the level, not its item.
    for stream in synced - set(DELETIONS):
        spec = SPECS[stream]
        live[stream] = sum(
            1 for r in records(store, stream) if spec.always_full or in_window(r, spec.cursor_field)
        )
    destroyed = [e["subjectType"] for e in records(store, "events") if e["action"] == "destroy"]
    for stream in synced & set(DELETIONS):  # the destroy events of the stream's subject
        live[stream] = destroyed.count(DELETIONS[stream].subject)
    if "orders" in synced:
        orders = {str(o["id"]): o for o in records(store, "orders") if in_window(o)}
        live["order_line_items"] = sum(len(o.get("lineItems", [])) for o in orders.values())
        # The money tables: the rows of the orders in the window.
        for table in ORDER_ROWS:
            live[table] = sum(1 for r in records(store, table) if str(r["orderId"]) in orders)
        refunds = {str(r["id"]) for r in records(store, "refunds") if str(r["orderId"]) in orders}
        for table in ("refund_line_items", "order_adjustments", "refund_shipping_lines"):
            live[table] = sum(1 for r in records(store, table) if str(r["refundId"]) in refunds)
        live["refund_details"] = len(refunds)  # the refunds of the orders the run landed
        fulfillments = {
            str(f["id"]) for f in records(store, "fulfillments") if str(f["orderId"]) in orders
        }
        live["fulfillments"] = live["fulfillment_details"] = len(fulfillments)
        live["fulfillment_line_items"] = sum(
            1
            for r in records(store, "fulfillment_line_items")
            if str(r["fulfillmentId"]) in fulfillments
        )
        # An order that filled a capped list (10 transactions) lands twice: then whole.
        for stream in synced:
            whole = SPECS[stream].whole
            if whole is not None:
                entries = Counter(str(r["orderId"]) for r in records(store, whole.field))
                live[stream] += sum(1 for o in orders if entries[o] >= whole.first)
        # Fulfillment orders go by their own updatedAt (a hold does not touch the order).
        placed = {str(r["id"]) for r in records(store, "fulfillment_orders") if in_window(r)}
        live["fulfillment_order_line_items"] = sum(
            1
            for r in records(store, "fulfillment_order_line_items")
            if str(r["fulfillmentOrderId"]) in placed
        )
    return live


def _report(runs: list[LocalRun], title: str, live: dict[str, dict[str, int]] | None) -> bool:
    """One row per stream, one column per tenant: records landed (/ live in the store)."""
    results: dict[str, RunResult | BaseException] = {}
    for run in runs:
        error = run.future.exception()
        results[run.payload.tenant_id] = error if error is not None else run.future.result()
    tenants = sorted(results)
    streams = sorted({s for r in results.values() if isinstance(r, RunResult) for s in r.streams})
    grid = Table(title=title)
    grid.add_column("stream")
    for tenant_id in tenants:
        grid.add_column(tenant_id, justify="right")
    status = [
        "[green]" + r.status + "[/green]" if isinstance(r, RunResult) else f"[red]{r}[/red]"
        for r in (results[t] for t in tenants)
    ]
    grid.add_row("run", *status)
    mismatches: list[str] = []
    for stream in streams:
        cells = []
        for tenant_id in tenants:
            result = results[tenant_id]
            landed = result.streams.get(stream) if isinstance(result, RunResult) else None
            cell = "" if landed is None else str(landed.records)
            if landed is not None and live is not None:
                expected = live[tenant_id].get(stream, 0)
                cell += f" / {expected}"
                if landed.records != expected:
                    mismatches.append(f"{tenant_id} {stream}: {landed.records} != {expected}")
            cells.append(cell)
        grid.add_row(stream, *cells)
    console.print(grid)
    if live is not None:
        if mismatches:
            console.print("[red]landed differs from the live store:[/red] " + "; ".join(mismatches))
        else:
            console.print("every stream landed exactly the store's live records")
    return not mismatches and all(isinstance(r, RunResult) and r.ok for r in results.values())


def _warehouse_table(
    settings: Settings, registry: Registry, live: dict[str, dict[str, int]]
) -> bool:
    """Rows per tenant and table in the warehouse against the live records in the store."""
    statuses = runtime.for_settings(settings).warehouse_status([t.id for t in registry.enabled()])
    tables = sorted({t.table for s in statuses for t in s.tables})
    grid = Table(title="rows in shop_<tenant_id> / live in the store")
    grid.add_column("table")
    for status in statuses:
        grid.add_column(status.tenant_id, justify="right")
    grid.add_row("runs loaded", *(str(s.runs_loaded) for s in statuses))
    rows = {s.tenant_id: {t.table: t.rows for t in s.tables} for s in statuses}
    mismatches = [
        f"{s.tenant_id}: check {c.check} failed" for s in statuses for c in s.failed_checks
    ]
    for table in tables:
        cells = []
        for status in statuses:
            expected = live[status.tenant_id].get(table, 0)
            got = rows[status.tenant_id].get(table)
            cells.append("" if got is None else f"{got} / {expected}")
            if got is not None and got != expected:
                mismatches.append(f"{status.tenant_id}.{table}: {got} != {expected}")
        grid.add_row(table, *cells)
    console.print(grid)
    if mismatches:
        console.print("[red]the warehouse differs from the store:[/red] " + "; ".join(mismatches))
        return False
    console.print("every table holds exactly the store's live records; all checks passed")
    console.print("`shopsync status` shows the same per tenant, with cursors and freshness.")
    return True
