"""Every table's transform on hand-built rows (Spark, one session for the whole run)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from pyspark.sql import SparkSession

from shopsync.warehouse.specs import TABLES
from shopsync_glue import transform as tf

from .rows import RUN_1, RUN_2, gid, line, lines, money

pytestmark = pytest.mark.spark


def _rows(df: Any, order: str | list[str] = "id") -> list[dict[str, Any]]:
    return [r.asDict() for r in df.orderBy(order).collect()]


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC).replace(tzinfo=None)


def test_products_types_nulls_raw_and_meta(spark: SparkSession) -> None:
    full = {
        "id": gid("Product", 11),
        "legacyResourceId": "11",
        "title": "Tent",
        "handle": "tent",
        "status": "ACTIVE",
        "vendor": "Acme",
        "productType": "Camping",
        "tags": ["outdoor", "summer"],
        "descriptionHtml": "<p>Big</p>",
        "totalInventory": 7,
        "tracksInventory": True,
        "createdAt": "2026-01-01T08:00:00+02:00",
        "updatedAt": "2026-11-24T09:00:00Z",
        "publishedAt": None,
        "newField": {"kept": True},
    }
    sparse = {"id": gid("Product", 12), "updatedAt": "2026-11-24T09:30:00Z", "tags": []}
    df = tf.transform(
        "products",
        lines(spark, line(full, stream="products"), line(sparse, stream="products"), "not json"),
    )
    assert tuple(df.columns) == TABLES["products"].column_names
    tent, bare = _rows(df)
    assert tent["product_id"] == 11
    assert tent["tags"] == "outdoor, summer"
    assert tent["total_inventory"] == 7
    assert tent["tracks_inventory"] is True
    assert tent["created_at"] == _utc("2026-01-01T06:00:00Z")  # offset normalised to UTC
    assert tent["published_at"] is None
    assert tent["_tenant_id"] == "acme"
    assert tent["_run_id"] == RUN_1
    assert tent["_synced_at"] == _utc("2026-11-24T10:00:05Z")
    assert tent["_deleted_at"] is None
    assert json.loads(tent["_raw"])["newField"] == {"kept": True}  # no field is lost
    assert bare["product_id"] == 12
    assert bare["title"] is None
    assert bare["tags"] == ""
    assert bare["total_inventory"] is None
    assert bare["tracks_inventory"] is None


def test_every_fetch_of_a_record_is_a_row_the_load_keeps_the_latest(spark: SparkSession) -> None:
    """No dedupe in Spark (it was a shuffle of every row): a record fetched twice is two
    curated rows, and the load's stage keeps the latest (tests/unit/warehouse)."""

    def v(title: str, updated: str, run: str) -> str:
        node = {"id": gid("Product", 1), "title": title, "updatedAt": updated}
        return line(node, stream="products", run_id=run)

    raw = lines(
        spark,
        v("newest", "2026-11-24T09:00:00Z", RUN_1),
        v("older", "2026-11-24T08:00:00Z", RUN_1),
        v("next run", "2026-11-24T07:00:00Z", RUN_2),
    )
    assert sorted((r["title"], r["_run_id"]) for r in _rows(tf.transform("products", raw))) == [
        ("newest", RUN_1),
        ("next run", RUN_2),
        ("older", RUN_1),
    ]


def test_orders_multi_currency_money(spark: SparkSession) -> None:
    def order(number: int, amount: str | None, currency: str | None) -> str:
        node = {
            "id": gid("Order", number),
            "name": f"#{number}",
            "currencyCode": currency,
            "totalPriceSet": money(amount, currency),
            "subtotalPriceSet": money(amount, currency),
            "totalTaxSet": None,
            "customer": {"id": gid("Customer", 5)} if number != 3 else None,
            "updatedAt": "2026-11-24T09:00:00Z",
        }
        return line(node, stream="orders")

    df = tf.transform(
        "orders",
        lines(spark, order(1, "12.5", "EUR"), order(2, "1000", "JPY"), order(3, "0.1234", "KWD")),
    )
    got = [
        (r["total_price"], r["total_price_currency"], r["total_tax"], r["customer_id"])
        for r in _rows(df)
    ]
    assert got == [
        (Decimal("12.5000"), "EUR", None, gid("Customer", 5)),
        (Decimal("1000.0000"), "JPY", None, gid("Customer", 5)),
        (Decimal("0.1234"), "KWD", None, None),
    ]


