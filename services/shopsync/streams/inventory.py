"""The ``inventory`` group: inventory items, their levels by location, and the locations."""

from __future__ import annotations

from .model import Parents, StreamDeclaration
from .tables import STAMPS, DeletedWith, TableSpec, col, gid, money, number, quantity

#: A deleted product takes its variants' inventory items, and their levels (Shopify deletes them
#: too, and an incremental sync never sees them go).
VARIANT_PRODUCT = ("product_variants", "product_id")

INVENTORY_ITEMS = StreamDeclaration(
    name="inventory_items",
    group="inventory",
    node_type="InventoryItem",
    root="inventoryItems",
    scopes=("read_products",),
    tables=(
        TableSpec(
            "inventory_items",
            "inventory_items",
            (
                col("id", "varchar", "id"),
                number("inventory_item_id"),
                gid("variant_id", "variant"),
                col("sku", "varchar", "sku"),
                col("tracked", "boolean", "tracked"),
                col("requires_shipping", "boolean", "requiresShipping"),
                col("country_code_of_origin", "varchar", "countryCodeOfOrigin"),
                col("harmonized_system_code", "varchar", "harmonizedSystemCode"),
                *money("unit_cost", "unitCost"),
                *STAMPS,
            ),
            deleted_with=DeletedWith("PRODUCT", "variant_id", via=(VARIANT_PRODUCT,)),
        ),
    ),
    fields="""
        id
        legacyResourceId
        sku
        tracked
        requiresShipping
        countryCodeOfOrigin
        harmonizedSystemCode
        unitCost { amount currencyCode }
        variant { id }
        createdAt
        updatedAt
    """,
)

#: Levels by location, filtered on the level's own updatedAt: a quantity change stamps the
#: level, not its inventory item. Every location is listed with the first page of its levels in
#: the window (one request when nothing changed); a location with more is paged through
#: ``location(id:) { inventoryLevels }``. Levels come in id order, not updatedAt order: the
#: cursor moves only once every location is done. A bulk query lists the inventory items (in
#: the window) with all their levels instead.
INVENTORY_LEVELS = StreamDeclaration(
    name="inventory_levels",
    group="inventory",
    node_type="InventoryLevel",
    parents=Parents(
        root="locations",
        node_type="Location",
        connection="inventoryLevels",
        arguments="includeInactive: true",
        first=12,
        page_size=140,
    ),
    bulk_parents=Parents(
        root="inventoryItems",
        node_type="InventoryItem",
        connection="inventoryLevels",
        fields="id updatedAt",
    ),
    remainder_field="inventory_item_id",
    page_size=10,
    scopes=("read_inventory", "read_locations"),
    tables=(
        TableSpec(
            "inventory_levels",
            "inventory_levels",
            (
                col("id", "varchar", "id"),
                number("inventory_level_id"),
                gid("inventory_item_id", "item"),
                gid("location_id", "location"),
                quantity("available"),
                quantity("on_hand"),
                quantity("committed"),
                quantity("incoming"),
                *STAMPS,
            ),
            child_rows=True,
            deleted_with=DeletedWith(
                "PRODUCT",
                "inventory_item_id",
                via=(("inventory_items", "variant_id"), VARIANT_PRODUCT),
            ),
        ),
    ),
    fields="""
        id
        item { id }
        location { id }
        quantities(names: ["available", "on_hand", "committed", "incoming"]) { name quantity }
        createdAt
        updatedAt
    """,
)

LOCATIONS = StreamDeclaration(
    name="locations",
    group="inventory",
    node_type="Location",
    root="locations",
    arguments="includeInactive: true",
    always_full=True,
    bulk=False,
    scopes=("read_locations",),
    tables=(
        TableSpec(
            "locations",
            "locations",
            (
                col("id", "varchar", "id"),
                number("location_id"),
                col("name", "varchar", "name"),
                col("is_active", "boolean", "isActive"),
                col("fulfills_online_orders", "boolean", "fulfillsOnlineOrders"),
                col("ships_inventory", "boolean", "shipsInventory"),
                col("address1", "varchar", "address", "address1"),
                col("address2", "varchar", "address", "address2"),
                col("city", "varchar", "address", "city"),
                col("province", "varchar", "address", "province"),
                col("province_code", "varchar", "address", "provinceCode"),
                col("country", "varchar", "address", "country"),
                col("country_code", "varchar", "address", "countryCode"),
                col("zip", "varchar", "address", "zip"),
                *STAMPS,
                col("deactivated_at", "timestamp", "deactivatedAt"),
            ),
        ),
    ),
    fields="""
        id
        legacyResourceId
        name
        isActive
        fulfillsOnlineOrders
        shipsInventory
        address {
          address1
          address2
          city
          province
          provinceCode
          country
          countryCode
          zip
        }
        createdAt
        updatedAt
        deactivatedAt
    """,
)
