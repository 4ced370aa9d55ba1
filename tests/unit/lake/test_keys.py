from __future__ import annotations

from datetime import date

import pytest

from shopsync.lake import keys

RUN = "20261124T201500Z-1a2b3c4d"


def test_part_and_manifest_keys_follow_the_contract() -> None:
    assert (
        keys.part_key("acme_outdoor", "product_variants", date(2026, 11, 24), RUN, 3)
        == "tenant=acme_outdoor/stream=product_variants/date=2026-11-24/"
        f"run={RUN}/part-00003.jsonl.gz"
    )
    assert (
        keys.manifest_key("acme_outdoor", RUN) == f"_manifests/tenant=acme_outdoor/run={RUN}.json"
    )


def test_a_manifest_key_parses_back_into_its_tenant_and_run() -> None:
    assert keys.parse_manifest_key(keys.manifest_key("acme_outdoor", RUN)) == ("acme_outdoor", RUN)


@pytest.mark.parametrize(
    "key",
    [
        f"_manifests/tenant=Acme/run={RUN}.json",  # not a tenant id
        f"_manifests/tenant=ac/run={RUN}.json",
        "_manifests/tenant=acme/run=20261124T201500Z.json",  # not a run id
        f"_manifests/tenant=acme/run={RUN}.json.tmp",
        f"_manifests/tenant=acme/x/run={RUN}.json",
        f"tenant=acme/run={RUN}.json",
        f"x/_manifests/tenant=acme/run={RUN}.json",
        f"_manifests/tenant=acme/run={RUN}.json\n",
    ],
)
def test_other_keys_are_not_manifest_keys(key: str) -> None:
    assert keys.parse_manifest_key(key) is None


@pytest.mark.parametrize(
    "tenant", ["..", "../acme", "acme/../x", "Acme", "a", "acme/x", "acme\\x", "", "acme."]
)
def test_tenant_ids_that_could_escape_are_rejected(tenant: str) -> None:
    with pytest.raises(keys.InvalidKeyError):
        keys.part_key(tenant, "orders", date(2026, 1, 1), RUN, 0)
    with pytest.raises(keys.InvalidKeyError):
        keys.manifest_key(tenant, RUN)


@pytest.mark.parametrize("stream", ["..", "orders/..", "../orders", "Orders", "", "a/b"])
def test_bad_streams_are_rejected(stream: str) -> None:
    with pytest.raises(keys.InvalidKeyError):
        keys.part_key("acme", stream, date(2026, 1, 1), RUN, 0)


@pytest.mark.parametrize("run_id", ["..", f"{RUN}/..", "latest", f"../{RUN}"])
def test_bad_run_ids_are_rejected(run_id: str) -> None:
    with pytest.raises(keys.InvalidKeyError):
        keys.part_key("acme", "orders", date(2026, 1, 1), run_id, 0)
    with pytest.raises(keys.InvalidKeyError):
        keys.manifest_key("acme", run_id)


@pytest.mark.parametrize("index", [-1, 100_000, True])
def test_bad_part_index_is_rejected(index: int) -> None:
    with pytest.raises(keys.InvalidKeyError):
        keys.part_key("acme", "orders", date(2026, 1, 1), RUN, index)


def test_look_alike_tenants_do_not_share_a_prefix() -> None:
    acme_corp = keys.part_key("acme_corp", "orders", date(2026, 1, 1), RUN, 0)
    assert not acme_corp.startswith(keys.tenant_prefix("acme"))
    assert not keys.is_tenant_key("acme", acme_corp)
    assert keys.is_tenant_key("acme_corp", acme_corp)
    assert not keys.is_tenant_key("acme", keys.manifest_key("acme_corp", RUN))
    assert keys.is_tenant_key("acme", keys.manifest_key("acme", RUN))
    assert not keys.is_tenant_key("acme", "tenant=acme/../tenant=acme_corp/x")


@pytest.mark.parametrize("key", ["", "/abs", "a//b", "a/./b", "a/../b", "..", "a\\b", "a/"])
def test_check_key_rejects_unnormalised_keys(key: str) -> None:
    with pytest.raises(keys.InvalidKeyError):
        keys.check_key(key)
