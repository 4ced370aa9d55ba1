"""The money side of orders over the API: every field in every shipped version, paged and in
bulk operations (connections as child lines, a connection inside a list refused), and refunds,
fulfillments and fulfillment orders through ``nodes(ids:)``."""

from __future__ import annotations

from typing import Any

import pytest

from shopsync_simulator import Simulator
from shopsync_simulator.graphql.schema import SUPPORTED_VERSIONS
from tests.integration.simulator.client import Client
from tests.integration.simulator.test_bulk import lines, run, wait

M = "{ shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }"
TAX = f"title rate ratePercentage priceSet {M}"
ALLOC = f"allocatedAmountSet {M} discountApplication {{ index }}"
TXN = f"""id kind status gateway amountSet {M} fees {{ amount {{ amount currencyCode }} }}
  processedAt createdAt parentTransaction {{ id }} errorCode test"""
REFUND_LISTS = f"""
  refundLineItems(first: 10) {{ nodes {{ quantity restockType restocked location {{ id }}
    lineItem {{ id }} priceSet {M} subtotalSet {M} totalTaxSet {M} }} }}
  orderAdjustments(first: 5) {{ nodes {{ id reason amountSet {M} taxAmountSet {M} }} }}
  refundShippingLines(first: 5) {{ nodes {{ subtotalAmountSet {M} taxAmountSet {M} }} }}
  transactions(first: 5) {{ nodes {{ {TXN} }} }}"""
FULFILLMENT_LISTS = """fulfillmentLineItems(first: 10) { nodes { quantity lineItem { id } } }"""
ORDER = f"""id name displayFinancialStatus displayFulfillmentStatus presentmentCurrencyCode
  subtotalPriceSet {M} totalDiscountsSet {M} totalShippingPriceSet {M} totalTaxSet {M}
  totalPriceSet {M} totalRefundedSet {M} totalReceivedSet {M} totalOutstandingSet {M}
  currentTotalPriceSet {M} netPaymentSet {M} discountCodes taxLines {{ {TAX} }}
  lineItems(first: 10) {{ nodes {{ id taxLines {{ {TAX} }} discountAllocations {{ {ALLOC} }} }} }}
  shippingLines(first: 5) {{ nodes {{ id title originalPriceSet {M} taxLines {{ {TAX} }}
    discountAllocations {{ {ALLOC} }} }} }}
  discountApplications(first: 5) {{ nodes {{ __typename index allocationMethod targetType
    targetSelection value {{ ... on PricingPercentageValue {{ percentage }}
      ... on MoneyV2 {{ amount currencyCode }} }}
    ... on DiscountCodeApplication {{ code }} ... on AutomaticDiscountApplication {{ title }}
    ... on ManualDiscountApplication {{ title }} }} }}
  transactions(first: 20) {{ {TXN} }}
  refunds(first: 5) {{ id note createdAt updatedAt totalRefundedSet {M} {REFUND_LISTS} }}
  fulfillments(first: 5) {{ id name status displayStatus createdAt updatedAt location {{ id }}
    trackingInfo {{ company number url }} totalQuantity {FULFILLMENT_LISTS} }}
  fulfillmentOrders(first: 5) {{ nodes {{ id status requestStatus createdAt updatedAt
    assignedLocation {{ name location {{ id }} }}
    lineItems(first: 10) {{ nodes {{ totalQuantity remainingQuantity lineItem {{ id }} }} }} }} }}
"""


def cents(money: dict[str, Any]) -> int:
    whole, _, frac = money["amount"].partition(".")
    sign = -1 if whole.startswith("-") else 1
    return sign * (abs(int(whole)) * 100 + int((frac + "00")[:2]))


