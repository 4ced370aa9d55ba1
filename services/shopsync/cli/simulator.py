"""``shopsync simulator serve|truth``: the local Shopify Admin API simulator."""

from __future__ import annotations

import json
import os
import signal
import threading
from pathlib import Path
from typing import Annotated, Any

import requests
import typer

from shopsync.cli.common import TenantsDirOption, bad_input, console, make_settings
from shopsync_simulator import truth as truth_mod
from shopsync_simulator.bulk.timing import REALISTIC, BulkTiming
from shopsync_simulator.control import ACTIONS
from shopsync_simulator.faults import PROFILES, FaultProfile, profile
from shopsync_simulator.server import Simulator, SimulatorOptions
from shopsync_simulator.shops import specs_from_tenants_dir
from shopsync_simulator.store.config import StoreSize
from shopsync_simulator.store.store import STREAM_KINDS, Store

app = typer.Typer(help="The local Shopify Admin API simulator.", no_args_is_help=True)
STATE_FILE = "simulator.json"

ProductsOption = Annotated[int, typer.Option("--products", help="Products per shop.", min=0)]
VariantsOption = Annotated[int, typer.Option("--variants", help="Variants per product.", min=1)]
LocationsOption = Annotated[int, typer.Option("--locations", help="Locations per shop.", min=1)]
CustomersOption = Annotated[int, typer.Option("--customers", help="Customers per shop.", min=0)]
OrdersOption = Annotated[int, typer.Option("--orders", help="Orders per shop.", min=0)]


def _size(products: int, variants: int, locations: int, customers: int, orders: int) -> StoreSize:
    try:
        return StoreSize(products, variants, locations, customers, orders)
    except ValueError as exc:
        bad_input(str(exc))


@app.command()
def serve(
    port: Annotated[int, typer.Option("--port", help="Port on 127.0.0.1 (0: a free one).")] = 8765,
    tenants_dir: TenantsDirOption = None,
    speed: Annotated[float, typer.Option("--speed", help="Time scale for restore rates.")] = 1.0,
    faults: Annotated[
        str | None,
        typer.Option(
            "--faults",
            help=f"Fault profile for every shop, or TENANT=PROFILE,... ({', '.join(PROFILES)}).",
        ),
    ] = None,
    scopes: Annotated[
        list[str] | None,
        typer.Option(
            "--scopes",
            help="TENANT=SCOPE,SCOPE...: the access scopes that shop grants (repeatable; "
            "default every scope the streams need).",
        ),
    ] = None,
    no_rate_limits: Annotated[bool, typer.Option("--no-rate-limits")] = False,
    throttle_429: Annotated[
        bool, typer.Option("--throttle-429", help="THROTTLED as HTTP 429 + Retry-After.")
    ] = False,
    bulk_rate: Annotated[
        float,
        typer.Option(
            "--bulk-rate",
            help="Objects a second one bulk operation produces (0: as fast as it can; the "
            "default follows Shopify's published figures, see the simulator's README).",
        ),
    ] = REALISTIC.objects_per_second,
    bulk_startup: Annotated[
        float,
        typer.Option("--bulk-startup", help="Seconds a bulk operation stays CREATED."),
    ] = REALISTIC.startup_seconds,
    products: ProductsOption = 40,
    variants: VariantsOption = 3,
    locations: LocationsOption = 3,
    customers: CustomersOption = 50,
    orders: OrdersOption = 80,
) -> None:
    """Serve every enabled tenant's shop until interrupted."""
    settings = make_settings(tenants_dir)
    if speed <= 0:
        bad_input("--speed must be positive")
    try:
        fault_profiles = _fault_profiles(faults)
    except ValueError as exc:
        bad_input(f"--faults: {exc}")
    try:
        granted = _granted_scopes(scopes or [])
    except ValueError as exc:
        bad_input(f"--scopes: {exc}")
    size = _size(products, variants, locations, customers, orders)
    try:
        specs = specs_from_tenants_dir(settings.tenants_dir, size)
    except (OSError, ValueError, KeyError) as exc:
        bad_input(f"{settings.tenants_dir}: {exc}")
    if not specs:
        bad_input(f"no enabled tenants in {settings.tenants_dir}")
    options = SimulatorOptions(
        speed=speed,
        rate_limits=not no_rate_limits,
        throttle_status_code=429 if throttle_429 else 200,
        faults=fault_profiles,
        scopes=granted,
        bulk_timing=BulkTiming(
            startup_seconds=max(bulk_startup, 0.0),
            objects_per_second=max(bulk_rate, 0.0),
            shop_objects_per_second=max(bulk_rate, 0.0) * 3,
        ),
    )
    sim = Simulator(specs, settings.secrets_path, options)
    try:
        sim.start(port=port)
    except OSError as exc:
        bad_input(f"--port {port}: {exc}")
    state = settings.home / STATE_FILE
    state.parent.mkdir(parents=True, exist_ok=True)
    state.write_text(json.dumps({"url": sim.url, "pid": os.getpid()}))
    console.print(f"Shopify simulator on {sim.url} (tokens in {settings.secrets_path})")
    for spec in specs:
        console.print(f"  {spec.tenant_id}: {sim.shop_url(spec.tenant_id)} [{spec.plan}]")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()
        state.unlink(missing_ok=True)
        for tenant_id, shop in sim.by_tenant.items():
            report = shop.faults.report()
            if report["injected"]:
                console.print(
                    f"  {tenant_id}: faults injected ({report['profile']}): {report['injected']}"
                )


