"""Shopify's own Python library (PyPI ``ShopifyAPI``), unchanged, against the simulator.

The library only knows ``https://<shop>.myshopify.com``. Nothing in it is patched: its own
``shopify.Session.protocol`` / ``shopify.Session.port`` settings point it at ``http`` and the
simulator's port, and name resolution of ``*.myshopify.com`` goes to 127.0.0.1 for the test, so
every request carries ``Host: acme.myshopify.com:<port>`` as it would in production (with the
port) and the simulator picks the shop by that header. Loopback only.
"""

from __future__ import annotations

import json
import socket
import urllib.error
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
import shopify  # ShopifyAPI, in the test extra
from pyactiveresource.connection import (  # ShopifyAPI's HTTP layer
    ClientError,
    ResourceNotFound,
    UnauthorizedAccess,
)

from shopsync_simulator import Simulator, SimulatorOptions, StoreSize, running_simulator
from shopsync_simulator.truth import records

VERSION = "2026-10"
SHOP = "acme.myshopify.com"
TENANTS = [("acme", SHOP, "standard")]
SIZE = StoreSize(products=120, variants_per_product=2, locations=2, customers=60, orders=30)
PROXY_ENV = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")
PRODUCTS_PAGE = """
query Products($first: Int!, $after: String) {
  products(first: $first, after: $after, sortKey: ID) {
    nodes { id legacyResourceId title handle }
    pageInfo { hasNextPage endCursor }
  }
}
"""


@pytest.fixture(autouse=True)
def _myshopify_on_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """``*.myshopify.com`` resolves to 127.0.0.1, no proxy: no request can leave the machine."""
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if isinstance(name, str) and name.lower().rstrip(".").endswith(".myshopify.com"):
            host = "127.0.0.1"
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    for name in PROXY_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "*")
    monkeypatch.setenv("NO_PROXY", "*")


