"""Registry: exact lookups only (tenant isolation), close-match hints, ordering."""

from __future__ import annotations

import pytest

from shopsync.tenants import Registry, UnknownTenantError
from tests.support.tenants import make_tenant


@pytest.fixture
def registry() -> Registry:
    return Registry(
        [make_tenant("acme_corp"), make_tenant("zeta", enabled=False), make_tenant("acme")]
    )


def test_sorted_by_id(registry: Registry) -> None:
    assert [t.id for t in registry.tenants] == ["acme", "acme_corp", "zeta"]
    assert [t.id for t in registry] == ["acme", "acme_corp", "zeta"]
    assert registry.ids == ("acme", "acme_corp", "zeta")
    assert len(registry) == 3


def test_contains_is_exact_and_total(registry: Registry) -> None:
    assert "acme" in registry
    assert 3 not in registry
    assert [] not in registry


def test_enabled(registry: Registry) -> None:
    assert [t.id for t in registry.enabled()] == ["acme", "acme_corp"]


def test_look_alike_ids_never_match_each_other(registry: Registry) -> None:
    assert registry.get("acme").shop == "acme.myshopify.com"
    assert registry.get("acme_corp").shop == "acme-corp.myshopify.com"
    for near in ("acm", "acme_", "acme_c", "ACME", " acme", "acme_corp_eu"):
        assert near not in registry
        with pytest.raises(UnknownTenantError):
            registry.get(near)


def test_unknown_tenant_suggests_close_matches(registry: Registry) -> None:
    with pytest.raises(UnknownTenantError) as info:
        registry.get("acme_crop")
    assert info.value.tenant_id == "acme_crop"
    assert "acme_corp" in info.value.suggestions
    assert str(info.value).startswith("unknown tenant 'acme_crop'; did you mean acme_corp")


def test_unknown_tenant_without_close_matches_lists_known_ids(registry: Registry) -> None:
    with pytest.raises(UnknownTenantError) as info:
        registry.get("bluebird")
    assert info.value.suggestions == ()
    assert str(info.value) == "unknown tenant 'bluebird'; known tenants: acme, acme_corp, zeta"


def test_unknown_tenant_is_a_lookup_error_not_a_key_error() -> None:
    with pytest.raises(LookupError) as info:
        Registry([]).get("acme")
    assert not isinstance(info.value, KeyError)
    assert str(info.value) == "unknown tenant 'acme'; there are no tenants"


def test_by_shop(registry: Registry) -> None:
    found = registry.by_shop("acme-corp.myshopify.com")
    assert found is not None
    assert found.id == "acme_corp"
    assert registry.by_shop("acme-corp-eu.myshopify.com") is None


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        Registry([make_tenant("acme"), make_tenant("acme")])
