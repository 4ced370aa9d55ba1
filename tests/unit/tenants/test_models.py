"""The Tenant model on its own: defaults, normalisation, derived values."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pydantic import ValidationError

from shopsync.schedule.expressions import parse_schedule
from shopsync.streams import STREAM_GROUPS
from shopsync.tenants import Plan, Tenant
from shopsync.tenants.models import utc_today
from tests.support.tenants import TODAY, make_tenant, tenant_data


def test_defaults() -> None:
    tenant = make_tenant()
    assert tenant.enabled is True
    assert tenant.plan is Plan.STANDARD
    assert tenant.api_version is None
    assert tenant.streams == STREAM_GROUPS
    assert tenant.quicksight.groups == ()
    assert tenant.start_date == date(2024, 1, 1)


def test_streams_are_deduplicated_in_canonical_order() -> None:
    assert make_tenant(streams=["orders", "products", "orders"]).streams == ("products", "orders")


def test_quicksight_groups_are_deduplicated_in_order() -> None:
    tenant = make_tenant(quicksight={"groups": ["b-team", "a-team", "b-team"]})
    assert tenant.quicksight.groups == ("b-team", "a-team")


def test_frozen() -> None:
    tenant = make_tenant()
    with pytest.raises(ValidationError):
        tenant.name = "Other"  # type: ignore[misc]


def test_equal_models_hash_equal() -> None:
    assert make_tenant() == make_tenant()
    assert (
        len({make_tenant(), make_tenant(), make_tenant(id="beta", shop="beta.myshopify.com")}) == 2
    )


def test_schedule_expression_is_parsed_once_and_kept() -> None:
    tenant = make_tenant(schedule="cron(0/15 * * * ? *)")
    assert tenant.schedule == "cron(0/15 * * * ? *)"
    assert tenant.schedule_expression == parse_schedule("cron(0/15 * * * ? *)")
    assert tenant.schedule_expression is tenant.schedule_expression
    assert "schedule_expression" not in tenant.model_dump()


def test_secret_name_and_api_version_or() -> None:
    tenant = make_tenant()
    assert tenant.secret_name == "shopsync/tenants/acme"
    assert tenant.api_version_or("2026-10") == "2026-10"
    assert make_tenant(api_version="2025-07").api_version_or("2026-10") == "2025-07"


def test_start_date_today_is_accepted_and_tomorrow_is_not() -> None:
    assert make_tenant(start_date=TODAY).start_date == TODAY
    with pytest.raises(ValidationError, match="is in the future"):
        make_tenant(start_date=TODAY + timedelta(days=1))


def test_without_context_today_is_the_utc_date() -> None:
    assert Tenant.model_validate(tenant_data(start_date=utc_today())).start_date == utc_today()
    with pytest.raises(ValidationError, match="is in the future"):
        Tenant.model_validate(tenant_data(start_date=utc_today() + timedelta(days=2)))


@pytest.mark.parametrize("tenant_id", ["abc", "acme", "acme_corp", "a1_", "a" * 40, "x2_y3"])
def test_valid_ids(tenant_id: str) -> None:
    assert make_tenant(id=tenant_id).id == tenant_id


@pytest.mark.parametrize(
    "shop", ["acme.myshopify.com", "acme-outdoor.myshopify.com", "1st-store.myshopify.com"]
)
def test_valid_shops(shop: str) -> None:
    assert make_tenant(shop=shop).shop == shop


def test_plans() -> None:
    assert [p.value for p in Plan] == ["standard", "advanced", "plus", "enterprise"]
    assert make_tenant(plan="enterprise").plan is Plan.ENTERPRISE


def test_enabled_is_strict() -> None:
    with pytest.raises(ValidationError):
        make_tenant(enabled="false")
    assert make_tenant(enabled=False).enabled is False
