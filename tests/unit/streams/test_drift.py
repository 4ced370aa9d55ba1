"""The drift test: for every stream, the paged document, the document completing its nested
connection and the bulk query select the same fields of the records it lands, and every column
path of the warehouse tables it feeds is among them.

All of a stream's documents are generated from its declaration, so they agree by construction;
this test holds them to it, and the tests at the end show it fails when a field goes missing
from one side (a document or a declaration changed by hand).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from shopsync.streams import DECLARATIONS, StreamDeclaration
from shopsync.streams.declarations import (
    BY_NAME,
    CUSTOMERS,
    DELETED_PRODUCTS,
    INVENTORY_LEVELS,
    ORDERS,
    REFUND_DETAILS,
)
from shopsync.streams.documents import (
    bulk_document,
    completing_document,
    nested_connections,
    nested_document,
    paged_document,
)
from shopsync.streams.documents import nested as nested_connection
from shopsync.streams.variants import variants
from shopsync.warehouse.specs import DELETION_EVENT_FIELDS, TABLES, TableSpec

from .selections import Selected, records

#: Every variant of every stream (:mod:`shopsync.streams.variants`).
EVERY = [v for d in DECLARATIONS for v in variants(d)]


def _landed_in(stream: StreamDeclaration, bulk: bool) -> tuple[str, ...]:
    """Where the landed records sit below the listed ones (inventory levels in locations)."""
    parents = stream.bulk_parents if bulk else stream.parents
    return (parents.connection,) if parents is not None else ()


def document_drift(
    stream: StreamDeclaration, paged: str, bulk: str | None, nested: str | None
) -> list[str]:
    """Fields of the landed records that one of the stream's documents selects and another
    does not (in the same order, with the same arguments)."""
    problems: list[str] = []
    landed = records(paged, *_landed_in(stream, bulk=False)).paths()
    found = nested_connection(stream)
    if nested is not None and found is not None:
        connection = found.field
        # The completing document pages the nested connection of one record (or parent).
        prefix = f"{connection}[]." if stream.parents is None else ""
        in_paged = [p.removeprefix(prefix) for p in landed if p.startswith(prefix)]
        completed = records(nested, connection).paths()
        problems += _differences(stream.name, "paged", in_paged, "nested", completed)
    if bulk is not None:
        in_bulk = records(bulk, *_landed_in(stream, bulk=True)).paths()
        problems += _differences(stream.name, "paged", landed, "bulk", in_bulk)
    return problems


def _differences(stream: str, a: str, left: list[str], b: str, right: list[str]) -> list[str]:
    out = [f"{stream}: {a} selects {p}, {b} does not" for p in left if p not in right]
    out += [f"{stream}: {b} selects {p}, {a} does not" for p in right if p not in left]
    if not out and left != right:
        out.append(f"{stream}: {a} and {b} select the same fields in another order")
    return out


def _explode(path: tuple[str, ...]) -> tuple[str, ...]:
    """A table's ``explode`` (``lineItems.nodes``, a paged fetch's JSON) as selected
    (``lineItems[]``)."""
    out: list[str] = []
    for step in path:
        if step in ("nodes", "edges", "node"):
            out[-1] += "[]" if not out[-1].endswith("[]") else ""
        else:
            out.append(step)
    return tuple(out)


def unselected_columns(table: TableSpec, landed: Selected) -> list[str]:
    """Columns of ``table`` whose path the landed records do not select, in each of its
    lists (and their owners' lists)."""
    if not table.explode:
        return _unselected(table, landed, landed, landed)
    problems: list[str] = []
    for source in table.explode:
        owners = landed.at(*_explode(source.path))
        rows = owners.at(*source.within) if owners is not None else None
        if owners is None or rows is None:
            where = ".".join(source.path + source.within)
            problems.append(f"{table.name}: its rows ({where}) are not selected")
            continue
        problems += _unselected(table, landed, owners if source.within else landed, rows)
    return list(dict.fromkeys(problems))


def _unselected(table: TableSpec, landed: Selected, owner: Selected, rows: Selected) -> list[str]:
    problems: list[str] = []
    nodes = {"parent": landed, "owner": owner}
    for column in table.columns:
        if column.derive in ("position", "kind") or not column.path:
            continue  # the row's place, its list's kind, the row itself: nothing selected
        node = nodes.get(column.derive, rows).at(*column.path)
        where = f"{table.name}.{column.name}: {'.'.join(column.path)}"
        if node is None:
            problems.append(f"{where} is not selected")
        elif column.derive == "quantity":
            names = node.arguments.get("names")
            if not isinstance(names, list) or column.arg not in names:
                problems.append(f"{where} does not ask for the quantity {column.arg!r}")
            if node.at("name") is None or node.at("quantity") is None:
                problems.append(f"{where} does not select name and quantity")
    return problems


def column_drift(stream: StreamDeclaration, paged: str) -> list[str]:
    landed = records(paged, *_landed_in(stream, bulk=False))
    problems = [p for t in stream.tables for p in unselected_columns(t, landed)]
    if stream.deletes is not None:  # the deletions read these of each event
        problems += [
            f"{stream.name}: {f} is not selected" for f in DELETION_EVENT_FIELDS if not landed.at(f)
        ]
    return problems


def details_drift(stream: StreamDeclaration, paged: str, completing: dict[str, str]) -> list[str]:
    """A details stream: each child connection's completing document selects what the batch
    document does, and the stream it details selects (and lands) the list of ids."""
    problems: list[str] = []
    landed = records(paged).paths()
    for found in nested_connections(stream):
        prefix = f"{found.field}[]."
        in_paged = [p.removeprefix(prefix) for p in landed if p.startswith(prefix)]
        completed = records(completing[found.document], found.field).paths()
        problems += _differences(stream.name, "paged", in_paged, found.document, completed)
    assert stream.details_of is not None
    of = stream.details_of
    parent = BY_NAME[of.stream]
    listed = records(paged_document(parent), *_landed_in(parent, bulk=False))
    found = listed.at(*of.ids) or listed.at(f"{of.ids[0]}[]", *of.ids[1:])
    if found is None:
        problems.append(f"{stream.name}: {of.stream} does not select {'.'.join(of.ids)}")
    return problems


def drift(stream: StreamDeclaration) -> list[str]:
    """Everything that does not agree, for a stream's generated documents (in one variant);
    the columns are checked against the fullest variant of the stream, which asks every field
    a store may be asked for (:mod:`shopsync.streams.variants`)."""
    paged = paged_document(stream)
    fullest = stream if stream.variant else variants(stream)[-1]
    columns = column_drift(stream, paged_document(fullest))
    if stream.details_of is not None:
        completing = {f.document: completing_document(f) for f in nested_connections(stream)}
        return details_drift(stream, paged, completing) + columns
    bulk = bulk_document(stream) if stream.bulk else None
    return document_drift(stream, paged, bulk, nested_document(stream)) + columns


# -- every stream ---------------------------------------------------------------------------
@pytest.mark.parametrize("stream", EVERY, ids=lambda d: d.name + d.variant)
def test_documents_select_the_same_fields_and_every_column(stream: StreamDeclaration) -> None:
    assert drift(stream) == []


def test_only_the_columns_of_scoped_fields_go_unselected_without_their_scope() -> None:
    """A store that did not grant a scoped field's requirement gets the declared documents:
    the columns read from those fields, and only those, are null for it."""
    unselected = {
        d.name: column_drift(d, paged_document(d))
        for d in DECLARATIONS
        if column_drift(d, paged_document(d))
    }
    assert unselected == {
        "order_fulfillments": ["fulfillments.location_id: location.id is not selected"],
        "refund_details": ["refund_line_items.location_id: location.id is not selected"],
    }
    assert {d.name for d in DECLARATIONS if d.scoped} == set(unselected)


def test_every_table_is_fed_by_the_stream_it_names() -> None:
    fed = [(t.name, t.stream, d.name) for d in DECLARATIONS for t in d.tables]
    assert sorted(t for t, _, _ in fed) == sorted(TABLES)  # every table, by exactly one stream
    assert all(named == stream for _, named, stream in fed)
    with pytest.raises(ValueError, match="table orders is fed by orders"):
        replace(CUSTOMERS, tables=ORDERS.tables[:1])
    deletions = {d.name: d.deletes.subject for d in DECLARATIONS if d.deletes is not None}
    assert deletions == {
        "deleted_products": "PRODUCT",
        "deleted_orders": "ORDER",
        "deleted_customers": "CUSTOMER",
    }


def test_the_drift_test_sees_every_kind_of_document() -> None:
    """Each stream's records are found in each of its documents: none compares nothing."""
    for stream in DECLARATIONS:
        assert records(paged_document(stream), *_landed_in(stream, bulk=False)).paths()
    unbulked = ("locations", "refund_details", "fulfillment_details")
    assert all(d.bulk for d in DECLARATIONS if d.name not in unbulked and d.deletes is None)
    assert nested_connections(REFUND_DETAILS)
    assert nested_document(ORDERS)
    assert nested_document(INVENTORY_LEVELS)


# -- it fails when a field goes missing on one side -----------------------------------------
def _without(document: str, line: str) -> str:
    """``document`` with the one line that is exactly ``line`` (stripped) taken out."""
    lines = document.splitlines()
    hits = [i for i, text in enumerate(lines) if text.strip() == line]
    assert len(hits) == 1, f"{line!r} is on {len(hits)} lines"
    del lines[hits[0]]
    return "\n".join(lines)


def test_a_field_missing_from_the_bulk_query_is_drift() -> None:
    bulk = _without(bulk_document(ORDERS), "email")
    assert document_drift(ORDERS, paged_document(ORDERS), bulk, nested_document(ORDERS)) == [
        "orders: paged selects email, bulk does not"
    ]


def test_a_field_missing_from_the_paged_document_is_drift() -> None:
    paged = _without(paged_document(ORDERS), "processedAt")
    problems = document_drift(ORDERS, paged, bulk_document(ORDERS), nested_document(ORDERS))
    assert problems == ["orders: bulk selects processedAt, paged does not"]
    assert column_drift(ORDERS, paged) == ["orders.processed_at: processedAt is not selected"]


def test_a_child_field_missing_from_one_side_is_drift() -> None:
    bulk = _without(bulk_document(ORDERS), "currentQuantity")
    paged = _without(nested_document(ORDERS) or "", "sku")
    assert document_drift(ORDERS, paged_document(ORDERS), bulk, paged) == [
        "orders: paged selects sku, nested does not",
        "orders: paged selects lineItems[].currentQuantity, bulk does not",
    ]


def test_a_level_field_missing_from_one_side_is_drift() -> None:
    stream = INVENTORY_LEVELS
    bulk = bulk_document(stream).replace('"incoming"', '"reserved"')
    problems = document_drift(stream, paged_document(stream), bulk, nested_document(stream))
    paged_asks = "quantities(names: ['available', 'on_hand', 'committed', 'incoming'])"
    bulk_asks = "quantities(names: ['available', 'on_hand', 'committed', 'reserved'])"
    assert f"inventory_levels: paged selects {paged_asks}, bulk does not" in problems
    assert f"inventory_levels: bulk selects {bulk_asks}, paged does not" in problems
    assert all("quantities(names:" in p for p in problems)


def test_a_details_stream_s_child_field_missing_from_one_side_is_drift() -> None:
    stream = REFUND_DETAILS
    paged = paged_document(stream)
    completing = {f.document: completing_document(f) for f in nested_connections(stream)}
    doc = "refund_refund_shipping_lines"
    completing[doc] = _without(completing[doc], "shippingLine { id }")
    assert details_drift(stream, paged, completing) == [
        f"refund_details: paged selects shippingLine, {doc} does not",
        f"refund_details: paged selects shippingLine.id, {doc} does not",
    ]
    [items, *rest] = stream.children
    leaner = replace(items, fields=items.fields.replace("quantity\n", ""))
    assert drift(replace(stream, children=(leaner, *rest))) == [
        "refund_line_items.quantity: quantity is not selected"
    ]
    unlisted = replace(stream, details_of=replace(stream.details_of, ids=("refunds", "legacyId")))
    assert drift(unlisted) == ["refund_details: order_refunds does not select refunds.legacyId"]


def test_a_declaration_missing_a_column_s_field_is_drift() -> None:
    orders = replace(ORDERS, fields=ORDERS.fields.replace("email\n", ""))
    assert drift(orders) == ["orders.email: email is not selected"]
    items, *others = ORDERS.children
    items = replace(items, fields=items.fields.replace("sku\n", ""))
    orders = replace(ORDERS, children=(items, *others))
    assert drift(orders) == ["order_line_items.sku: sku is not selected"]
    levels = INVENTORY_LEVELS
    levels = replace(levels, fields=levels.fields.replace(', "incoming"', ""))
    assert drift(levels) == [
        "inventory_levels.incoming: quantities does not ask for the quantity 'incoming'"
    ]
    taxes = ORDERS.fields.replace("ratePercentage\n", "")
    assert drift(replace(ORDERS, fields=taxes)) == [
        "tax_lines.rate_percentage: ratePercentage is not selected"
    ]
    items, *others = ORDERS.children
    kept = [f for f in items.fields.splitlines() if not f.startswith("discountAllocations")]
    orders = replace(ORDERS, children=(replace(items, fields="\n".join(kept)), *others))
    assert drift(orders) == [
        "order_line_items.discount_allocations: discountAllocations is not selected",
        "discount_allocations: its rows (lineItems.nodes.discountAllocations) are not selected",
    ]
    events = replace(DELETED_PRODUCTS, fields=DELETED_PRODUCTS.fields.replace("subjectType", ""))
    assert drift(events) == ["deleted_products: subjectType is not selected"]