def test_order_line_items_explode_with_order_cursor(spark: SparkSession) -> None:
    def order(updated: str, run: str, items: list[dict[str, Any]] | None) -> str:
        node = {
            "id": gid("Order", 9),
            "updatedAt": updated,
            "lineItems": None if items is None else {"nodes": items},
        }
        return line(node, stream="orders", run_id=run)

    item = {
        "id": gid("LineItem", 91),
        "name": "Tent",
        "quantity": 2,
        "currentQuantity": 1,
        "variant": None,
        "product": {"id": gid("Product", 1)},
        "originalUnitPriceSet": money("10.00", "USD"),
        "discountedTotalSet": money("18.00", "USD"),
    }
    raw = lines(
        spark,
        order("2026-11-24T08:00:00Z", RUN_1, [item, {**item, "id": gid("LineItem", 92)}]),
        order("2026-11-24T09:00:00Z", RUN_2, [{**item, "currentQuantity": 0}]),
        order("2026-11-24T09:00:00Z", RUN_2, None).replace("Order/9", "Order/10"),
    )
    rows = _rows(tf.transform("order_line_items", raw), ["id", "_run_id"])
    assert [(r["id"], r["current_quantity"], r["_run_id"]) for r in rows] == [
        (gid("LineItem", 91), 1, RUN_1),  # each run's rows (the load keeps the latest)
        (gid("LineItem", 91), 0, RUN_2),
        (gid("LineItem", 92), 1, RUN_1),
    ]
    first = rows[1]
    assert first["order_id"] == gid("Order", 9)
    assert first["line_item_id"] == 91
    assert first["order_updated_at"] == _utc("2026-11-24T09:00:00Z")
    assert first["variant_id"] is None
    assert first["product_id"] == gid("Product", 1)
    assert (first["original_unit_price"], first["original_unit_price_currency"]) == (
        Decimal("10.0000"),
        "USD",
    )
    assert json.loads(first["_raw"])["id"] == gid("LineItem", 91)


@pytest.mark.parametrize(
    ("stream", "subject", "kind"),
    [
        ("deleted_products", "PRODUCT", "Product"),
        ("deleted_orders", "ORDER", "Order"),
        ("deleted_customers", "CUSTOMER", "Customer"),
    ],
)
def test_deletions_are_one_row_per_destroyed_record_at_its_first_destroy_event(
    spark: SparkSession, stream: str, subject: str, kind: str
) -> None:
    def event(n: int, at: str, *, action: str = "destroy", **extra: Any) -> str:
        node = {"id": gid("BasicEvent", n), "action": action, "createdAt": at, **extra}
        return line(node, stream=stream)

    destroyed = {"subjectId": gid(kind, 1), "subjectType": subject}
    raw = lines(
        spark,
        event(1, "2026-11-24T09:30:00Z", **destroyed),
        event(2, "2026-11-24T09:10:00Z", **destroyed),  # the same record, an earlier event
        event(3, "2026-11-24T09:40:00Z", action="create", subjectId=gid(kind, 2)),
        event(4, "2026-11-24T09:40:00Z", subjectId=gid("Article", 3), subjectType="ARTICLE"),
        event(5, "2026-11-24T09:50:00Z", subjectId=gid(kind, 4)),  # no subject type
        event(6, "2026-11-24T09:50:00Z"),  # no subject
    )
    rows = _rows(tf.deletions(raw, subject), "subject_id")
    assert [(r["subject_type"], r["subject_id"], r["deleted_at"]) for r in rows] == [
        (subject, gid(kind, 1), _utc("2026-11-24T09:10:00Z")),
        (subject, gid(kind, 4), _utc("2026-11-24T09:50:00Z")),
    ]
    assert {(r["_tenant_id"], r["_run_id"]) for r in rows} == {("acme", RUN_1)}


def test_inventory_levels_quantities_by_name(spark: SparkSession) -> None:
    level = {
        "id": "gid://shopify/InventoryLevel/523?inventory_item_id=77",
        "item": {"id": gid("InventoryItem", 77)},
        "location": {"id": gid("Location", 3)},
        "quantities": [
            {"name": "available", "quantity": 4},
            {"name": "on_hand", "quantity": 6},
            {"name": "committed", "quantity": 2},
        ],
        "updatedAt": "2026-11-24T09:00:00Z",
    }
    (row,) = _rows(
        tf.transform("inventory_levels", lines(spark, line(level, stream="inventory_levels")))
    )
    assert row["inventory_level_id"] == 523
    assert (row["inventory_item_id"], row["location_id"]) == (
        gid("InventoryItem", 77),
        gid("Location", 3),
    )
    assert (row["available"], row["on_hand"], row["committed"], row["incoming"]) == (4, 6, 2, None)