def bag_sum(bags: list[dict[str, Any]], side: str) -> int:
    return sum(cents(b[side]) for b in bags)


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_every_money_field_resolves_in_every_version(simulator: Simulator, version: str) -> None:
    client = Client(simulator, "acme", version)
    orders = client.query(f"{{ orders(first: 25) {{ nodes {{ {ORDER} }} }} }}")["data"]["orders"]
    nodes = orders["nodes"]
    assert len(nodes) == 25
    for o in nodes:
        for side in ("shopMoney", "presentmentMoney"):
            assert cents(o["totalPriceSet"][side]) == cents(o["subtotalPriceSet"][side]) + cents(
                o["totalShippingPriceSet"][side]
            ) + cents(o["totalTaxSet"][side])
            assert bag_sum([t["priceSet"] for t in o["taxLines"]], side) == cents(
                o["totalTaxSet"][side]
            )
            assert bag_sum([r["totalRefundedSet"] for r in o["refunds"]], side) == cents(
                o["totalRefundedSet"][side]
            )
        assert o["fulfillmentOrders"]["nodes"], "every order has a fulfillment order"
        for line in o["lineItems"]["nodes"]:
            assert all(t["title"] for t in line["taxLines"])
    assert any(o["refunds"] for o in nodes)
    assert any(o["fulfillments"] for o in nodes)
    assert any(o["shippingLines"]["nodes"] for o in nodes)
    assert any(o["discountApplications"]["nodes"] for o in nodes)
    refund = next(r for o in nodes for r in o["refunds"])
    assert refund["refundLineItems"]["nodes"][0]["lineItem"]["id"].startswith(
        "gid://shopify/LineItem/"
    )
    assert refund["transactions"]["nodes"][0]["kind"] == "REFUND"
    ful = next(f for o in nodes for f in o["fulfillments"])
    assert ful["trackingInfo"][0]["company"]
    assert ful["location"]["id"].startswith("gid://shopify/Location/")
    assert sum(x["quantity"] for x in ful["fulfillmentLineItems"]["nodes"]) == ful["totalQuantity"]


NODES = f"""query($ids: [ID!]!) {{ nodes(ids: $ids) {{ id __typename
  ... on Refund {{ totalRefundedSet {M} {REFUND_LISTS} }}
  ... on Fulfillment {{ status {FULFILLMENT_LISTS} }}
  ... on FulfillmentOrder {{ status lineItems(first: 10) {{ nodes {{ remainingQuantity }} }} }}
}} }}"""


def test_refunds_fulfillments_and_fulfillment_orders_through_nodes(acme: Client) -> None:
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


def test_bulk_lands_order_money_connections_as_child_lines(acme: Client) -> None:
    query = f"""{{ orders {{ edges {{ node {{ id totalPriceSet {M} taxLines {{ {TAX} }}
      refunds {{ id totalRefundedSet {M} }} transactions {{ id kind amountSet {M} }}
      fulfillments {{ id status }}
      shippingLines {{ edges {{ node {{ id title }} }} }}
      fulfillmentOrders {{ edges {{ node {{ id status
        lineItems {{ edges {{ node {{ id totalQuantity remainingQuantity }} }} }} }} }} }}
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
    fos = {r["id"]: r for r in children if r["id"].startswith("gid://shopify/FulfillmentOrder/")}
    assert {r["__parentId"] for r in fos.values()} == set(orders)
    fo_lines = [r for r in children if "FulfillmentOrderLineItem" in r["id"]]
    assert fo_lines
    assert {r["__parentId"] for r in fo_lines} <= set(fos)
    ships = [r for r in children if "/ShippingLine/" in r["id"]]
    assert ships
    assert {r["__parentId"] for r in ships} <= set(orders)


def test_bulk_refuses_a_connection_inside_the_refunds_list(acme: Client) -> None:
    query = """{ orders { edges { node { id
      refunds { id refundLineItems(first: 10) { edges { node { id quantity } } } } } } } }"""
    payload = run(acme, query)
    assert payload["bulkOperation"] is None
    assert [e["message"] for e in payload["userErrors"]] == [
        "Queries that contain a connection field within a list field are not currently supported."
    ]


def test_order_verbs_over_the_control_endpoint(acme: Client) -> None:
    q = "{ orders(first: 25) { nodes { id displayFinancialStatus displayFulfillmentStatus } } }"
    nodes = acme.query(q)["data"]["orders"]["nodes"]
    paid = next(o for o in nodes if o["displayFinancialStatus"] == "PAID")
    refunded = acme.control("refund_order", order=paid["id"])
    assert refunded["displayFinancialStatus"] == "REFUNDED"
    event = acme.control("delete_order", order=paid["id"])
    assert event["subjectType"] == "ORDER"
    gone = acme.query("query($id: ID!) { order(id: $id) { id } }", {"id": paid["id"]})
    assert gone["data"]["order"] is None
