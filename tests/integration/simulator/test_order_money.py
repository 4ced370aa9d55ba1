"""The money side of orders over the API: every field in every shipped version, paged and in
bulk operations (connections as child lines, a connection inside a list refused), and refunds,
fulfillments and fulfillment orders through ``nodes(ids:)``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from shopsync_simulator import Simulator, SimulatorOptions, running_simulator
from shopsync_simulator.graphql.schema import DEFAULT_SCOPES, SUPPORTED_VERSIONS
from tests.integration.simulator.client import Client
from tests.integration.simulator.conftest import SMALL, TENANTS
from tests.integration.simulator.test_bulk import lines, run, wait

M = "{ shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }"
TAX = f"title rate ratePercentage priceSet {M}"
ALLOC = f"allocatedAmountSet {M} discountApplication {{ index }}"
TXN = f"""id kind status gateway amountSet {M} fees {{ amount {{ amount currencyCode }} }}
  processedAt createdAt parentTransaction {{ id }} errorCode test"""
REFUND_LISTS = f"""
  refundLineItems(first: 4) {{ nodes {{ quantity restockType restocked location {{ id }}
    lineItem {{ id }} priceSet {M} subtotalSet {M} totalTaxSet {M} }} }}
  orderAdjustments(first: 2) {{ nodes {{ id reason amountSet {M} taxAmountSet {M} }} }}
  refundShippingLines(first: 1) {{ nodes {{ subtotalAmountSet {M} taxAmountSet {M} }} }}
  transactions(first: 2) {{ nodes {{ {TXN} }} }}"""
FULFILLMENT_LISTS = """fulfillmentLineItems(first: 4) { nodes { quantity lineItem { id } } }"""
TOTALS = f"""id name displayFinancialStatus displayFulfillmentStatus presentmentCurrencyCode
  subtotalPriceSet {M} totalDiscountsSet {M} totalShippingPriceSet {M} totalTaxSet {M}
  totalPriceSet {M} totalRefundedSet {M} totalReceivedSet {M} totalOutstandingSet {M}
  currentTotalPriceSet {M} netPaymentSet {M} discountCodes taxLines {{ {TAX} }}
  lineItems(first: 4) {{ nodes {{ id taxLines {{ {TAX} }} discountAllocations {{ {ALLOC} }} }} }}
  shippingLines(first: 1) {{ nodes {{ id title originalPriceSet {M} taxLines {{ {TAX} }}
    discountAllocations {{ {ALLOC} }} }} }}
  discountApplications(first: 3) {{ nodes {{ __typename index allocationMethod targetType
    targetSelection value {{ ... on PricingPercentageValue {{ percentage }}
      ... on MoneyV2 {{ amount currencyCode }} }}
    ... on DiscountCodeApplication {{ code }} ... on AutomaticDiscountApplication {{ title }}
    ... on ManualDiscountApplication {{ title }} }} }}
"""
REFUNDS = f"""id totalRefundedSet {M} transactions(first: 6) {{ {TXN} }}
  refunds(first: 2) {{ id note createdAt updatedAt totalRefundedSet {M} {REFUND_LISTS} }}"""
FULFILLMENTS = f"""id fulfillments(first: 2) {{ id name status displayStatus createdAt updatedAt
    location {{ id }} trackingInfo {{ company number url }} totalQuantity {FULFILLMENT_LISTS} }}
  fulfillmentOrders(first: 1) {{ nodes {{ id status requestStatus createdAt updatedAt
    assignedLocation {{ name location {{ id }} }}
    lineItems(first: 4) {{ nodes {{ totalQuantity remainingQuantity lineItem {{ id }} }} }} }} }}
