"""One spec per warehouse table: columns and types, primary key, cursor, and where each value
comes from in the raw node. The Spark transform, the DuckDB DDL and the Redshift DDL are all
generated from these specs, so the three can never disagree.

Column sources are JSON paths into the node exactly as its stream's declaration
(:mod:`shopsync.streams.declarations`, which names the tables each stream feeds) selects it; a
test fails when a column's path is not selected. Every table also carries :data:`META_COLUMNS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ColumnType = Literal["varchar", "bigint", "integer", "decimal", "boolean", "timestamp", "json"]
#: How a value is derived: a path's value cast to the type; the numeric tail of the gid at the
#: path; the named entry of a ``quantities`` list; a list of strings joined with ``", "``; a
#: path into the parent node of an exploded list (an order line item's order).
Derivation = Literal["path", "gid_number", "quantity", "join", "parent"]

DECIMAL_PRECISION, DECIMAL_SCALE = 20, 4


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    path: tuple[str, ...]
    derive: Derivation = "path"
    #: for ``quantity``: the quantity name (``available``, ``on_hand``...)
    arg: str | None = None


@dataclass(frozen=True)
class TableSpec:
    name: str
    #: the raw stream whose parts feed this table
    stream: str
    columns: tuple[Column, ...]
    primary_key: str = "id"
    cursor: str = "updated_at"
    #: the nested list of the stream's node that holds this table's rows (order line items)
    explode: tuple[str, ...] = ()
    #: column of this table that holds the deleted product's gid (soft delete on deletion)
    deleted_product_key: str | None = None
    #: rows arrive as bulk child lines (``__parentId`` set) and are kept; other tables drop
    #: child lines, which belong to a nested table (an order's line items)
    child_rows: bool = False

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns) + tuple(c for c, _ in META_COLUMNS)

    def column_types(self) -> list[tuple[str, ColumnType]]:
        return [(c.name, c.type) for c in self.columns] + list(META_COLUMNS)


META_COLUMNS: tuple[tuple[str, ColumnType], ...] = (
    ("_tenant_id", "varchar"),
    ("_run_id", "varchar"),
    ("_synced_at", "timestamp"),
    ("_deleted_at", "timestamp"),
    ("_raw", "json"),
)


def _c(name: str, type_: ColumnType, *path: str) -> Column:
    return Column(name, type_, tuple(path))


def _gid(name: str, *path: str) -> Column:
    return _c(name, "varchar", *path, "id")


def _number(name: str) -> Column:
    return Column(name, "bigint", ("id",), derive="gid_number")


def _money(name: str, *path: str) -> tuple[Column, Column]:
    return (
        _c(name, "decimal", *path, "amount"),
        _c(f"{name}_currency", "varchar", *path, "currencyCode"),
    )


def _quantity(name: str) -> Column:
    return Column(name, "integer", ("quantities",), derive="quantity", arg=name)


_STAMPS = (_c("created_at", "timestamp", "createdAt"), _c("updated_at", "timestamp", "updatedAt"))

PRODUCTS = TableSpec(
    "products",
    "products",
    (
        _c("id", "varchar", "id"),
        _number("product_id"),
        _c("title", "varchar", "title"),
        _c("handle", "varchar", "handle"),
        _c("status", "varchar", "status"),
        _c("vendor", "varchar", "vendor"),
        _c("product_type", "varchar", "productType"),
        Column("tags", "varchar", ("tags",), derive="join"),
        _c("description_html", "varchar", "descriptionHtml"),
        _c("total_inventory", "integer", "totalInventory"),
        _c("tracks_inventory", "boolean", "tracksInventory"),
        *_STAMPS,
        _c("published_at", "timestamp", "publishedAt"),
    ),
    deleted_product_key="id",
)

PRODUCT_VARIANTS = TableSpec(
    "product_variants",
    "product_variants",
    (
        _c("id", "varchar", "id"),
        _number("variant_id"),
        _gid("product_id", "product"),
        _gid("inventory_item_id", "inventoryItem"),
        _c("title", "varchar", "title"),
        _c("display_name", "varchar", "displayName"),
        _c("sku", "varchar", "sku"),
        _c("barcode", "varchar", "barcode"),
        _c("price", "decimal", "price"),
        _c("compare_at_price", "decimal", "compareAtPrice"),
        _c("position", "integer", "position"),
        _c("taxable", "boolean", "taxable"),
        _c("inventory_policy", "varchar", "inventoryPolicy"),
        _c("inventory_quantity", "integer", "inventoryQuantity"),
        _c("selected_options", "json", "selectedOptions"),
        *_STAMPS,
    ),
    deleted_product_key="product_id",
)

INVENTORY_ITEMS = TableSpec(
    "inventory_items",
    "inventory_items",
    (
        _c("id", "varchar", "id"),
        _number("inventory_item_id"),
        _gid("variant_id", "variant"),
        _c("sku", "varchar", "sku"),
        _c("tracked", "boolean", "tracked"),
        _c("requires_shipping", "boolean", "requiresShipping"),
        _c("country_code_of_origin", "varchar", "countryCodeOfOrigin"),
        _c("harmonized_system_code", "varchar", "harmonizedSystemCode"),
        *_money("unit_cost", "unitCost"),
        *_STAMPS,
    ),
)

INVENTORY_LEVELS = TableSpec(
    "inventory_levels",
    "inventory_levels",
    (
        _c("id", "varchar", "id"),
        _number("inventory_level_id"),
        _gid("inventory_item_id", "item"),
        _gid("location_id", "location"),
        _quantity("available"),
        _quantity("on_hand"),
        _quantity("committed"),
        _quantity("incoming"),
        *_STAMPS,
    ),
    child_rows=True,
)

LOCATIONS = TableSpec(
    "locations",
    "locations",
    (
        _c("id", "varchar", "id"),
        _number("location_id"),
        _c("name", "varchar", "name"),
        _c("is_active", "boolean", "isActive"),
        _c("fulfills_online_orders", "boolean", "fulfillsOnlineOrders"),
        _c("ships_inventory", "boolean", "shipsInventory"),
        _c("address1", "varchar", "address", "address1"),
        _c("address2", "varchar", "address", "address2"),
        _c("city", "varchar", "address", "city"),
        _c("province", "varchar", "address", "province"),
        _c("province_code", "varchar", "address", "provinceCode"),
        _c("country", "varchar", "address", "country"),
        _c("country_code", "varchar", "address", "countryCode"),
        _c("zip", "varchar", "address", "zip"),
        *_STAMPS,
        _c("deactivated_at", "timestamp", "deactivatedAt"),
    ),
)

ORDERS = TableSpec(
    "orders",
    "orders",
    (
        _c("id", "varchar", "id"),
        _number("order_id"),
        _c("name", "varchar", "name"),
        _c("email", "varchar", "email"),
        _c("test", "boolean", "test"),
        _gid("customer_id", "customer"),
        _c("currency_code", "varchar", "currencyCode"),
        _c("financial_status", "varchar", "displayFinancialStatus"),
        _c("fulfillment_status", "varchar", "displayFulfillmentStatus"),
        *_money("subtotal_price", "subtotalPriceSet", "shopMoney"),
        *_money("total_price", "totalPriceSet", "shopMoney"),
        *_money("total_tax", "totalTaxSet", "shopMoney"),
        *_STAMPS,
        _c("processed_at", "timestamp", "processedAt"),
        _c("cancelled_at", "timestamp", "cancelledAt"),
        _c("closed_at", "timestamp", "closedAt"),
    ),
)

#: Line items have no timestamps of their own: their cursor is the order's ``updatedAt``
#: (``order_updated_at``, taken from the parent), and ``order_id`` links them.
ORDER_LINE_ITEMS = TableSpec(
    "order_line_items",
    "orders",
    (
        _c("id", "varchar", "id"),
        _number("line_item_id"),
        Column("order_id", "varchar", ("id",), derive="parent"),
        _gid("variant_id", "variant"),
        _gid("product_id", "product"),
        _c("name", "varchar", "name"),
        _c("sku", "varchar", "sku"),
        _c("quantity", "integer", "quantity"),
        _c("current_quantity", "integer", "currentQuantity"),
        *_money("original_unit_price", "originalUnitPriceSet", "shopMoney"),
        *_money("discounted_total", "discountedTotalSet", "shopMoney"),
        Column("order_updated_at", "timestamp", ("updatedAt",), derive="parent"),
    ),
    cursor="order_updated_at",
    explode=("lineItems", "nodes"),
)

CUSTOMERS = TableSpec(
    "customers",
    "customers",
    (
        _c("id", "varchar", "id"),
        _number("customer_id"),
        _c("first_name", "varchar", "firstName"),
        _c("last_name", "varchar", "lastName"),
        _c("display_name", "varchar", "displayName"),
        _c("email", "varchar", "defaultEmailAddress", "emailAddress"),
        _c("email_marketing_state", "varchar", "defaultEmailAddress", "marketingState"),
        _c("phone", "varchar", "defaultPhoneNumber", "phoneNumber"),
        _c("state", "varchar", "state"),
        Column("tags", "varchar", ("tags",), derive="join"),
        _c("note", "varchar", "note"),
        _c("verified_email", "boolean", "verifiedEmail"),
        _c("tax_exempt", "boolean", "taxExempt"),
        _c("number_of_orders", "bigint", "numberOfOrders"),
        *_money("amount_spent", "amountSpent"),
        *_STAMPS,
    ),
)

TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in (
        PRODUCTS,
        PRODUCT_VARIANTS,
        INVENTORY_ITEMS,
        INVENTORY_LEVELS,
        LOCATIONS,
        ORDERS,
        ORDER_LINE_ITEMS,
        CUSTOMERS,
    )
}

#: The stream of product deletion events: soft-deletes products and their variants.
DELETED_PRODUCTS_STREAM = "deleted_products"
#: What the deletions read of each of its events (``subjectId``: the deleted product's gid).
DELETION_EVENT_FIELDS = ("id", "action", "createdAt", "subjectId", "subjectType")


def tables_for_stream(stream: str) -> list[TableSpec]:
    return [t for t in TABLES.values() if t.stream == stream]
