"""One declaration per stream: everything shopsync knows about it, in one place.

A declaration names the stream, its group (what a tenant file asks for), the GraphQL type of
the records it lands and their fields (a fragment's selection), where Shopify lists them, its
cursor and whether results come sorted by it, its primary key, the nested connections landed
with each record, the warehouse tables it feeds (:data:`shopsync.warehouse.specs.TABLES`) and
the access scopes it needs. The paged documents, the documents that complete a nested
connection and the bulk queries are all generated from it (:mod:`shopsync.streams.documents`),
so they always select the same fields; ingestion's :class:`~shopsync.extract.streams.StreamSpec`
is derived from it too. A test ties the declarations to the table specs: every column path is
selected.

Adding a stream means: its declaration here, the simulator's data for it, and tests.

This module is plain data: it imports nothing (the scheduler and the tenant models read it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

StreamGroup = Literal["products", "inventory", "orders", "customers"]
STREAM_GROUPS: tuple[StreamGroup, ...] = get_args(StreamGroup)


@dataclass(frozen=True)
class Child:
    """A connection inside each landed record, landed with it: an order's line items.

    A paged fetch asks for the first ``first`` nodes with each page of records and completes a
    record with more through ``<record>(id:) { <field>(first:, after:) }`` (first page size
    ``page_size``); a bulk operation lands them as child lines (``__parentId``).
    """

    field: str
    node_type: str
    #: The selection of each node, as in a fragment on ``node_type``.
    fields: str
    first: int
    page_size: int


@dataclass(frozen=True)
class Parents:
    """The records a stream's nodes are listed under when it lands the nodes of a nested
    connection (inventory levels per location) rather than those of a root connection. The
    parents are listed, never landed."""

    #: The root connection that lists the parents.
    root: str
    node_type: str
    #: The parents' connection that holds the stream's nodes.
    connection: str
    #: What else each parent selects (besides ``connection``).
    fields: str = "id"
    #: Constant arguments of ``root`` (GraphQL syntax), e.g. ``includeInactive: true``.
    arguments: str = ""
    #: Paged: the connection's nodes asked for with each page of parents, and the first page
    #: size of the document that completes one parent's connection.
    first: int = 0
    page_size: int = 0


@dataclass(frozen=True)
class StreamDeclaration:
    #: The stream's name: raw parts land under ``stream=<name>/``.
    name: str
    group: StreamGroup
    #: The GraphQL type of the landed records.
    node_type: str
    #: The selection of each landed record (a fragment's body on ``node_type``): exactly what
    #: lands, whether paged or bulk.
    fields: str
    #: The access scopes the stream's documents need (checked against Shopify's schemas).
    scopes: tuple[str, ...]
    #: The warehouse tables it feeds (:data:`shopsync.warehouse.specs.TABLES`).
    tables: tuple[str, ...] = ()
    #: The root connection that lists the records, unless they are listed under ``parents``.
    root: str | None = None
    #: Constant arguments of ``root`` (GraphQL syntax), e.g. ``includeInactive: true``.
    arguments: str = ""
    #: Paged: the parents the records are listed under; the window filters the records.
    parents: Parents | None = None
    #: Bulk: the parents the records are listed under (all of a parent's records are landed;
    #: the window filters the parents). ``None``: the bulk query lists ``root``.
    bulk_parents: Parents | None = None
    children: tuple[Child, ...] = ()
    primary_key: str = "id"
    cursor_field: str = "updatedAt"
    #: The search syntax's name for the cursor field (the window's filter).
    search_field: str = "updated_at"
    #: The ``sortKey`` that returns records sorted by the cursor field, so a page boundary is a
    #: safe partial cursor; ``None``: unsorted (the cursor moves only when the stream finished).
    sort_key: str | None = None
    #: A search term every request carries.
    base_query: str | None = None
    #: Fetched whole on every run (small), so every run is a complete snapshot.
    always_full: bool = False
    #: A full fetch holds every live record (false for event logs).
    snapshot_capable: bool = True
    #: Full syncs and large windows may use a bulk operation.
    bulk: bool = True
    #: The search field that continues a failed bulk operation by paging: bulk results come
    #: in root id order, and the paged listing may have other roots (``inventory_item_id``).
    remainder_field: str = "id"
    #: First page size: what fits Shopify's 1000-point single-query limit for this document.
    page_size: int = 250

    def __post_init__(self) -> None:
        if (self.root is None) == (self.parents is None):
            raise ValueError(f"{self.name}: exactly one of root and parents")
        if self.bulk_parents is not None and self.parents is None:
            raise ValueError(f"{self.name}: bulk_parents needs parents")
        if self.bulk and self.parents is not None and self.bulk_parents is None:
            raise ValueError(f"{self.name}: a bulk query under parents needs bulk_parents")
        if self.parents is not None and self.children:
            raise ValueError(f"{self.name}: records listed under parents have no children")
        if len(self.children) > 1:
            raise ValueError(f"{self.name}: at most one child connection is completed")

    @property
    def sorted_by_cursor(self) -> bool:
        return self.sort_key is not None


PRODUCTS = StreamDeclaration(
    name="products",
    group="products",
    node_type="Product",
    root="products",
    sort_key="UPDATED_AT",
    scopes=("read_products",),
    tables=("products",),
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
    tables=("product_variants",),
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

#: Product deletions: the event log soft-deletes products and their variants in the warehouse
#: (``shopsync_glue.transform.product_deletions``).
DELETED_PRODUCTS = StreamDeclaration(
    name="deleted_products",
    group="products",
    node_type="Event",
    root="events",
    sort_key="CREATED_AT",
    cursor_field="createdAt",
    search_field="created_at",
    base_query="action:destroy AND subject_type:PRODUCT",
    snapshot_capable=False,
    bulk=False,
    scopes=(),  # Shopify's schema asks no scope for events
    fields="""
        id
        action
        createdAt
        message
        ... on BasicEvent { subjectId subjectType }
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
    tables=("locations",),
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

