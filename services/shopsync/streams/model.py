"""What a stream declaration holds: everything shopsync knows about a stream, in one place.

A declaration names the stream, its group (what a tenant file asks for), the GraphQL type of
the records it lands and their fields (a fragment's selection), where Shopify lists them, its
cursor and whether results come sorted by it, its primary key, the nested connections landed
with each record, the warehouse tables it feeds (their :class:`~.tables.TableSpec`) and the
access scopes it needs. The paged documents, the documents that complete a nested
connection and the bulk queries are all generated from it (:mod:`shopsync.streams.documents`),
so they always select the same fields; ingestion's :class:`~shopsync.extract.streams.StreamSpec`
is derived from it too, and so are the warehouse's tables (:data:`shopsync.warehouse.specs.TABLES`).
A test ties each declaration to its table specs: every column path is selected.

Adding a stream means: its declaration in its group's module (:mod:`.products`,
:mod:`.inventory`, :mod:`.orders`, :mod:`.customers`, listed in :mod:`.declarations`), the
simulator's data for it, and tests. Nothing else.

Plain data: it imports only :mod:`.tables` (the scheduler and the tenant models read it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from .tables import TableSpec

StreamGroup = Literal["products", "inventory", "orders", "customers"]
STREAM_GROUPS: tuple[StreamGroup, ...] = get_args(StreamGroup)


@dataclass(frozen=True)
class Child:
    """A connection inside each landed record, landed with it: an order's line items.

    A paged fetch asks for the first ``first`` nodes with each page of records and completes a
    record with more through ``<record>(id:) { <field>(first:, after:) }`` (first page size
    ``page_size``); a bulk operation lands them as child lines (``__parentId``).

    A details stream's child may ask few nodes with every record (``first``: what most records
    have, so a batch holds more records) and fetch the records that have more again in batches
    of their own (``nodes(ids:)``, ``more_first`` nodes each, ``more_page_size`` records per
    request) rather than one request per record; only a record with more than ``more_first``
    is then completed by its own document.
    """

    field: str
    node_type: str
    #: The selection of each node, as in a fragment on ``node_type``.
    fields: str
    first: int
    page_size: int
    #: A details stream: the nodes asked again, in batches, of a record that had more than
    #: ``first`` (0: such a record is completed by its own document straight away).
    more_first: int = 0
    #: The records per request of those batches (held under Shopify's limit by a test).
    more_page_size: int = 0

    def __post_init__(self) -> None:
        if self.more_first and not (self.first < self.more_first and self.more_page_size > 0):
            raise ValueError(f"{self.field}: more_first exceeds first, with a more_page_size")


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
class DetailsOf:
    """A details stream's records are the objects another stream's records list by id (an
    order's refunds): Shopify's bulk operations refuse a connection inside a list field, so
    their connections are fetched by id, in batches (``nodes(ids:)``), after that stream landed.
    """

    #: The stream whose landed records list the ids.
    stream: str
    #: In each of its records: the list (first step) and the id in each element (the rest).
    ids: tuple[str, ...]


@dataclass(frozen=True)
class Deletes:
    """A deletions stream lands Shopify's destroy events of one subject type; the load
    soft-deletes the rows of every table deleted with that subject
    (:attr:`~.tables.TableSpec.deleted_with`)."""

    #: Shopify's ``EventSubjectType``: ``PRODUCT``, ``ORDER``, ``CUSTOMER``.
    subject: str
    #: The stream that lands the subject's records (an earlier stream of the same group).
    stream: str
    #: The scope that reads the subject. Shopify's schemas ask none for ``events``, but without
    #: it the warehouse holds none of the subject's rows, and whether Shopify lists the events of
    #: a resource the app may not read is not documented: a run skips the stream without it.
    subject_scope: str


@dataclass(frozen=True)
class CappedList:
    """A plain list in each landed record that Shopify caps at ``first`` and does not page
    (``Order.transactions(first:)``, ``refunds``, ``fulfillments``): a record whose list came
    back with ``first`` entries may have more, so it is asked again by id with ``more_first``
    (``page_size`` records per request, held under the single-query limit by a test) and
    landed again, whole, in the same stream."""

    field: str
    first: int
    more_first: int
    page_size: int

    def __post_init__(self) -> None:
        if not 0 < self.first < self.more_first or self.page_size < 1:
            raise ValueError(f"{self.field}: 0 < first < more_first and a page size, please")

    @property
    def asked(self) -> str:
        """How the stream's fields ask for the list."""
        return f"{self.field}(first: {self.first})"


@dataclass(frozen=True)
class ScopedFields:
    """Fields that need a scope besides the stream's own: a fulfillment's ``location`` needs
    ``read_locations`` (or another scope that reads a location) on top of ``read_orders``.

    A store that granted it gets them (every document of the stream comes in a second
    variant, generated with them: :mod:`.variants`); a store that did not still gets the rest
    of the stream, and the columns read from these fields are null for it. A store is never
    asked for a field its token cannot read, since Shopify answers that with ``ACCESS_DENIED``.
    """

    #: Names the variant's documents: ``<document>_with_<tag>``.
    tag: str
    #: The scope (or an :func:`~.scopes.any_of` requirement) the fields need.
    requirement: str
    #: The selection added, as in a fragment.
    fields: str
    #: Where it is added: the record itself (``()``), a field of it (``("fulfillments",)``,
    #: nested fields one step each), or a child connection's nodes (its ``field`` first).
    within: tuple[str, ...] = ()


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
    #: The warehouse tables it feeds, each from this stream's landed records.
    tables: tuple[TableSpec, ...] = ()
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
    #: A details stream: the ids per request (its cost is held under the limit by a test).
    page_size: int = 250
    #: A details stream: the records are fetched by the ids another stream's records list; it
    #: has no root, parents, bulk query or cursor of its own (it covers that stream's window),
    #: and each of its ``children`` is completed past its first page by a document of its own.
    details_of: DetailsOf | None = None
    #: A deletions stream: the subject whose destroy events it lands (an event log).
    deletes: Deletes | None = None
    #: A plain list of each record that is asked again for the records that filled it.
    capped: CappedList | None = None
    #: Fields asked only of the stores that granted their scope (:class:`ScopedFields`).
    scoped: tuple[ScopedFields, ...] = ()
    #: The variant of the stream's documents: ``""`` as declared, ``_with_<tag>...`` with
    #: scoped fields (:func:`.variants.variants`); every document name ends with it.
    variant: str = ""

    def __post_init__(self) -> None:
        if self.details_of is not None:
            self._check_details()
        elif (self.root is None) == (self.parents is None):
            raise ValueError(f"{self.name}: exactly one of root and parents")
        if self.bulk_parents is not None and self.parents is None:
            raise ValueError(f"{self.name}: bulk_parents needs parents")
        if self.bulk and self.parents is not None and self.bulk_parents is None:
            raise ValueError(f"{self.name}: a bulk query under parents needs bulk_parents")
        if self.parents is not None and self.children:
            raise ValueError(f"{self.name}: records listed under parents have no children")
        if self.deletes is not None and (self.tables or self.snapshot_capable):
            raise ValueError(f"{self.name}: a deletions stream is an event log with no table")
        if self.capped is not None and self.fields.count(self.capped.asked) != 1:
            raise ValueError(f"{self.name}: its fields ask {self.capped.asked} once")
        if self.details_of is None and any(c.more_first for c in self.children):
            raise ValueError(f"{self.name}: only a details stream's children ask again in batches")
        for table in self.tables:
            if table.stream != self.name:
                raise ValueError(f"{self.name}: table {table.name} is fed by {table.stream}")

    def _check_details(self) -> None:
        details = self.details_of
        assert details is not None
        if self.root is not None or self.parents is not None or self.bulk_parents is not None:
            raise ValueError(f"{self.name}: a details stream has no root or parents")
        if self.bulk:
            raise ValueError(f"{self.name}: a details stream has no bulk query")
        if len(details.ids) < 2:
            raise ValueError(f"{self.name}: details_of.ids names a list and the id in it")

    @property
    def sorted_by_cursor(self) -> bool:
        return self.sort_key is not None