def test_locations_items_and_customers(spark: SparkSession) -> None:
    location = {
        "id": gid("Location", 3),
        "name": "Depot",
        "isActive": False,
        "address": {"city": "Lyon", "countryCode": "FR"},
        "deactivatedAt": "2026-11-01T00:00:00Z",
        "updatedAt": "2026-11-24T09:00:00Z",
    }
    (loc,) = _rows(tf.transform("locations", lines(spark, line(location, stream="locations"))))
    assert (loc["city"], loc["country_code"], loc["zip"], loc["is_active"]) == (
        "Lyon",
        "FR",
        None,
        False,
    )
    assert loc["deactivated_at"] == _utc("2026-11-01T00:00:00Z")
    item = {
        "id": gid("InventoryItem", 77),
        "unitCost": {"amount": "3.5", "currencyCode": "CAD"},
        "variant": {"id": gid("ProductVariant", 1)},
        "updatedAt": "2026-11-24T09:00:00Z",
    }
    (inv,) = _rows(
        tf.transform("inventory_items", lines(spark, line(item, stream="inventory_items")))
    )
    assert (inv["unit_cost"], inv["unit_cost_currency"], inv["variant_id"]) == (
        Decimal("3.5000"),
        "CAD",
        gid("ProductVariant", 1),
    )
    customer = {
        "id": gid("Customer", 5),
        "defaultEmailAddress": {"emailAddress": "a@example.com", "marketingState": "SUBSCRIBED"},
        "defaultPhoneNumber": None,
        "numberOfOrders": "12",
        "amountSpent": {"amount": "120.00", "currencyCode": "GBP"},
        "updatedAt": "2026-11-24T09:00:00Z",
    }
    (cust,) = _rows(tf.transform("customers", lines(spark, line(customer, stream="customers"))))
    assert (cust["email"], cust["phone"], cust["number_of_orders"]) == ("a@example.com", None, 12)
    assert (cust["amount_spent"], cust["amount_spent_currency"]) == (Decimal("120.0000"), "GBP")


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_table_yields_exactly_its_spec_columns(spark: SparkSession, table: str) -> None:
    spec = TABLES[table]
    df = tf.transform(table, lines(spark, "{}"))
    assert tuple(df.columns) == spec.column_names
    assert df.schema[spec.primary_key].dataType.simpleString() == "string"


def test_line_items_parsed_per_order_keep_each_raw(spark: SparkSession) -> None:
    """The nested list is parsed once per order: a null element, an empty list and extra
    fields change nothing about the other elements, and each keeps its own ``_raw``."""
    items = [
        {"id": gid("LineItem", 1), "name": 'A, "quoted" [x]', "quantity": 1, "extra": {"a": 1}},
        None,
        {"id": gid("LineItem", 2), "name": "B", "quantity": 2},
    ]
    raw = lines(
        spark,
        line({"id": gid("Order", 1), "lineItems": {"nodes": items}}, stream="orders"),
        line({"id": gid("Order", 2), "lineItems": {"nodes": []}}, stream="orders"),
    )
    rows = _rows(tf.transform("order_line_items", raw))
    assert [(r["id"], r["name"], r["quantity"], r["order_id"]) for r in rows] == [
        (gid("LineItem", 1), 'A, "quoted" [x]', 1, gid("Order", 1)),
        (gid("LineItem", 2), "B", 2, gid("Order", 1)),
    ]
    assert json.loads(rows[0]["_raw"]) == items[0]
    assert json.loads(rows[1]["_raw"]) == items[2]