INVENTORY_ITEMS = StreamDeclaration(
    name="inventory_items",
    group="inventory",
    node_type="InventoryItem",
    root="inventoryItems",
    scopes=("read_products",),
    tables=("inventory_items",),
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
    tables=("inventory_levels",),
    fields="""
        id
        item { id }
        location { id }
        quantities(names: ["available", "on_hand", "committed", "incoming"]) { name quantity }
        createdAt
        updatedAt
    """,
)

ORDERS = StreamDeclaration(
    name="orders",
    group="orders",
    node_type="Order",
    root="orders",
    sort_key="UPDATED_AT",
    page_size=12,
    scopes=("read_orders", "read_customers", "read_products"),
    tables=("orders", "order_line_items"),
    fields="""
        id
        legacyResourceId
        name
        email
        test
        createdAt
        updatedAt
        processedAt
        cancelledAt
        closedAt
        currencyCode
        displayFinancialStatus
        displayFulfillmentStatus
        subtotalPriceSet { shopMoney { amount currencyCode } }
        totalPriceSet { shopMoney { amount currencyCode } }
        totalTaxSet { shopMoney { amount currencyCode } }
        customer { id }
    """,
    children=(
        Child(
            field="lineItems",
            node_type="LineItem",
            first=5,
            page_size=100,
            fields="""
                id
                name
                sku
                quantity
                currentQuantity
                variant { id }
                product { id }
                originalUnitPriceSet { shopMoney { amount currencyCode } }
                discountedTotalSet { shopMoney { amount currencyCode } }
            """,
        ),
    ),
)

CUSTOMERS = StreamDeclaration(
    name="customers",
    group="customers",
    node_type="Customer",
    root="customers",
    sort_key="UPDATED_AT",
    page_size=125,
    scopes=("read_customers",),
    tables=("customers",),
    fields="""
        id
        legacyResourceId
        firstName
        lastName
        displayName
        defaultEmailAddress { emailAddress marketingState }
        defaultPhoneNumber { phoneNumber }
        state
        tags
        note
        verifiedEmail
        taxExempt
        numberOfOrders
        amountSpent { amount currencyCode }
        createdAt
        updatedAt
    """,
)

#: Every stream, in the order a run fetches them (within a group).
DECLARATIONS: tuple[StreamDeclaration, ...] = (
    PRODUCTS,
    PRODUCT_VARIANTS,
    DELETED_PRODUCTS,
    LOCATIONS,
    INVENTORY_ITEMS,
    INVENTORY_LEVELS,
    ORDERS,
    CUSTOMERS,
)
BY_NAME: dict[str, StreamDeclaration] = {d.name: d for d in DECLARATIONS}