def _fault_profiles(spec: str | None) -> dict[str, FaultProfile]:
    if not spec:
        return {}
    if "=" not in spec:
        return {"*": profile(spec)}
    chosen: dict[str, FaultProfile] = {}
    for item in spec.split(","):
        tenant, _, name = item.partition("=")
        chosen[tenant.strip()] = profile(name.strip())
    return chosen


def _granted_scopes(items: list[str]) -> dict[str, frozenset[str]]:
    granted: dict[str, frozenset[str]] = {}
    for item in items:
        tenant, sep, handles = item.partition("=")
        if not sep or not tenant.strip():
            raise ValueError(f"{item!r} is not TENANT=SCOPE,SCOPE...")
        granted[tenant.strip()] = frozenset(h.strip() for h in handles.split(",") if h.strip())
    return granted


def _running_url(home: Path) -> str | None:
    state = home / STATE_FILE
    if not state.exists():
        return None
    try:
        url = str(json.loads(state.read_text())["url"])
        requests.get(f"{url}/_simulator/health", timeout=2).raise_for_status()
    except (ValueError, KeyError, requests.RequestException):
        return None
    return url


@app.command()
def activity(
    tenant: Annotated[str, typer.Option("--tenant", help="Tenant id.")],
    action: Annotated[str, typer.Argument(help=f"One of: {', '.join(ACTIONS)}.")],
    params: Annotated[
        list[str] | None, typer.Argument(help="KEY=VALUE parameters (values parsed as JSON).")
    ] = None,
    url: Annotated[
        str | None, typer.Option("--url", envvar="SHOPSYNC_SIMULATOR_URL", help="Simulator URL.")
    ] = None,
    tenants_dir: TenantsDirOption = None,
) -> None:
    """Change a running simulator's store: ``activity --tenant acme random_activity steps=50``."""
    settings = make_settings(tenants_dir)
    url = url or _running_url(settings.home)
    if url is None:
        bad_input("no running simulator (start `shopsync simulator serve` or pass --url)")
    body: dict[str, Any] = {"action": action}
    for item in params or []:
        key, sep, raw = item.partition("=")
        if not sep:
            bad_input(f"expected KEY=VALUE, got {item!r}")
        try:
            body[key] = json.loads(raw)
        except ValueError:
            body[key] = raw
    resp = requests.post(f"{url}/_simulator/tenants/{tenant}/activity", json=body, timeout=60)
    if resp.status_code >= 400:
        bad_input(str(resp.json().get("errors", resp.text)))
    console.print_json(json.dumps(resp.json()["result"]))


@app.command()
def truth(
    tenant: Annotated[str, typer.Option("--tenant", help="Tenant id.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    dump: Annotated[Path | None, typer.Option("--dump", help="Write <stream>.jsonl here.")] = None,
    url: Annotated[
        str | None, typer.Option("--url", envvar="SHOPSYNC_SIMULATOR_URL", help="Simulator URL.")
    ] = None,
    tenants_dir: TenantsDirOption = None,
    products: ProductsOption = 40,
    variants: VariantsOption = 3,
    locations: LocationsOption = 3,
    customers: CustomersOption = 50,
    orders: OrdersOption = 80,
) -> None:
    """Live records per stream of a tenant's store: from the running simulator when there is
    one, else from the freshly generated store (same seed, same records)."""
    settings = make_settings(tenants_dir)
    url = url or _running_url(settings.home)
    counts: dict[str, Any]
    if url is not None:
        base = f"{url}/_simulator/tenants/{tenant}"
        resp = requests.get(f"{base}/truth", timeout=30)
        if resp.status_code == 404:
            bad_input(f"unknown tenant {tenant!r}")
        resp.raise_for_status()
        counts = resp.json()["counts"]
        if dump is not None:
            dump.mkdir(parents=True, exist_ok=True)
            for stream in STREAM_KINDS:
                with requests.get(f"{base}/dump/{stream}", timeout=300, stream=True) as r:
                    r.raise_for_status()
                    (dump / f"{stream}.jsonl").write_bytes(r.content)
    else:
        size = _size(products, variants, locations, customers, orders)
        specs = {s.tenant_id: s for s in specs_from_tenants_dir(settings.tenants_dir, size)}
        if tenant not in specs:
            bad_input(f"unknown tenant {tenant!r}")
        store = Store(specs[tenant])
        counts = truth_mod.counts(store)
        if dump is not None:
            truth_mod.dump(store, dump)
    if as_json:
        console.print_json(
            json.dumps({"tenant_id": tenant, "source": url or "generated", "counts": counts})
        )
        return
    console.print(f"[bold]{tenant}[/bold] ({url or 'generated store'})")
    for stream, n in counts.items():
        console.print(f"  {stream:<18} {n:>10}")
    if dump is not None:
        console.print(f"  records written to {dump}")
