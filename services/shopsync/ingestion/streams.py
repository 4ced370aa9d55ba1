"""Stream declarations and incremental windows.

Each raw stream declares its GraphQL document (``shopsync/shopify/queries/<name>.graphql``),
where the connection sits in the response, its primary key, cursor field and search field.
A window is ``<search_field>:>='<cursor - overlap>' AND <search_field>:<='<run start - lag>'``;
the first sync starts at the tenant's ``start_date``; a full snapshot has no window at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from shopsync.fanout.payload import Mode
from shopsync.state.base import Cursor
from shopsync.streams import STREAMS_BY_GROUP, StreamGroup


@dataclass(frozen=True)
class StreamSpec:
    name: str
    document: str
    connection: tuple[str, ...]
    primary_key: str = "id"
    cursor_field: str = "updatedAt"
    search_field: str = "updated_at"
    #: Results come sorted by the cursor field, so a page boundary is a safe partial cursor.
    sorted_by_cursor: bool = True
    #: Fetched whole on every run (small), so every run is a complete snapshot.
    always_full: bool = False
    #: A full fetch holds every live record (false for event logs).
    snapshot_capable: bool = True
    base_query: str | None = None
    #: A nested connection in each node that is completed past its first page with
    #: ``nested_document`` (connection at ``nested_path``), e.g. an order's line items.
    nested: str | None = None
    nested_document: str | None = None
    nested_path: tuple[str, ...] = ()
    #: Land the nested nodes instead of the parents (inventory levels of locations).
    flatten_nested: bool = False
    #: The window's search filters the nested connection (the document puts ``$query`` there),
    #: and ``nested_document`` gets it too; the parents are all listed.
    nested_query: bool = False
    #: The search field that continues a failed bulk operation by paging: bulk results come
    #: in root id order, and the paged document may have other roots (``inventory_item_id``).
    remainder_field: str = "id"
    #: First page size: what fits Shopify's 1000-point single-query limit for this document.
    page_size: int = 250


SPECS: dict[str, StreamSpec] = {
    spec.name: spec
    for spec in (
        StreamSpec("products", "products", ("products",)),
        StreamSpec(
            "product_variants",
            "product_variants",
            ("productVariants",),
            sorted_by_cursor=False,
            page_size=125,
        ),
        StreamSpec(
            "deleted_products",
            "deleted_products",
            ("events",),
            cursor_field="createdAt",
            search_field="created_at",
            snapshot_capable=False,
            base_query="action:destroy AND subject_type:PRODUCT",
        ),
        StreamSpec(
            "locations", "locations", ("locations",), sorted_by_cursor=False, always_full=True
        ),
        StreamSpec(
            "inventory_items", "inventory_items", ("inventoryItems",), sorted_by_cursor=False
        ),
        StreamSpec(
            # Levels by location, filtered on the level's own updatedAt: a quantity change
            # stamps the level, not its inventory item. Every location is listed with the
            # first page of its levels in the window (one request when nothing changed); a
            # location with more is paged through ``location(id:) { inventoryLevels }``.
            # Levels come in id order, not updatedAt order: the cursor moves only once every
            # location is done.
            "inventory_levels",
            "inventory_levels",
            ("locations",),
            sorted_by_cursor=False,
            nested="inventoryLevels",
            nested_document="location_inventory_levels",
            nested_path=("location", "inventoryLevels"),
            flatten_nested=True,
            nested_query=True,
            remainder_field="inventory_item_id",
            page_size=10,
        ),
        StreamSpec(
            "orders",
            "orders",
            ("orders",),
            nested="lineItems",
            nested_document="order_line_items",
            nested_path=("order", "lineItems"),
            page_size=12,
        ),
        StreamSpec("customers", "customers", ("customers",), page_size=125),
    )
}


#: First page sizes of the documents that complete a nested connection.
NESTED_PAGE_SIZES = {"order_line_items": 100, "location_inventory_levels": 140}


def streams_for(groups: tuple[StreamGroup, ...]) -> list[StreamSpec]:
    return [SPECS[name] for group in groups for name in STREAMS_BY_GROUP[group]]


@dataclass(frozen=True)
class Window:
    """What one stream fetches in one run. ``start``/``end`` ``None`` means unbounded."""

    start: datetime | None
    end: datetime | None
    complete_snapshot: bool
    #: The cursor never passes this (run start - lag), even after an unbounded fetch.
    cap: datetime

    def search(self, spec: StreamSpec) -> str | None:
        terms = [spec.base_query] if spec.base_query else []
        if self.start is not None:
            terms.append(f"{spec.search_field}:>='{_iso(self.start)}'")
        if self.end is not None:
            terms.append(f"{spec.search_field}:<='{_iso(self.end)}'")
        return " AND ".join(terms) or None


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def plan_window(
    spec: StreamSpec,
    *,
    mode: Mode,
    cursor: Cursor | None,
    start_date: date,
    run_start: datetime,
    since: datetime | None,
    overlap: timedelta,
    lag: timedelta,
) -> Window:
    """The window for one stream: see the module docstring."""
    end = run_start - lag
    full = mode == "full" or (mode == "resync" and since is None)
    if spec.always_full or (full and spec.snapshot_capable):
        return Window(None, None, complete_snapshot=spec.snapshot_capable, cap=end)
    if full:  # an event log: everything since the backfill floor
        return Window(midnight(start_date), end, complete_snapshot=False, cap=end)
    if mode == "resync" and since is not None:
        return Window(since, end, complete_snapshot=False, cap=end)
    start = cursor.updated_at - overlap if cursor is not None else midnight(start_date)
    return Window(max(start, midnight(start_date)), end, complete_snapshot=False, cap=end)
