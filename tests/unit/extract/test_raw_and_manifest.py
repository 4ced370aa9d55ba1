from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from shopsync.extract.raw import RawStreamWriter, read_part
from shopsync.lake.manifest import (
    Manifest,
    ManifestExistsError,
    StreamManifest,
    describe_skipped,
    read_manifest,
    write_manifest,
)
from shopsync.state.base import Cursor
from shopsync.storage import LocalObjectStore

RUN = "20261124T201500Z-1a2b3c4d"
AT = datetime(2026, 11, 24, 20, 15, 1, tzinfo=UTC)
DAY = date(2026, 11, 24)


@pytest.fixture
def store(tmp_path: Path) -> LocalObjectStore:
    return LocalObjectStore(tmp_path / "raw")


def writer(store: LocalObjectStore, **kw: int) -> RawStreamWriter:
    return RawStreamWriter(store, tenant_id="acme", run_id=RUN, stream="orders", day=DAY, **kw)


def test_lines_are_nodes_plus_metadata(store: LocalObjectStore) -> None:
    nodes = [{"id": "gid://shopify/Order/1", "name": "#1001", "lineItems": {"nodes": []}}, {}]
    with writer(store) as w:
        assert w.write_nodes(nodes, AT) == 2
    assert w.parts == [f"tenant=acme/stream=orders/date=2026-11-24/run={RUN}/part-00000.jsonl.gz"]
    meta = {
        "tenant_id": "acme",
        "run_id": RUN,
        "stream": "orders",
        "fetched_at": "2026-11-24T20:15:01Z",
    }
    assert read_part(store, w.parts[0]) == [{**nodes[0], "_shopsync": meta}, {"_shopsync": meta}]


def test_raw_json_lines_are_spliced_not_reparsed(store: LocalObjectStore) -> None:
    lines = [b'{"id":"1","__parentId":"p"}\n', b"   \n", b'{ "id" : "2" }', b"{}"]
    with writer(store) as w:
        assert w.write_json_lines(lines, AT) == 3
    rows = read_part(store, w.parts[0])
    assert [r.get("id") for r in rows] == ["1", "2", None]
    assert rows[0]["__parentId"] == "p"
    assert all(r["_shopsync"]["stream"] == "orders" for r in rows)


def test_non_object_line_is_refused(store: LocalObjectStore) -> None:
    w = writer(store)
    with pytest.raises(ValueError, match="JSON object"):
        w.write_json_lines([b"[1]"], AT)


def test_parts_roll_over_by_lines_and_bytes(store: LocalObjectStore) -> None:
    with writer(store, max_lines=3) as w:
        w.write_nodes([{"n": i} for i in range(7)], AT)
    assert [len(read_part(store, k)) for k in w.parts] == [3, 3, 1]
    assert w.parts[2].endswith("part-00002.jsonl.gz")
    assert w.records == 7

    with RawStreamWriter(
        store, tenant_id="acme", run_id=RUN, stream="customers", day=DAY, max_bytes=250
    ) as small:
        small.write_nodes([{"pad": "x" * 60, "n": i} for i in range(5)], AT)
    sizes = [len(read_part(store, k)) for k in small.parts]
    assert sum(sizes) == 5
    assert len(sizes) > 1
    assert max(sizes) <= 2


def test_no_records_means_no_parts(store: LocalObjectStore) -> None:
    with writer(store) as w:
        w.write_nodes([], AT)
    assert w.parts == []
    assert list(store.list()) == []


def test_abort_discards_the_open_part_only(store: LocalObjectStore) -> None:
    w = writer(store, max_lines=2)
    w.write_nodes([{"n": i} for i in range(3)], AT)
    w.abort(RuntimeError("fetch failed"))
    keys = list(store.list())
    assert keys == [f"tenant=acme/stream=orders/date=2026-11-24/run={RUN}/part-00000.jsonl.gz"]
    with pytest.raises(RuntimeError, match="closed"):
        w.write_nodes([{"n": 9}], AT)