"""


#: Fulfillment orders need a fulfillment-order scope (as in Shopify:
#: ``read_merchant_managed_fulfillment_orders`` for the merchant's own locations); acme_corp's
#: token lacks it here.
FO_SCOPE = "read_merchant_managed_fulfillment_orders"


@pytest.fixture(scope="module")
def money_sim() -> Iterator[Simulator]:
    scopes = {"acme": DEFAULT_SCOPES, "acme_corp": DEFAULT_SCOPES - {FO_SCOPE}}
    # The module's tests read the money side, not the rate limit: every version's test asks
    # the same shop for costly pages, so a shared bucket would throttle whichever runs late.
    options = SimulatorOptions(speed=50, scopes=scopes, rate_limits=False)
    with running_simulator(TENANTS, size=SMALL, options=options) as sim:
        yield sim


@pytest.fixture
def client(money_sim: Simulator) -> Client:
    return Client(money_sim, "acme")


def cents(money: dict[str, Any]) -> int:
    whole, _, frac = money["amount"].partition(".")
    sign = -1 if whole.startswith("-") else 1
    return sign * (abs(int(whole)) * 100 + int((frac + "00")[:2]))


def bag_sum(bags: list[dict[str, Any]], side: str) -> int:
    return sum(cents(b[side]) for b in bags)


def orders(client: Client, fields: str, query: str, first: int) -> list[dict[str, Any]]:
    q = f"query($q: String) {{ orders(first: {first}, query: $q) {{ nodes {{ {fields} }} }} }}"
    body = client.query(q, {"q": query})
    nodes: list[dict[str, Any]] = body["data"]["orders"]["nodes"]
    assert nodes
    return nodes


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_every_money_field_resolves_in_every_version(money_sim: Simulator, version: str) -> None:
    client = Client(money_sim, "acme", version)
    nodes = orders(client, TOTALS, "", 8)
    for o in nodes:
        for side in ("shopMoney", "presentmentMoney"):
            assert cents(o["totalPriceSet"][side]) == cents(o["subtotalPriceSet"][side]) + cents(
                o["totalShippingPriceSet"][side]
            ) + cents(o["totalTaxSet"][side])
            assert bag_sum([t["priceSet"] for t in o["taxLines"]], side) == cents(
                o["totalTaxSet"][side]
            )
        for line in o["lineItems"]["nodes"]:
            assert all(t["title"] for t in line["taxLines"])
    assert any(o["shippingLines"]["nodes"] for o in nodes)
    assert any(o["discountApplications"]["nodes"] for o in nodes)

    refunded = orders(client, REFUNDS, "financial_status:refunded", 3)
    for o in refunded:
        for side in ("shopMoney", "presentmentMoney"):
            assert bag_sum([r["totalRefundedSet"] for r in o["refunds"]], side) == cents(
                o["totalRefundedSet"][side]
            )
    refund = refunded[0]["refunds"][0]
    assert refund["refundLineItems"]["nodes"][0]["lineItem"]["id"].startswith(
        "gid://shopify/LineItem/"
    )
    assert refund["transactions"]["nodes"][0]["kind"] == "REFUND"
    kinds = {t["kind"] for o in refunded for t in o["transactions"]}
    assert "REFUND" in kinds

    fulfilled = orders(client, FULFILLMENTS, "fulfillment_status:fulfilled", 3)
    ful = fulfilled[0]["fulfillments"][0]
    assert ful["trackingInfo"][0]["company"]
    assert ful["location"]["id"].startswith("gid://shopify/Location/")
    assert sum(x["quantity"] for x in ful["fulfillmentLineItems"]["nodes"]) == ful["totalQuantity"]
    fo = fulfilled[0]["fulfillmentOrders"]["nodes"][0]
    assert fo["status"] == "CLOSED"
    assert fo["assignedLocation"]["location"]["id"].startswith("gid://shopify/Location/")
    assert all(x["remainingQuantity"] == 0 for x in fo["lineItems"]["nodes"])


NODES = f"""query($ids: [ID!]!) {{ nodes(ids: $ids) {{ id __typename
  ... on Refund {{ totalRefundedSet {M} {REFUND_LISTS} }}
  ... on Fulfillment {{ status {FULFILLMENT_LISTS} }}
  ... on FulfillmentOrder {{ foStatus: status
    lineItems(first: 10) {{ nodes {{ remainingQuantity }} }} }}
}} }}"""


def test_fulfillment_orders_need_a_fulfillment_order_scope(money_sim: Simulator) -> None:
    resp = Client(money_sim, "acme_corp").post(
        "{ orders(first: 2) { nodes { fulfillmentOrders(first: 2) { nodes { id } } } } }"
    )
    errors = resp.json()["errors"]
    assert errors[0]["extensions"]["code"] == "ACCESS_DENIED"
    assert FO_SCOPE in errors[0]["message"]


def test_refunds_fulfillments_and_fulfillment_orders_through_nodes(client: Client) -> None:
    acme = client
    q = """{ orders(first: 25) { nodes { refunds { id } fulfillments { id }
      fulfillmentOrders(first: 2) { nodes { id } } } } }"""
    nodes = acme.query(q)["data"]["orders"]["nodes"]
    ids = [r["id"] for o in nodes for r in o["refunds"]][:3]
    ids += [f["id"] for o in nodes for f in o["fulfillments"]][:3]
    ids += [fo["id"] for o in nodes for fo in o["fulfillmentOrders"]["nodes"]][:3]
    got = acme.query(NODES, {"ids": [*ids, "gid://shopify/Refund/1"]})["data"]["nodes"]
    assert [g["id"] for g in got[:-1]] == ids
    assert got[-1] is None
    kinds = {g["__typename"] for g in got[:-1]}
    assert kinds == {"Refund", "Fulfillment", "FulfillmentOrder"}
    refund = got[0]
    assert refund["refundLineItems"]["nodes"]


def test_bulk_lands_order_money_connections_as_child_lines(client: Client) -> None:
    acme = client
    query = f"""{{ orders {{ edges {{ node {{ id totalPriceSet {M} taxLines {{ {TAX} }}
      refunds {{ id totalRefundedSet {M} }} transactions {{ id kind amountSet {M} }}
      fulfillments {{ id status }}
      lineItems {{ edges {{ node {{ id taxLines {{ {TAX} }}
        discountAllocations {{ {ALLOC} }} }} }} }}
      shippingLines {{ edges {{ node {{ id title }} }} }}
      discountApplications {{ edges {{ node {{ index }} }} }}
      fulfillmentOrders {{ edges {{ node {{ id status updatedAt }} }} }}
    }} }} }} }}"""
    payload = run(acme, query)
    assert payload["userErrors"] == []
    done = wait(acme, payload["bulkOperation"]["id"])
    assert done["status"] == "COMPLETED"
    rows = lines(done["url"])
    orders = {r["id"]: r for r in rows if "__parentId" not in r}
    assert len(orders) == 25
    assert all(isinstance(o["refunds"], list) for o in orders.values())  # lists inline
    children = [r for r in rows if "__parentId" in r]
    fos = [r for r in children if r.get("id", "").startswith("gid://shopify/FulfillmentOrder/")]
    assert {r["__parentId"] for r in fos} == set(orders)
    items = [r for r in children if r.get("id", "").startswith("gid://shopify/LineItem/")]
    assert {r["__parentId"] for r in items} == set(orders)
    assert any(r["discountAllocations"] for r in items)  # lists inline in child lines
    assert any("index" in r for r in children)  # discount applications have no id
    ships = [r for r in children if "/ShippingLine/" in r.get("id", "")]
    assert ships
    assert {r["__parentId"] for r in ships} <= set(orders)


def test_bulk_refuses_a_connection_inside_the_refunds_list(client: Client) -> None:
    acme = client
    query = """{ orders { edges { node { id
      refunds { id refundLineItems(first: 10) { edges { node { id quantity } } } } } } } }"""
    payload = run(acme, query)
    assert payload["bulkOperation"] is None
    assert [e["message"] for e in payload["userErrors"]] == [
        "Queries that contain a connection field within a list field are not currently supported."
    ]


def test_order_verbs_over_the_control_endpoint(client: Client) -> None:
    acme = client
    q = "{ orders(first: 25) { nodes { id displayFinancialStatus displayFulfillmentStatus } } }"
    nodes = acme.query(q)["data"]["orders"]["nodes"]
    paid = next(o for o in nodes if o["displayFinancialStatus"] == "PAID")
    refunded = acme.control("refund_order", order=paid["id"])
    assert refunded["displayFinancialStatus"] == "REFUNDED"
    event = acme.control("delete_order", order=paid["id"])
    assert event["subjectType"] == "ORDER"
    gone = acme.query("query($id: ID!) { order(id: $id) { id } }", {"id": paid["id"]})
    assert gone["data"]["order"] is None
