"""Write raw runs (parts + manifest) the way ingestion does, for warehouse tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from shopsync.extract.raw import RawStreamWriter
from shopsync.lake.manifest import Manifest, StreamManifest, write_manifest
from shopsync.storage import ObjectStore


def gid(kind: str, number: int) -> str:
    return f"gid://shopify/{kind}/{number}"


def write_run(
    store: ObjectStore,
    tenant_id: str,
    run_id: str,
    streams: Mapping[str, Sequence[dict[str, Any]]],
    *,
    snapshot: Sequence[str] = (),
    mode: str = "incremental",
    fetched_at: datetime | None = None,
    skipped: Mapping[str, tuple[str, ...]] | None = None,
) -> Manifest:
    # Fetched "now": the freshness check compares with the wall clock.
    fetched_at = fetched_at or datetime.now(UTC)
    entries = {}
    for stream, nodes in streams.items():
        with RawStreamWriter(
            store, tenant_id=tenant_id, run_id=run_id, stream=stream, day=date(2026, 11, 24)
        ) as writer:
            writer.write_nodes(nodes, fetched_at)
        entries[stream] = StreamManifest(
            parts=tuple(writer.parts), records=writer.records, complete_snapshot=stream in snapshot
        )
    manifest = Manifest(
        tenant_id=tenant_id,
        run_id=run_id,
        mode=mode,  # type: ignore[arg-type]
        api_version="2026-10",
        started_at=fetched_at,
        finished_at=fetched_at,
        streams=entries,
        skipped=dict(skipped or {}),
    )
    write_manifest(store, manifest)
    return manifest


def product(number: int, title: str, updated: str) -> dict[str, Any]:
    return {"id": gid("Product", number), "title": title, "updatedAt": updated, "tags": ["t"]}


def variant(number: int, product_number: int, price: str, updated: str) -> dict[str, Any]:
    return {
        "id": gid("ProductVariant", number),
        "product": {"id": gid("Product", product_number)},
        "price": price,
        "updatedAt": updated,
    }


def location(number: int, name: str) -> dict[str, Any]:
    return {"id": gid("Location", number), "name": name, "updatedAt": "2026-11-01T00:00:00Z"}


def order(number: int, items: int, updated: str, amount: str = "10.00") -> dict[str, Any]:
    return {
        "id": gid("Order", number),
        "updatedAt": updated,
        "totalPriceSet": {"shopMoney": {"amount": amount, "currencyCode": "EUR"}},
        "lineItems": {
            "nodes": [
                {"id": gid("LineItem", number * 100 + i), "quantity": i + 1} for i in range(items)
            ]
        },
    }


def deletion(product_number: int, at: str) -> dict[str, Any]:
    return {
        "id": gid("BasicEvent", product_number),
        "action": "destroy",
        "createdAt": at,
        "subjectId": gid("Product", product_number),
        "subjectType": "PRODUCT",
    }
