"""The ``products`` group: the catalogue, its variants, and product deletions."""

from __future__ import annotations

from .deletions import deletions_stream
from .model import StreamDeclaration
from .tables import STAMPS, Column, DeletedWith, TableSpec, col, gid, number

PRODUCTS = StreamDeclaration(
    name="products",
    group="products",
    node_type="Product",
    root="products",
    sort_key="UPDATED_AT",
    scopes=("read_products",),
    tables=(
        TableSpec(
            "products",
            "products",
            (
                col("id", "varchar", "id"),
                number("product_id"),
                col("title", "varchar", "title"),
                col("handle", "varchar", "handle"),
                col("status", "varchar", "status"),
                col("vendor", "varchar", "vendor"),
                col("product_type", "varchar", "productType"),
                Column("tags", "varchar", ("tags",), derive="join"),
                col("description_html", "varchar", "descriptionHtml"),
                col("total_inventory", "integer", "totalInventory"),
                col("tracks_inventory", "boolean", "tracksInventory"),
                *STAMPS,
                col("published_at", "timestamp", "publishedAt"),
            ),
            deleted_with=DeletedWith("PRODUCT"),
        ),
    ),
    fields="""
        id
        legacyResourceId
        title
        handle
        status
        vendor
        productType
        tags
        descriptionHtml
        totalInventory
        tracksInventory
        createdAt
        updatedAt
        publishedAt
    """,
)

PRODUCT_VARIANTS = StreamDeclaration(
    name="product_variants",
    group="products",
    node_type="ProductVariant",
    root="productVariants",
    scopes=("read_products",),
    tables=(
        TableSpec(
            "product_variants",
            "product_variants",
            (
                col("id", "varchar", "id"),
                number("variant_id"),
                gid("product_id", "product"),
                gid("inventory_item_id", "inventoryItem"),
                col("title", "varchar", "title"),
                col("display_name", "varchar", "displayName"),
                col("sku", "varchar", "sku"),
                col("barcode", "varchar", "barcode"),
                col("price", "decimal", "price"),
                col("compare_at_price", "decimal", "compareAtPrice"),
                col("position", "integer", "position"),
                col("taxable", "boolean", "taxable"),
                col("inventory_policy", "varchar", "inventoryPolicy"),
                col("inventory_quantity", "integer", "inventoryQuantity"),
                col("selected_options", "json", "selectedOptions"),
                *STAMPS,
            ),
            deleted_with=DeletedWith("PRODUCT", "product_id"),
        ),
    ),
    page_size=125,
    fields="""
        id
        legacyResourceId
        title
        displayName
        sku
        barcode
        price
        compareAtPrice
        position
        taxable
        inventoryPolicy
        inventoryQuantity
        selectedOptions { name value }
        product { id }
        inventoryItem { id }
        createdAt
        updatedAt
    """,
)

#: Product deletions: the event log soft-deletes products, their variants, inventory items and
#: levels in the warehouse.
DELETED_PRODUCTS = deletions_stream(
    "deleted_products", "products", "PRODUCT", of="products", subject_scope="read_products"
)
