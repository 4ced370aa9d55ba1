"""Resolvers of an order's money side: every field reads the order's ledger views
(:mod:`shopsync_simulator.store.order_views`); lists honour ``first``, connections page (and come
whole in a bulk operation), references resolve through the store's tables."""

from __future__ import annotations

from typing import Any

from shopsync_simulator.graphql.nested import Info, Resolver, list_connection, related, store_of
from shopsync_simulator.store.order_views import allocations, details, tax_lines
from shopsync_simulator.store.orders import net_of
from shopsync_simulator.store.table import Record


def _order_list(field: str) -> Resolver:
    def resolve(rec: Record, _: Info, first: int | None = None, **__: Any) -> Any:
        items: list[Record] = details(rec)[field]
        return items if first is None else items[:first]

    return resolve


def _order_connection(field: str) -> Resolver:
    return lambda rec, info, **a: list_connection(details(rec)[field], info, a)


def _connection(key: str) -> Resolver:
    return lambda rec, info, **a: list_connection(rec[key], info, a)


def _count(field: str) -> Resolver:
    return lambda rec, _, **__: {"count": len(details(rec)[field]), "precision": "EXACT"}


def _assigned(field: str, default: Any = None) -> Resolver:
    """A field of a fulfillment order's assigned location, read from the location record."""

    def resolve(rec: Record, info: Info, **_: Any) -> Any:
        loc = store_of(info).locations.get(rec["_loc"])
        if loc is None:
            return default
        if field == "name":
            return loc["name"]
        value = loc["address"].get(field, default)
        return default if value is None else value

    return resolve


def _shipping_line(rec: Record, _: Info, **__: Any) -> Any:
    ships: list[Record] = details(rec)["shippingLines"]
    return ships[0] if ships else None


def _first(key: str) -> Resolver:
    def resolve(rec: Record, _: Info, first: int | None = None, **__: Any) -> Any:
        items: list[Record] = rec[key]
        return items if first is None else items[:first]

    return resolve


ORDER_RESOLVERS: dict[tuple[str, str], Resolver] = {
    ("Order", "shippingLines"): _order_connection("shippingLines"),
    ("Order", "shippingLine"): _shipping_line,
    ("Order", "discountApplications"): _order_connection("discountApplications"),
    ("Order", "taxLines"): _order_list("taxLines"),
    ("Order", "currentTaxLines"): _order_list("taxLines"),
    ("Order", "transactions"): _order_list("transactions"),
    ("Order", "transactionsCount"): _count("transactions"),
    ("Order", "refunds"): _order_list("refunds"),
    ("Order", "fulfillments"): _order_list("fulfillments"),
    ("Order", "fulfillmentsCount"): _count("fulfillments"),
    ("Order", "fulfillmentOrders"): _order_connection("fulfillmentOrders"),
    ("LineItem", "taxLines"): lambda rec, _, first=None, **__: tax_lines(rec["_tax"])[:first],
    ("LineItem", "discountAllocations"): lambda rec, _, **__: allocations(rec["_alloc"]),
    ("LineItem", "discountedUnitPriceSet"): lambda rec, _, **__: rec["discountedTotalSet"].part(
        1, rec["quantity"]
    ),
    ("LineItem", "discountedUnitPriceAfterAllDiscountsSet"): lambda rec, _, **__: net_of(rec).part(
        1, rec["quantity"]
    ),
    ("Refund", "refundLineItems"): _connection("refundLineItems"),
    ("Refund", "orderAdjustments"): _connection("orderAdjustments"),
    ("Refund", "refundShippingLines"): _connection("refundShippingLines"),
    ("Refund", "transactions"): _connection("transactions"),
    ("Refund", "order"): related("orders", "_order"),
    ("RefundLineItem", "location"): related("locations", "_loc"),
    ("OrderTransaction", "order"): related("orders", "_order"),
    ("TenderTransaction", "order"): related("orders", "_order"),
    ("Fulfillment", "order"): related("orders", "_order"),
    ("Fulfillment", "location"): related("locations", "_loc"),
    ("Fulfillment", "fulfillmentLineItems"): _connection("fulfillmentLineItems"),
    ("Fulfillment", "trackingInfo"): _first("trackingInfo"),
    ("FulfillmentOrder", "order"): related("orders", "_order"),
    ("FulfillmentOrder", "lineItems"): _connection("lineItems"),
    ("FulfillmentOrderAssignedLocation", "location"): related("locations", "_loc"),
    ("FulfillmentOrderAssignedLocation", "name"): _assigned("name", ""),
    ("FulfillmentOrderAssignedLocation", "countryCode"): _assigned("countryCode", "US"),
    ("FulfillmentOrderAssignedLocation", "address1"): _assigned("address1"),
    ("FulfillmentOrderAssignedLocation", "city"): _assigned("city"),
    ("FulfillmentOrderAssignedLocation", "zip"): _assigned("zip"),
    ("FulfillmentOrderAssignedLocation", "province"): _assigned("provinceCode"),
    ("FulfillmentOrderLineItem", "variant"): related("variants", "_v"),
}
