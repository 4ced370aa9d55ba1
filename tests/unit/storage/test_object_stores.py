"""Both object stores pass the same contract tests; S3 runs against moto."""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, cast

import boto3
import pytest
from moto import mock_aws

from shopsync.storage import (
    InvalidKeyError,
    LocalObjectStore,
    ObjectNotFoundError,
    ObjectStore,
    S3ObjectStore,
)
from shopsync.storage.s3 import MIN_PART_SIZE

BUCKET = "raw-test"


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ObjectStore]:
    if request.param == "local":
        yield LocalObjectStore(tmp_path / "lake" / BUCKET)
        return
    with mock_aws():
        client = boto3.client("s3", region_name="eu-west-1")
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
        )
        yield S3ObjectStore(BUCKET, client=client, part_size=MIN_PART_SIZE)


def test_put_get_exists(store: ObjectStore) -> None:
    assert not store.exists("tenant=acme/a.json")
    store.put_bytes("tenant=acme/a.json", b"{}")
    assert store.exists("tenant=acme/a.json")
    assert store.get("tenant=acme/a.json") == b"{}"
    store.put_bytes("tenant=acme/a.json", b"[1]")
    assert store.get("tenant=acme/a.json") == b"[1]"


def test_missing_objects_raise_not_found(store: ObjectStore) -> None:
    with pytest.raises(ObjectNotFoundError):
        store.get("tenant=acme/none")
    with pytest.raises(ObjectNotFoundError), store.open_read("tenant=acme/none"):
        pass


def test_streamed_write_round_trips_through_gzip(store: ObjectStore) -> None:
    lines = [f'{{"n": {i}}}\n'.encode() for i in range(1000)]
    with (
        store.open_write("tenant=acme/p.jsonl.gz") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb") as gz,
    ):
        for line in lines:
            gz.write(line)
    with (
        store.open_read("tenant=acme/p.jsonl.gz") as src,
        gzip.GzipFile(fileobj=cast(BinaryIO, src), mode="rb") as unzipped,
    ):
        assert unzipped.read() == b"".join(lines)


def test_large_streamed_write_uses_several_parts(store: ObjectStore) -> None:
    chunk = os.urandom(1024 * 1024)
    with store.open_write("tenant=acme/big.bin") as out:
        for _ in range(12):  # > two S3 parts of 5 MiB
            out.write(chunk)
    assert store.get("tenant=acme/big.bin") == chunk * 12


def test_failed_write_leaves_nothing(store: ObjectStore) -> None:
    def write_then_fail() -> None:
        with store.open_write("tenant=acme/x") as out:
            out.write(os.urandom(MIN_PART_SIZE + 10))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        write_then_fail()
    assert not store.exists("tenant=acme/x")
    assert list(store.list("")) == []


def test_list_is_sorted_and_prefix_exact(store: ObjectStore) -> None:
    for key in ["tenant=acme_corp/b", "tenant=acme/b", "tenant=acme/a/c", "_manifests/x"]:
        store.put_bytes(key, b"1")
    assert list(store.list("tenant=acme/")) == ["tenant=acme/a/c", "tenant=acme/b"]
    assert list(store.list("tenant=acme")) == [
        "tenant=acme/a/c",
        "tenant=acme/b",
        "tenant=acme_corp/b",
    ]
    assert list(store.list()) == sorted(
        ["tenant=acme_corp/b", "tenant=acme/b", "tenant=acme/a/c", "_manifests/x"]
    )
    assert list(store.list("nothing/")) == []


@pytest.mark.parametrize("key", ["../escape", "/abs", "a/../../b", ""])
def test_unsafe_keys_are_refused(store: ObjectStore, key: str) -> None:
    with pytest.raises(InvalidKeyError):
        store.put_bytes(key, b"x")
    with pytest.raises(InvalidKeyError):
        store.exists(key)


def test_local_store_writes_under_its_root_only(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path / "root")
    store.put_bytes("tenant=acme/stream=orders/part.jsonl.gz", b"x")
    files = [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()]
    assert files == ["root/tenant=acme/stream=orders/part.jsonl.gz"]


def test_a_listing_starts_after_a_key_and_lists_directories(store: ObjectStore) -> None:
    for key in ("m/tenant=a/run=1.json", "m/tenant=a/run=2.json", "m/tenant=b/run=1.json"):
        store.put_bytes(key, b"{}")
    store.put_bytes("m/readme.txt", b"")
    assert list(store.list("m/tenant=a/", start_after="m/tenant=a/run=1.json")) == [
        "m/tenant=a/run=2.json"
    ]
    assert list(store.list("m/tenant=a/", start_after="m/tenant=a/run=2.json")) == []
    assert list(store.list("m/tenant=a/", start_after="m/tenant=a/run=0.json")) == [
        "m/tenant=a/run=1.json",
        "m/tenant=a/run=2.json",
    ]
    assert list(store.list_prefixes("m/")) == ["m/tenant=a/", "m/tenant=b/"]
    assert list(store.list_prefixes("none/")) == []
    with pytest.raises(ValueError, match="ends with '/'"):
        list(store.list_prefixes("m"))