def test_bulk_child_lines_feed_line_items_and_not_orders(spark: SparkSession) -> None:
    parent = line(
        {"id": gid("Order", 7), "name": "#7", "updatedAt": "2026-11-24T09:00:00Z"},
        stream="orders",
    )
    child = line(
        {"id": gid("LineItem", 71), "quantity": 3, "__parentId": gid("Order", 7)},
        stream="orders",
    )
    orphan = line(
        {"id": gid("LineItem", 81), "quantity": 1, "__parentId": gid("Order", 8)},
        stream="orders",
    )
    raw = lines(spark, child, parent, orphan)
    assert tf.has_child_lines(raw)
    assert not tf.has_child_lines(lines(spark, parent))
    assert [r["id"] for r in _rows(tf.transform("orders", raw))] == [gid("Order", 7)]
    items = _rows(tf.transform("order_line_items", raw))
    assert [(r["id"], r["order_id"], r["quantity"]) for r in items] == [
        (gid("LineItem", 71), gid("Order", 7), 3),
        (gid("LineItem", 81), gid("Order", 8), 1),
    ]
    assert items[0]["order_updated_at"] == _utc("2026-11-24T09:00:00Z")
    assert items[1]["order_updated_at"] is None  # parent not in this run
    assert json.loads(items[0]["_raw"])["__parentId"] == gid("Order", 7)


def test_an_order_s_child_connections_go_each_to_its_own_table(spark: SparkSession) -> None:
    """Bulk child lines of several connections (line items, shipping lines, discount
    applications) share ``__parentId``: each table takes its own (by gid or by typename); a
    discount application, which has no id, is keyed by its order and index. A paged order
    carries the same lists nested."""
    order = gid("Order", 7)
    stamp = {"updatedAt": "2026-11-24T09:00:00Z"}
    raw = lines(
        spark,
        line({"id": order, **stamp}, stream="orders"),
        line({"id": gid("LineItem", 71), "quantity": 1, "__parentId": order}, stream="orders"),
        line(
            {"id": gid("ShippingLine", 72), "title": "Post", "__parentId": order}, stream="orders"
        ),
        line(
            {
                "__typename": "DiscountCodeApplication",
                "index": 0,
                "code": "SAVE10",
                "value": {"percentage": 10.0},
                "__parentId": order,
            },
            stream="orders",
        ),
        line(
            {
                "id": gid("Order", 8),
                **stamp,
                "shippingLines": {"nodes": [{"id": gid("ShippingLine", 82), "title": "Air"}]},
                "discountApplications": {
                    "nodes": [
                        {
                            "__typename": "ManualDiscountApplication",
                            "index": 0,
                            "title": "VIP",
                            "value": {"amount": "5.00", "currencyCode": "EUR"},
                        }
                    ]
                },
            },
            stream="orders",
        ),
    )
    items = _rows(tf.transform("order_line_items", raw))
    assert [r["id"] for r in items] == [gid("LineItem", 71)]
    ships = _rows(tf.transform("shipping_lines", raw))
    assert [(r["id"], r["order_id"], r["title"]) for r in ships] == [
        (gid("ShippingLine", 72), order, "Post"),
        (gid("ShippingLine", 82), gid("Order", 8), "Air"),
    ]
    apps = _rows(tf.transform("discount_applications", raw))
    assert [
        (r["id"], r["order_id"], r["type"], r["code"], r["title"], r["value_percentage"],
         r["value_amount"])
        for r in apps
    ] == [
        (f"{order}#0", order, "DiscountCodeApplication", "SAVE10", None, Decimal("10.0000"),
         None),
        (f"{gid('Order', 8)}#0", gid("Order", 8), "ManualDiscountApplication", None, "VIP",
         None, Decimal("5.0000")),
    ]  # fmt: skip


def test_bulk_inventory_levels_are_child_lines(spark: SparkSession) -> None:
    level = {
        "id": "gid://shopify/InventoryLevel/9?inventory_item_id=1",
        "location": {"id": gid("Location", 1)},
        "quantities": [{"name": "available", "quantity": 1}],
        "updatedAt": "2026-11-24T09:00:00Z",
        "__parentId": gid("InventoryItem", 1),
    }
    (row,) = _rows(
        tf.transform("inventory_levels", lines(spark, line(level, stream="inventory_levels")))
    )
    assert (row["inventory_level_id"], row["available"]) == (9, 1)


@pytest.mark.parametrize("table", [t for t, spec in TABLES.items() if not spec.explode])
def test_each_line_is_parsed_once(spark: SparkSession, table: str) -> None:
    """Spark would push the transform's filters below the parse and parse each line once per
    filter (three times for most tables); the plan must hold a single ``from_json``."""
    df = tf.transform(table, lines(spark, line({"id": gid("Product", 1)}, stream="products")))
    plan = df._jdf.queryExecution().executedPlan().toString()
    assert plan.count("from_json(") == 1, plan


