"""Finding the pending manifests costs the same whatever the history: a listing of the
tenants, then one of each tenant's manifests after its last loaded run (S3's ``StartAfter``),
not a listing of every manifest ever written."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from shopsync.lake.keys import manifest_key, manifest_prefix
from shopsync.lake.manifest import write_manifest
from shopsync.storage import S3ObjectStore
from shopsync.storage.s3 import MIN_PART_SIZE
from shopsync_glue.job import pending_manifests
from tests.support.manifests import empty_manifest

BUCKET = "raw-test"
PAGE = 1000  # keys per ListObjectsV2 call


def _run(n: int) -> str:
    return f"20261124T{n // 3600 % 24:02d}{n // 60 % 60:02d}{n % 60:02d}Z-{n:08d}"


class PagedStore:
    """Keys in memory, listed as S3 lists them (a thousand a call); counts the calls."""

    def __init__(self) -> None:
        self.keys: dict[str, bytes] = {}
        self.calls = 0

    def put_bytes(self, key: str, data: bytes) -> None:
        self.keys[key] = data

    def get(self, key: str) -> bytes:
        return self.keys[key]

    def exists(self, key: str) -> bool:
        return key in self.keys

    def list(self, prefix: str = "", *, start_after: str | None = None) -> Iterator[str]:
        found = sorted(k for k in self.keys if k.startswith(prefix) and k > (start_after or ""))
        for page in range(0, max(len(found), 1), PAGE):
            self.calls += 1
            yield from found[page : page + PAGE]

    def list_prefixes(self, prefix: str) -> Iterator[str]:
        self.calls += 1  # a thousand prefixes a call: the tests have fewer
        tops = {prefix + k[len(prefix) :].split("/", 1)[0] + "/" for k in self.keys}
        return iter(sorted(t for t in tops if any(k.startswith(t) for k in self.keys)))


def _history(store: object, tenants: list[str], loaded: int) -> dict[str, set[str]]:
    """``loaded`` loaded manifests per tenant (only their keys: discovery must not read them)
    and two pending ones; the last loaded run of each tenant."""
    for tenant in tenants:
        for n in range(loaded):
            store.put_bytes(manifest_key(tenant, _run(n)), b"loaded: never read")  # type: ignore[attr-defined]
        for n in (loaded, loaded + 1):
            write_manifest(store, empty_manifest(tenant, _run(n)))  # type: ignore[arg-type]
    return {tenant: {_run(loaded - 1)} for tenant in tenants}


@pytest.mark.parametrize("loaded", [10, 10_000])
def test_discovery_costs_the_same_list_calls_with_10_or_10000_loaded_runs(loaded: int) -> None:
    store = PagedStore()
    tenants = ["acme", "acme_corp", "bravo"]
    last = _history(store, tenants, loaded)
    store.calls = 0
    pending = pending_manifests(store, last)  # type: ignore[arg-type]
    assert {t: [m.run_id for m in ms] for t, ms in pending.items()} == {
        t: [_run(loaded), _run(loaded + 1)] for t in tenants
    }
    assert store.calls == 1 + len(tenants)  # the tenants, then one listing per tenant


def test_s3_lists_only_the_manifests_after_the_last_loaded_run() -> None:
    """The same through moto's S3: 1,200 loaded runs would take two ListObjectsV2 pages;
    after the last loaded run, one."""
    calls: list[str] = []
    with mock_aws():
        client = boto3.client("s3", region_name="eu-west-1")
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
        )
        store = S3ObjectStore(BUCKET, client=client, part_size=MIN_PART_SIZE)
        last = _history(store, ["acme"], 1_200)
        client.meta.events.register(
            "before-call.s3.ListObjectsV2", lambda params, **_: calls.append(str(params))
        )
        pending = pending_manifests(store, last)
        assert [m.run_id for m in pending["acme"]] == [_run(1_200), _run(1_201)]
        assert len(calls) == 2  # the tenants (Delimiter), then acme's after its last run
        assert "StartAfter" in calls[1]
        calls.clear()
        assert len(list(store.list(manifest_prefix("acme")))) == 1_202
        assert len(calls) == 2  # listing every manifest of the tenant: a page per thousand
