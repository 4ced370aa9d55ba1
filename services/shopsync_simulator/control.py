"""The HTTP control endpoint: ``/_simulator/...`` drives store activity and reads ground truth.

- ``GET  /_simulator/health``                                -> tenants and their shops
- ``GET  /_simulator/tenants/<id>/truth``                    -> live record counts per stream
- ``GET  /_simulator/tenants/<id>/dump/<stream>``            -> live records as JSON Lines
- ``POST /_simulator/tenants/<id>/activity`` ``{"action": ..., ...}`` -> the changed record
- ``POST /_simulator/tenants/<id>/bucket`` ``{"drain": points|null}`` -> throttle status
- ``GET  /_simulator/tenants/<id>/faults``                   -> profile and injected counts
- ``POST /_simulator/tenants/<id>/faults`` ``{"profile": name}`` -> switch the fault profile
- ``GET  /_simulator/tenants/<id>/scopes``                   -> the access scopes granted
- ``POST /_simulator/tenants/<id>/scopes`` ``{"scopes": [handle, ...]}`` -> grant exactly these

Activity actions: ``advance_clock {seconds}``, ``update_variant_price {variant, price,
compare_at_price?}``, ``update_product_title {product, title}``, ``adjust_inventory {item,
location, delta, name?}``, ``create_customer {first_name, last_name, email?}``, ``create_order
{customer?, lines?: [[variant, qty], ...]}``, ``delete_product {product}``, ``random_activity
{steps, seed?}``; on an order: ``refund_order {order, lines?: [[line, qty], ...], restock?,
shipping?, note?}``, ``capture_transaction {order}``, ``void_transaction {order}``,
``fulfill_order {order, lines?, location?}``, ``hold_fulfillment_order {order}``,
``apply_discount {order, code?, percent?}``, ``delete_order {order}``, ``delete_customer
{customer}``. Records are referenced by gid or index. The endpoint listens on loopback only.
"""

from __future__ import annotations

import io
from typing import Any

from shopsync_simulator import faults, truth
from shopsync_simulator.shop import ShopRuntime
from shopsync_simulator.store.activity import UnknownRecordError

ACTIONS = (
    "advance_clock",
    "update_variant_price",
    "update_product_title",
    "adjust_inventory",
    "create_customer",
    "create_order",
    "delete_product",
    "random_activity",
    "refund_order",
    "capture_transaction",
    "void_transaction",
    "fulfill_order",
    "hold_fulfillment_order",
    "apply_discount",
    "delete_order",
    "delete_customer",
)


class ControlError(ValueError):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def apply_activity(shop: ShopRuntime, body: Any) -> Any:
    if not isinstance(body, dict) or body.get("action") not in ACTIONS:
        raise ControlError(400, f"'action' must be one of: {', '.join(ACTIONS)}")
    params = {k: v for k, v in body.items() if k != "action"}
    if "lines" in params and params["lines"] is not None:
        params["lines"] = [(v, int(q)) for v, q in params["lines"]]
    method = getattr(shop.store.activity, body["action"])
    try:
        result = method(**params)
    except TypeError as exc:
        raise ControlError(400, f"{body['action']}: {exc}") from exc
    except (UnknownRecordError, ValueError) as exc:
        raise ControlError(404 if isinstance(exc, UnknownRecordError) else 400, str(exc)) from exc
    return truth.public(result) if isinstance(result, dict) and "_i" in result else result


def _faults(shop: ShopRuntime, change: Any) -> Any:
    """The shop's fault profile and counts, after switching to ``change["profile"]``."""
    if change is not None:
        name = change.get("profile") if isinstance(change, dict) else None
        try:
            shop.faults.switch(faults.profile(str(name)))
        except faults.UnknownFaultProfileError as exc:
            raise ControlError(400, str(exc)) from exc
    return shop.faults.report()


def _scopes(shop: ShopRuntime, change: Any) -> Any:
    """The scopes the shop grants, after granting exactly ``change["scopes"]``."""
    if change is not None:
        handles = change.get("scopes") if isinstance(change, dict) else None
        if not isinstance(handles, list) or not all(isinstance(h, str) for h in handles):
            raise ControlError(400, "'scopes' must be a list of access scope handles")
        shop.grant(frozenset(handles))
    return {"scopes": sorted(shop.scopes)}


def handle(
    shops: dict[str, ShopRuntime], method: str, parts: list[str], body: Any
) -> tuple[int, Any, str]:
    """``parts`` is the path after ``/_simulator``; returns (status, payload, content type)."""
    json_type = "application/json"
    if parts == ["health"]:
        info = {
            tid: {"shop": s.spec.shop, "plan": s.spec.plan, "faults": s.faults.report()}
            for tid, s in shops.items()
        }
        return 200, {"ok": True, "tenants": info}, json_type
    if len(parts) < 3 or parts[0] != "tenants":
        raise ControlError(404, "unknown control path")
    shop = shops.get(parts[1])
    if shop is None:
        raise ControlError(404, f"unknown tenant {parts[1]!r}")
    what = parts[2:]
    if what == ["truth"] and method == "GET":
        return 200, {"tenant_id": parts[1], "counts": truth.counts(shop.store)}, json_type
    if len(what) == 2 and what[0] == "dump" and method == "GET":
        out = io.StringIO()
        try:
            truth.write_jsonl(shop.store, what[1], out)
        except KeyError as exc:
            raise ControlError(404, str(exc)) from exc
        return 200, out.getvalue(), "application/x-ndjson"
    if what == ["activity"] and method == "POST":
        return 200, {"result": apply_activity(shop, body)}, json_type
    if what in (["faults"], ["scopes"]):
        setting = _faults if what == ["faults"] else _scopes
        return 200, setting(shop, body if method == "POST" else None), json_type
    if what == ["bucket"] and method == "POST":
        points = body.get("drain") if isinstance(body, dict) else None
        shop.bucket.drain(None if points is None else float(points))
        return 200, {"throttleStatus": shop.bucket.status()}, json_type
    raise ControlError(404, "unknown control path")
