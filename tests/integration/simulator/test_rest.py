"""The legacy REST Admin API subset: shapes, filters, Link pagination, its own bucket."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
import requests

from shopsync_simulator import Simulator, SimulatorOptions
from tests.integration.simulator.client import Client


def get(sim: Simulator, tenant: str, path: str, **params: Any) -> requests.Response:
    url = (
        f"{sim.shop_url(tenant)}/admin/api/2026-10/{path}"
        if "oauth" not in path
        else f"{sim.shop_url(tenant)}/{path}"
    )
    return requests.get(
        url, params=params, headers={"X-Shopify-Access-Token": sim.token(tenant)}, timeout=10
    )


def follow(sim: Simulator, tenant: str, path: str, **params: Any) -> list[dict[str, Any]]:
    resp = get(sim, tenant, path, **params)
    key = path.removesuffix(".json")
    out: list[dict[str, Any]] = []
    while True:
        assert resp.status_code == 200, resp.text
        out += resp.json()[key]
        match = re.search(r'<([^>]+)>; rel="next"', resp.headers.get("Link", ""))
        if not match:
            return out
        resp = requests.get(
            match.group(1), headers={"X-Shopify-Access-Token": sim.token(tenant)}, timeout=10
        )


def test_shop_and_access_scopes(simulator: Simulator) -> None:
    shop = get(simulator, "acme", "shop.json")
    assert shop.status_code == 200
    assert shop.json()["shop"]["myshopify_domain"] == "acme.myshopify.com"
    assert re.fullmatch(r"\d+/40", shop.headers["X-Shopify-Shop-Api-Call-Limit"])
    scopes = get(simulator, "acme", "admin/oauth/access_scopes.json").json()["access_scopes"]
    assert {"handle": "read_products"} in scopes


def test_product_shape(simulator: Simulator) -> None:
    [product] = get(simulator, "acme", "products.json", limit=1).json()["products"]
    assert isinstance(product["id"], int)
    assert product["admin_graphql_api_id"] == f"gid://shopify/Product/{product['id']}"
    assert product["status"] in ("active", "draft", "archived")
    assert product["updated_at"].endswith("+00:00")
    assert [v["product_id"] for v in product["variants"]] == [product["id"]] * 2
    assert "inventory_item_id" in product["variants"][0]


@pytest.mark.parametrize(("path", "total"), [("products.json", 30), ("customers.json", 20),
                                             ("locations.json", 2)])  # fmt: skip
def test_link_pagination_covers_everything_once(
    simulator: Simulator, path: str, total: int
) -> None:
    records = follow(simulator, "acme", path, limit=7)
    ids = [r["id"] for r in records]
    assert len(ids) == total
    assert ids == sorted(set(ids))


def test_previous_link(simulator: Simulator) -> None:
    first = get(simulator, "acme", "products.json", limit=5)
    next_url = re.search(r'<([^>]+)>; rel="next"', first.headers["Link"]).group(1)  # type: ignore[union-attr]
    second = requests.get(
        next_url, headers={"X-Shopify-Access-Token": simulator.token("acme")}, timeout=10
    )
    prev_url = re.search(r'<([^>]+)>; rel="previous"', second.headers["Link"]).group(1)  # type: ignore[union-attr]
    back = requests.get(
        prev_url, headers={"X-Shopify-Access-Token": simulator.token("acme")}, timeout=10
    )
    assert [p["id"] for p in back.json()["products"]] == [p["id"] for p in first.json()["products"]]


def test_orders_status_any_and_filters(acme: Client, simulator: Simulator) -> None:
    all_orders = follow(simulator, "acme", "orders.json", status="any", limit=250)
    assert len(all_orders) == 25
    open_orders = follow(simulator, "acme", "orders.json", limit=250)
    assert 0 < len(open_orders) < 25
    assert all(o["line_items"] and o["total_price_set"]["shop_money"]["amount"] for o in all_orders)
    acme.control("advance_clock", seconds=60)
    new = acme.control("create_order")
    since = max(o["updated_at"] for o in all_orders)
    changed = follow(
        simulator, "acme", "orders.json", status="any", updated_at_min=since.replace("+00:00", "Z")
    )
    assert [o["admin_graphql_api_id"] for o in changed][-1] == new["id"]
    after = follow(simulator, "acme", "orders.json", status="any", since_id=all_orders[20]["id"])
    assert [o["id"] for o in after][:4] == [o["id"] for o in all_orders[21:]]
    fields = get(simulator, "acme", "orders.json", status="any", fields="id,name", limit=2).json()
    assert all(set(o) == {"id", "name"} for o in fields["orders"])


def test_deleted_products_through_events(acme: Client, simulator: Simulator) -> None:
    acme.control("delete_product", product=4)
    events = follow(simulator, "acme", "events.json", filter="Product", verb="destroy")
    assert [(e["subject_type"], e["verb"], e["subject_id"]) for e in events] == [
        ("Product", "destroy", 8000000005)
    ]


def test_one_record_and_count(acme: Client, simulator: Simulator) -> None:
    listed = get(simulator, "acme", "products.json", limit=3).json()["products"]
    one = get(simulator, "acme", f"products/{listed[2]['id']}.json")
    assert one.status_code == 200
    assert one.json() == {"product": listed[2]}
    assert "X-Shopify-Shop-Api-Call-Limit" in one.headers
    only = get(simulator, "acme", "orders/5000000003.json", fields="id,name").json()
    assert only == {"order": {"id": 5000000003, "name": "#1003"}}
    assert get(simulator, "acme", "products/count.json").json() == {"count": 30}
    open_orders = follow(simulator, "acme", "orders.json", limit=250)
    assert get(simulator, "acme", "orders/count.json").json() == {"count": len(open_orders)}
    assert get(simulator, "acme", "orders/count.json", status="any").json() == {"count": 25}
    acme.control("delete_product", product=0)
    assert get(simulator, "acme", "products/count.json").json() == {"count": 29}
    for missing in ("products/8000000001.json", "products/1.json", "products/abc.json",
                    "customers/search.json", "customers/7000000001/orders.json"):  # fmt: skip
        resp = get(simulator, "acme", missing)
        assert (resp.status_code, resp.json()) == (404, {"errors": "Not Found"}), missing


@pytest.mark.parametrize(
    ("params", "status"),
    [({"limit": 251}, 400), ({"limit": 0}, 400), ({"page_info": "abc", "since_id": 1}, 400),
     ({"page_info": "!!!"}, 400)],
)  # fmt: skip
def test_bad_parameters(simulator: Simulator, params: dict[str, Any], status: int) -> None:
    assert get(simulator, "acme", "products.json", **params).status_code == status


def test_auth_and_scopes(start_simulator: Callable[..., AbstractContextManager[Simulator]]) -> None:
    with start_simulator(
        options=SimulatorOptions(scopes={"acme": frozenset({"read_products"})})
    ) as sim:
        assert get(sim, "acme", "customers.json").status_code == 403
        assert get(sim, "acme", "products.json").status_code == 200
        wrong = {"X-Shopify-Access-Token": sim.token("acme_corp")}
        url = f"{sim.shop_url('acme')}/admin/api/2026-10/products.json"
        bad = requests.get(url, headers=wrong, timeout=10)
        assert bad.status_code == 401


def test_rest_bucket_429(start_simulator: Callable[..., AbstractContextManager[Simulator]]) -> None:
    with start_simulator(options=SimulatorOptions(speed=0.0001)) as sim:
        statuses = [get(sim, "acme", "shop.json") for _ in range(41)]
        assert [r.status_code for r in statuses[:40]] == [200] * 40
        assert statuses[39].headers["X-Shopify-Shop-Api-Call-Limit"] == "40/40"
        assert statuses[40].status_code == 429
        assert float(statuses[40].headers["Retry-After"]) > 0
        plus = get(sim, "acme_corp", "shop.json")
        assert plus.headers["X-Shopify-Shop-Api-Call-Limit"] == "1/400"