def test_line_items_parse_each_order_once(spark: SparkSession) -> None:
    """The order line and, in one go, its list of line items: two parses per order."""
    order = {"id": gid("Order", 1), "lineItems": {"nodes": [{"id": gid("LineItem", 2)}]}}
    df = tf.transform(
        "order_line_items", lines(spark, line(order, stream="orders")), child_lines=False
    )
    plan = df._jdf.queryExecution().executedPlan().toString()
    assert plan.count("from_json(") == 2, plan


def _tax(title: str, rate: float, shop: str, presented: str) -> dict[str, Any]:
    return {
        "title": title,
        "rate": rate,
        "ratePercentage": rate * 100,
        "channelLiable": False,
        "priceSet": {
            "shopMoney": {"amount": shop, "currencyCode": "USD"},
            "presentmentMoney": {"amount": presented, "currencyCode": "EUR"},
        },
    }


def _allocation(application: int, shop: str) -> dict[str, Any]:
    bag = {"amount": shop, "currencyCode": "USD"}
    presented = {**bag, "currencyCode": "EUR"}
    return {
        "allocatedAmountSet": {"shopMoney": bag, "presentmentMoney": presented},
        "discountApplication": {"index": application},
    }


def _money_lines_of(raw: Any) -> dict[str, list[tuple[Any, ...]]]:
    """The three tables of an order's money lines, as (id, parent, kind, place, ...) rows."""
    taxes = _rows(tf.transform("tax_lines", raw))
    allocations = _rows(tf.transform("discount_allocations", raw))
    codes = _rows(tf.transform("order_discount_codes", raw))
    return {
        "tax_lines": [
            (r["id"], r["order_id"], r["parent_id"], r["parent_type"], r["index"], r["title"],
             r["rate"], r["amount"], r["amount_presentment"], r["amount_presentment_currency"])
            for r in taxes
        ],
        "discount_allocations": [
            (r["id"], r["order_id"], r["parent_id"], r["parent_type"], r["index"],
             r["discount_application_index"], r["allocated_amount"])
            for r in allocations
        ],
        "order_discount_codes": [(r["id"], r["order_id"], r["index"], r["code"]) for r in codes],
    }  # fmt: skip


#: One order's money lines, as its paged line and as its bulk lines give them.
_ORDER, _ITEM, _SHIP = gid("Order", 7), gid("LineItem", 71), gid("ShippingLine", 72)
_ITEM_NODE = {
    "id": _ITEM,
    "taxLines": [_tax("State", 0.06, "6.00", "5.50"), _tax("City", 0.015, "1.50", "1.38")],
    "discountAllocations": [_allocation(0, "10.00")],
}
_SHIP_NODE = {
    "id": _SHIP,
    "taxLines": [_tax("State", 0.06, "0.60", "0.55")],
    "discountAllocations": [],
}
_ORDER_NODE = {
    "id": _ORDER,
    "updatedAt": "2026-11-24T09:00:00Z",
    "discountCodes": ["SAVE10", 'quo"te'],
    "taxLines": [_tax("State", 0.06, "6.60", "6.05"), _tax("City", 0.015, "1.50", "1.38")],
}
_EXPECTED = {
    "tax_lines": [
        (f"{_ITEM}#tax0", _ORDER, _ITEM, "line_item", 0, "State", Decimal("0.0600"),
         Decimal("6.0000"), Decimal("5.5000"), "EUR"),
        (f"{_ITEM}#tax1", _ORDER, _ITEM, "line_item", 1, "City", Decimal("0.0150"),
         Decimal("1.5000"), Decimal("1.3800"), "EUR"),
        (f"{_ORDER}#tax0", _ORDER, _ORDER, "order", 0, "State", Decimal("0.0600"),
         Decimal("6.6000"), Decimal("6.0500"), "EUR"),
        (f"{_ORDER}#tax1", _ORDER, _ORDER, "order", 1, "City", Decimal("0.0150"),
         Decimal("1.5000"), Decimal("1.3800"), "EUR"),
        (f"{_SHIP}#tax0", _ORDER, _SHIP, "shipping_line", 0, "State", Decimal("0.0600"),
         Decimal("0.6000"), Decimal("0.5500"), "EUR"),
    ],
    "discount_allocations": [
        (f"{_ITEM}#allocation0", _ORDER, _ITEM, "line_item", 0, 0, Decimal("10.0000")),
    ],
    "order_discount_codes": [
        (f"{_ORDER}#code0", _ORDER, 0, "SAVE10"),
        (f"{_ORDER}#code1", _ORDER, 1, 'quo"te'),
    ],
}  # fmt: skip