@pytest.fixture
def start(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Callable[..., AbstractContextManager[Simulator]]:
    """``with start(options=...) as sim:``; the library's ``Session`` points at ``sim``."""

    @contextmanager
    def run(options: SimulatorOptions | None = None) -> Iterator[Simulator]:
        with running_simulator(
            TENANTS,
            size=SIZE,
            options=options or SimulatorOptions(speed=50),
            secrets_path=tmp_path / "secrets.json",
        ) as sim:
            # the library's own settings (class attributes; monkeypatch restores them)
            monkeypatch.setattr(shopify.Session, "protocol", "http")
            monkeypatch.setattr(shopify.Session, "port", sim.port)
            yield sim

    return run


@contextmanager
def session(token: str) -> Iterator[Any]:
    """``shopify.ShopifyResource.activate_session`` for the block, cleared after it."""
    active = shopify.Session(SHOP, VERSION, token)
    shopify.ShopifyResource.activate_session(active)
    try:
        yield active
    finally:
        shopify.ShopifyResource.clear_session()


def numeric(gid: str) -> int:
    return int(gid.rsplit("/", 1)[1])


def truth_of(sim: Simulator, stream: str) -> list[dict[str, Any]]:
    return list(records(sim.store("acme"), stream))


def test_session_points_at_the_simulator(
    start: Callable[..., AbstractContextManager[Simulator]],
) -> None:
    with start() as sim, session(sim.token("acme")) as active:
        assert active.site == f"http://{SHOP}:{sim.port}/admin/api/{VERSION}"
        shop = shopify.Shop.current()
        assert shop.myshopify_domain == SHOP
        assert shop.plan_name == "standard"
        assert shopify.Limits.credit_limit() == 40  # X-Shopify-Shop-Api-Call-Limit: n/40
        assert 0 <= shopify.Limits.credit_used() <= 1  # one call, refilling at 2/s x speed
        headers = shopify.Shop.connection.response.headers
        assert headers["X-Shopify-API-Version"] == VERSION
        handles = {scope.handle for scope in shopify.AccessScope.find()}
        assert {"read_products", "read_customers", "read_orders"} <= handles


def test_products_through_the_library_pagination(
    start: Callable[..., AbstractContextManager[Simulator]],
) -> None:
    with start() as sim, session(sim.token("acme")):
        truth = truth_of(sim, "products")
        page = shopify.Product.find(limit=50)
        pages = [page]
        while page.has_next_page():
            page = page.next_page()
            pages.append(page)
        products = [p for page in pages for p in page]
        # len() of a PaginatedCollection counts the pages it fetched after it: list() each
        assert [len(list(page)) for page in pages] == [50, 50, 20]
        assert not pages[0].has_previous_page()
        assert pages[-1].has_previous_page()
        assert [p.id for p in products] == [numeric(t["id"]) for t in truth]
        assert [p.admin_graphql_api_id for p in products] == [t["id"] for t in truth]
        assert [(p.title, p.handle) for p in products] == [(t["title"], t["handle"]) for t in truth]
        variant_ids = {v.admin_graphql_api_id for p in products for v in p.variants}
        assert variant_ids == {v["id"] for v in truth_of(sim, "product_variants")}

        back = pages[1].previous_page(no_cache=True)
        assert [p.id for p in back] == [p.id for p in pages[0]]
        one = shopify.Product.find(products[7].id)
        assert (one.id, one.title) == (products[7].id, products[7].title)
        assert shopify.Product.count() == len(truth)


def test_customers_and_orders(start: Callable[..., AbstractContextManager[Simulator]]) -> None:
    with start() as sim, session(sim.token("acme")):
        truth_customers = truth_of(sim, "customers")
        customers = shopify.Customer.find(limit=250)
        assert not customers.has_next_page()
        assert [c.admin_graphql_api_id for c in customers] == [t["id"] for t in truth_customers]
        assert [c.email for c in customers] == [t["email"] for t in truth_customers]
        first = truth_customers[0]
        assert shopify.Customer.find(numeric(first["id"])).email == first["email"]
        assert shopify.Customer.count() == len(truth_customers)

        truth_orders = truth_of(sim, "orders")
        orders = shopify.Order.find(status="any")
        assert [o.admin_graphql_api_id for o in orders] == [t["id"] for t in truth_orders]
        assert [o.name for o in orders] == [t["name"] for t in truth_orders]
        for order, truth in zip(orders, truth_orders, strict=True):
            assert [li.admin_graphql_api_id for li in order.line_items] == [
                line["id"] for line in truth["lineItems"]
            ]
            assert order.total_price == truth["totalPriceSet"]["shopMoney"]["amount"]
        still_open = [t["id"] for t in truth_orders if not (t["closed"] or t["cancelledAt"])]
        assert 0 < len(still_open) < len(truth_orders)
        assert [o.admin_graphql_api_id for o in shopify.Order.find()] == still_open
        assert shopify.Order.count(status="any") == len(truth_orders)
        assert shopify.Order.count() == len(still_open)


def test_deleted_product(start: Callable[..., AbstractContextManager[Simulator]]) -> None:
    with start() as sim, session(sim.token("acme")):
        destroyed = sim.store("acme").activity.delete_product(4)  # the destroy event
        gone = numeric(destroyed["subjectId"])
        with pytest.raises(ResourceNotFound):
            shopify.Product.find(gone)
        [event] = shopify.Event.find(filter="Product", verb="destroy")
        assert (event.subject_type, event.subject_id, event.verb) == ("Product", gone, "destroy")
        assert event.id == numeric(destroyed["id"])
        assert shopify.Product.count() == SIZE.products - 1


def test_graphql_products(start: Callable[..., AbstractContextManager[Simulator]]) -> None:
    with start() as sim, session(sim.token("acme")):
        truth = truth_of(sim, "products")
        client = shopify.GraphQL()
        nodes: list[dict[str, Any]] = []
        after: str | None = None
        while True:
            body = json.loads(client.execute(PRODUCTS_PAGE, {"first": 50, "after": after}))
            assert "errors" not in body, body["errors"]
            cost = body["extensions"]["cost"]
            assert cost["requestedQueryCost"] == 2 + 50  # connection 2 + first x (1 + scalars)
            assert cost["actualQueryCost"] <= cost["requestedQueryCost"]
            status = cost["throttleStatus"]
            assert status["maximumAvailable"] == 2000
            assert 0 < status["currentlyAvailable"] <= 2000
            products = body["data"]["products"]
            nodes += products["nodes"]
            if not products["pageInfo"]["hasNextPage"]:
                break
            after = products["pageInfo"]["endCursor"]
        assert nodes == [
            {k: t[k] for k in ("id", "legacyResourceId", "title", "handle")} for t in truth
        ]
        rest_ids = [p.id for p in shopify.Product.find(limit=250)]
        assert [int(n["legacyResourceId"]) for n in nodes] == rest_ids


def test_wrong_token_is_the_library_401(
    start: Callable[..., AbstractContextManager[Simulator]],
) -> None:
    with start() as sim:
        with session("shpat_" + "0" * 32):
            with pytest.raises(UnauthorizedAccess) as rest_error:
                shopify.Shop.current()
            with pytest.raises(urllib.error.HTTPError) as graphql_error:
                shopify.GraphQL().execute("{ shop { name } }")
        assert rest_error.value.code == 401
        body = json.loads(rest_error.value.response.body)
        assert body["errors"].startswith("[API] Invalid API key or access token")
        assert graphql_error.value.code == 401
        with session(sim.token("acme")):
            assert shopify.Shop.current().myshopify_domain == SHOP


def test_rest_bucket_exhausted_is_the_library_429(
    start: Callable[..., AbstractContextManager[Simulator]],
) -> None:
    # speed 0.0001: the bucket (40 requests, 2/s on standard) does not refill during the test
    with start(SimulatorOptions(speed=0.0001)) as sim, session(sim.token("acme")):
        for _ in range(40):
            shopify.Shop.current()
        assert shopify.Limits.credit_used() == 40
        assert shopify.Limits.credit_maxed()
        with pytest.raises(ClientError) as caught:
            shopify.Product.find(limit=1)
        error = caught.value
        assert type(error) is ClientError  # 429 has no subclass in pyactiveresource
        assert error.code == 429
        assert float(error.response.headers["Retry-After"]) > 0
        assert error.response.headers["X-Shopify-Shop-Api-Call-Limit"] == "40/40"
        assert "Exceeded 2 calls per second" in json.loads(error.response.body)["errors"]
        # GraphQL has its own bucket, untouched by REST calls
        body = json.loads(shopify.GraphQL().execute("{ shop { myshopifyDomain } }"))
        assert body["data"]["shop"]["myshopifyDomain"] == SHOP