def test_exception_in_block_aborts(store: LocalObjectStore) -> None:
    def run() -> None:
        with writer(store) as w:
            w.write_nodes([{"n": 1}], AT)
            raise KeyError("x")

    with pytest.raises(KeyError):
        run()
    assert list(store.list()) == []


def manifest(**streams: StreamManifest) -> Manifest:
    return Manifest(
        tenant_id="acme",
        run_id=RUN,
        mode="incremental",
        api_version="2026-10",
        started_at=AT,
        finished_at=AT,
        streams=streams,
    )


def test_manifest_has_the_contract_shape(store: LocalObjectStore) -> None:
    part = f"tenant=acme/stream=orders/date=2026-11-24/run={RUN}/part-00000.jsonl.gz"
    m = manifest(
        orders=StreamManifest(
            parts=(part,),
            records=2,
            cursor_from=None,
            cursor_to=Cursor(updated_at=AT, last_id="gid://shopify/Order/2"),
            complete_snapshot=False,
        )
    )
    key = write_manifest(store, m)
    assert key == f"_manifests/tenant=acme/run={RUN}.json"
    assert json.loads(store.get(key)) == {
        "schema_version": 2,
        "tenant_id": "acme",
        "run_id": RUN,
        "mode": "incremental",
        "api_version": "2026-10",
        "started_at": "2026-11-24T20:15:01Z",
        "finished_at": "2026-11-24T20:15:01Z",
        "streams": {
            "orders": {
                "parts": [part],
                "records": 2,
                "cursor_from": None,
                "cursor_to": {
                    "updated_at": "2026-11-24T20:15:01Z",
                    "last_id": "gid://shopify/Order/2",
                },
                "complete_snapshot": False,
            }
        },
        "skipped": {},
    }
    assert read_manifest(store, "acme", RUN) == m


def test_a_manifest_names_the_streams_skipped_and_the_scopes_they_lack(
    store: LocalObjectStore,
) -> None:
    m = manifest(products=StreamManifest()).model_copy(
        update={"skipped": {"orders": ("read_customers", "read_orders")}}
    )
    key = write_manifest(store, m)
    assert json.loads(store.get(key))["skipped"] == {"orders": ["read_customers", "read_orders"]}
    assert read_manifest(store, "acme", RUN) == m
    assert describe_skipped(m.skipped) == "orders (missing read_customers, read_orders)"


def test_a_version_1_manifest_without_skipped_still_reads(store: LocalObjectStore) -> None:
    old = json.loads(manifest(products=StreamManifest()).to_json())
    del old["skipped"]
    old["schema_version"] = 1
    store.put_bytes(f"_manifests/tenant=acme/run={RUN}.json", json.dumps(old).encode())
    read = read_manifest(store, "acme", RUN)
    assert (read.schema_version, read.skipped) == (1, {})
    assert list(read.streams) == ["products"]


@pytest.mark.parametrize(
    "skipped",
    [{"products": ("read_products",)}, {"orders": ()}],
    ids=["fetched-and-skipped", "no-scope-named"],
)
def test_a_skipped_stream_is_not_fetched_and_names_a_scope(
    skipped: dict[str, tuple[str, ...]],
) -> None:
    with pytest.raises(ValueError, match="skipped"):
        Manifest.model_validate(
            json.loads(manifest(products=StreamManifest()).to_json()) | {"skipped": skipped}
        )


def test_manifest_is_written_once(store: LocalObjectStore) -> None:
    write_manifest(store, manifest())
    with pytest.raises(ManifestExistsError):
        write_manifest(store, manifest())


def test_manifest_refuses_parts_of_another_tenant(store: LocalObjectStore) -> None:
    other = f"tenant=acme_corp/stream=orders/date=2026-11-24/run={RUN}/part-00000.jsonl.gz"
    with pytest.raises(ValueError, match="outside"):
        write_manifest(store, manifest(orders=StreamManifest(parts=(other,), records=1)))
    assert list(store.list()) == []