def test_money_lines_of_line_items_shipping_lines_and_orders_in_paged_lines(
    spark: SparkSession,
) -> None:
    """A two-level explode: each line item's and shipping line's tax lines and allocations,
    nested in the paged order's connections, beside the order's own tax lines and codes;
    each row keyed by its owner and place, and its ``_raw`` its own JSON."""
    order = {
        **_ORDER_NODE,
        "lineItems": {"nodes": [_ITEM_NODE]},
        "shippingLines": {"nodes": [_SHIP_NODE]},
    }
    raw = lines(spark, line(order, stream="orders"))
    assert _money_lines_of(raw) == _EXPECTED
    taxes = _rows(tf.transform("tax_lines", raw))
    assert json.loads(taxes[0]["_raw"]) == _ITEM_NODE["taxLines"][0]  # type: ignore[index]
    codes = _rows(tf.transform("order_discount_codes", raw))
    assert [json.loads(r["_raw"]) for r in codes] == ["SAVE10", 'quo"te']
    assert {r["order_updated_at"] for r in taxes} == {_utc("2026-11-24T09:00:00Z")}


def test_money_lines_of_bulk_child_lines_equal_the_paged_ones(spark: SparkSession) -> None:
    """In a bulk run the line items and shipping lines are child lines of their own: their
    lists give the same rows, keys and order values (joined from the order's line)."""
    raw = lines(
        spark,
        line({**_ITEM_NODE, "__parentId": _ORDER}, stream="orders"),
        line({**_SHIP_NODE, "__parentId": _ORDER}, stream="orders"),
        line(_ORDER_NODE, stream="orders"),
        line({"__typename": "DiscountCodeApplication", "index": 0, "__parentId": _ORDER},
             stream="orders"),
    )  # fmt: skip
    assert _money_lines_of(raw) == _EXPECTED
    taxes = _rows(tf.transform("tax_lines", raw))
    assert {r["order_updated_at"] for r in taxes} == {_utc("2026-11-24T09:00:00Z")}


def test_a_list_s_place_needs_an_owner_list_not_bulk_child_lines() -> None:
    """A bulk child line is a row of its own, in no list: a table of them has no place."""
    spec = TABLES["order_line_items"]
    place = tf.Column("index", "integer", (), derive="position")
    with pytest.raises(ValueError, match="bulk child lines have no position"):
        replace(spec, columns=(*spec.columns, place))
    with pytest.raises(ValueError, match=r"\['owner'\] need explode"):
        replace(spec, explode=(), columns=(tf.Column("p", "varchar", ("id",), derive="owner"),))


@pytest.mark.parametrize("child_lines", [False, True])
def test_a_table_of_several_lists_reads_its_input_as_often_as_one_of_one(
    spark: SparkSession, child_lines: bool
) -> None:
    """The rows of all of ``tax_lines``' lists (line items', shipping lines', the order's) are
    exploded in one go: the input is scanned as often as for ``order_line_items`` (once per
    shape, and once more for the bulk lines' order values), not once per list."""
    raw = lines(spark, line({**_ORDER_NODE, "lineItems": {"nodes": [_ITEM_NODE]}}, stream="orders"))

    def scans(table: str) -> int:
        df = tf.transform(table, raw, child_lines=child_lines)
        return str(df._jdf.queryExecution().executedPlan().toString()).count("Scan ExistingRDD")

    assert scans("tax_lines") == scans("order_line_items") == (3 if child_lines else 1)


def test_text_too_long_for_redshift_is_cut_at_a_character_and_flagged(
    spark: SparkSession,
) -> None:
    """A title over 65,535 bytes is cut to the last whole character below the limit; NUL is
    removed; a record over the limit keeps a stand-in ``_raw`` (the lake has it whole); each
    row names what was changed in ``_truncated``; quotes, SQL comments, 4-byte characters and
    many decimals pass untouched."""
    limit = tf.MAX_TEXT_BYTES
    # 65,534 ASCII bytes, then a 4-byte character across the limit: the cut leaves it out.
    long_title = "a" * (limit - 1) + "\U0001f600" + "tail"
    tricky = "It's a 'tent'; DROP TABLE products; -- \U0001f3d5\ufe0f /* ok */"
    rows = [
        {"id": gid("Product", 1), "updatedAt": "2026-11-24T09:00:00Z", "title": long_title},
        {"id": gid("Product", 2), "updatedAt": "2026-11-24T09:00:00Z", "title": "nul\x00here"},
        {"id": gid("Product", 3), "updatedAt": "2026-11-24T09:00:00Z", "title": tricky},
        {
            "id": gid("Product", 4),
            "updatedAt": "2026-11-24T09:00:00Z",
            "title": "big",
            "descriptionHtml": "<p>" + "x" * limit + "</p>",
        },
    ]
    df = tf.transform("products", lines(spark, *(line(r, stream="products") for r in rows)))
    cut, nul, fine, big = _rows(df)
    assert cut["title"] == "a" * (limit - 1)
    assert len(cut["title"].encode()) <= limit
    assert cut["_truncated"] == "title,_raw"  # the record is over the limit too
    assert json.loads(cut["_raw"])["_shopsync_omitted"]["bytes"] > limit
    assert nul["title"] == "nulhere"
    assert nul["_truncated"] == "title"
    assert json.loads(nul["_raw"])["title"] == "nul\x00here"  # _raw keeps the original
    assert fine["title"] == tricky
    assert fine["_truncated"] is None
    assert big["description_html"] is not None
    assert len(big["description_html"].encode()) == limit
    assert set(big["_truncated"].split(",")) == {"description_html", "_raw"}
    size = len(line(rows[3], stream="products").encode())
    assert json.loads(big["_raw"]) == {"_shopsync_omitted": {"bytes": size, "limit": limit}}


def test_many_decimals_round_and_null_where_usually_set(spark: SparkSession) -> None:
    order = {
        "id": gid("Order", 1),
        "name": None,
        "updatedAt": "2026-11-24T09:00:00Z",
        "totalPriceSet": {
            **money("12.345678901234", "USD"),
            "presentmentMoney": {"amount": "1e2", "currencyCode": "EUR"},
        },
    }
    (row,) = _rows(tf.transform("orders", lines(spark, line(order, stream="orders"))))
    assert row["total_price"] == Decimal("12.3457")
    assert row["total_price_presentment"] == Decimal("100.0000")
    assert row["name"] is None
    assert row["_truncated"] is None


def test_a_stream_s_tables_parse_its_lines_once_per_group_with_the_same_rows(
    spark: SparkSession,
) -> None:
    """The orders' seven tables parse the lines in two shared parses (a list read as JSON text
    by some tables and as its elements by others cannot share one), and each table's rows from
    its group's parse equal its rows from its own, for paged and bulk lines, lines that are not
    JSON and values of the wrong type (read as null by the table that cannot read them only)."""
    from shopsync.warehouse.specs import tables_for_stream

    groups = tf.shared_parses(tables_for_stream("orders"))
    assert [names for _, names in groups] == [
        ["orders", "order_line_items", "shipping_lines", "discount_applications",
         "order_discount_codes"],
        ["tax_lines", "discount_allocations"],
    ]  # fmt: skip
    order = {
        **_ORDER_NODE,
        "lineItems": {"nodes": [_ITEM_NODE]},
        "shippingLines": {"nodes": [_SHIP_NODE]},
        "name": "#7",
    }
    wrong = {"id": gid("Order", 9), "taxLines": "not a list", "lineItems": 3, "name": "#9"}
    raw = lines(
        spark,
        line(order, stream="orders"),
        line(wrong, stream="orders"),
        line({**_ITEM_NODE, "id": gid("LineItem", 81), "__parentId": gid("Order", 8)},
             stream="orders"),
        line({"id": gid("Order", 8), "updatedAt": "2026-11-24T09:00:00Z"}, stream="orders"),
        "not json",
    )  # fmt: skip
    for schema, names in groups:
        parsed = tf.parsed_lines(raw, schema)
        for table in names:
            alone = _rows(tf.transform(table, raw))
            shared = _rows(tf.transform(table, raw, parsed=parsed))
            assert shared == alone, table
            assert alone or table == "discount_applications", table  # each table has rows
    assert [r["name"] for r in _rows(tf.transform("orders", raw))] == ["#7", None, "#9"]
