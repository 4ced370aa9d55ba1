"""The tenant file (ARCHITECTURE §2) as frozen pydantic models.

Every rule a tenant file must follow lives here, so the loader, ``tenants add`` and the
JSON Schema export all apply exactly the same checks. ``start_date`` may not lie in the
future; "today" comes from the validation context (``{"today": date}``) so that tests and
the CLI can fix it, and defaults to the current UTC date.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from shopsync.schedule.expressions import ScheduleExpression, parse_schedule
from shopsync.streams import STREAM_GROUPS, StreamGroup, parse_groups
from shopsync.tenantid import TENANT_ID_PATTERN

SHOP_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}\.myshopify\.com$"
API_VERSION_PATTERN = r"^[0-9]{4}-(01|04|07|10)$"
SECRET_NAME_PATTERN = r"^[A-Za-z0-9/_+=.@-]{1,512}$"  # noqa: S105 - a pattern, not a secret
GROUP_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9+=,.@_-]{0,127}$"
SCHEDULE_HINT_PATTERN = r"^(rate|cron)\(.+\)$"
SHOP_SUFFIX = ".myshopify.com"

_SHOP_RE = re.compile(SHOP_PATTERN)
_ISO_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class Plan(StrEnum):
    """The store's Shopify plan: a pacing hint only (live ``throttleStatus`` always wins)."""

    STANDARD = "standard"
    ADVANCED = "advanced"
    PLUS = "plus"
    ENTERPRISE = "enterprise"


def _check_id(value: object) -> object:
    if not isinstance(value, str) or TENANT_ID_PATTERN.fullmatch(value):
        return value  # non-strings get pydantic's own type error
    rule = "3-40 characters: a lowercase letter, then lowercase letters, digits or underscores"
    if len(value) < 3:
        raise ValueError(f"too short; an id is {rule}")
    if len(value) > 40:
        raise ValueError(f"too long ({len(value)} characters); an id is {rule}")
    if value.lower() != value:
        raise ValueError(f"must be lowercase; an id is {rule}")
    raise ValueError(f"an id is {rule} (it names S3 keys and the warehouse schema)")


def _check_shop(value: object) -> object:
    if not isinstance(value, str) or _SHOP_RE.fullmatch(value):
        return value
    expected = "expected '<store>.myshopify.com'"
    if any(ch.isspace() for ch in value):
        raise ValueError(f"{expected}, without spaces")
    if "://" in value:
        raise ValueError(f"{expected}, without a scheme such as https://")
    if "/" in value:
        raise ValueError(f"{expected}, without a path")
    if ":" in value:
        raise ValueError(f"{expected}, without a port")
    if value.lower() != value:
        raise ValueError(f"{expected}, in lowercase")
    if not value.endswith(SHOP_SUFFIX):
        raise ValueError(f"{expected}; other domains (custom shop domains) are not accepted")
    raise ValueError(
        f"{expected}; the store name is 1-63 lowercase letters, digits or hyphens "
        "and starts with a letter or digit"
    )


def _check_schedule(value: str) -> str:
    parse_schedule(value)  # cached per text; raises ScheduleError (a ValueError), user-facing
    return value


def _check_stream(value: object) -> object:
    if isinstance(value, str) and value not in STREAM_GROUPS:
        raise ValueError(f"unknown stream {value!r}; expected one of: {', '.join(STREAM_GROUPS)}")
    return value


def _canonical_streams(value: tuple[StreamGroup, ...]) -> tuple[StreamGroup, ...]:
    return parse_groups(value)


def _dedupe(value: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(value))


def _check_date(value: object) -> object:
    if isinstance(value, datetime):
        raise ValueError("expected a date like 2024-01-01, not a timestamp")
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE_RE.fullmatch(value):
        return value
    raise ValueError("expected a date like 2024-01-01")


# Constraints first, then the BeforeValidator: it runs first (clear message) and the
# pattern still reaches the JSON Schema.
TenantId = Annotated[
    str, StringConstraints(pattern=TENANT_ID_PATTERN.pattern), BeforeValidator(_check_id)
]
ShopDomain = Annotated[str, StringConstraints(pattern=SHOP_PATTERN), BeforeValidator(_check_shop)]
ApiVersion = Annotated[str, StringConstraints(pattern=API_VERSION_PATTERN)]
SecretName = Annotated[str, StringConstraints(pattern=SECRET_NAME_PATTERN)]
GroupName = Annotated[str, StringConstraints(pattern=GROUP_NAME_PATTERN)]
StreamName = Annotated[StreamGroup, BeforeValidator(_check_stream)]
Schedule = Annotated[str, AfterValidator(_check_schedule)]
StartDate = Annotated[date, BeforeValidator(_check_date)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Auth(_Frozen):
    """Where the store's credentials live: a secret NAME, never a token."""

    secret: SecretName = Field(
        description=(
            'Required. Name of the Secrets Manager secret holding {"access_token": ...} or '
            '{"client_id": ..., "client_secret": ...}. Never a token.'
        ),
        examples=["shopsync/tenants/acme_outdoor"],
    )


class QuickSight(_Frozen):
    """Who sees this tenant's rows in QuickSight (row-level security)."""

    groups: Annotated[tuple[GroupName, ...], AfterValidator(_dedupe)] = Field(
        default=(),
        description="Optional. QuickSight group names that see only this tenant's rows.",
    )


class Tenant(_Frozen):
    """One Shopify store synced by shopsync (tenants/<id>.yaml).

    Required: id, name, shop, auth, schedule, start_date. Unknown keys are rejected and
    credentials never belong in this file: auth.secret names a Secrets Manager secret.
    """

    model_config = ConfigDict(title="shopsync tenant", frozen=True, extra="forbid")

    id: TenantId = Field(
        description=(
            "Required. 3-40 characters: a lowercase letter, then lowercase letters, digits or "
            "underscores. Names S3 keys and the warehouse schema shop_<id>; the file must be "
            "<id>.yaml."
        ),
        examples=["acme_outdoor"],
    )
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)] = (
        Field(description="Required. Human-readable store name.", examples=["Acme Outdoor"])
    )
    shop: ShopDomain = Field(
        description="Required. The store's <name>.myshopify.com domain: no scheme, path or port.",
        examples=["acme-outdoor.myshopify.com"],
    )
    enabled: StrictBool = Field(default=True, description="Optional. false pauses syncing.")
    plan: Plan = Field(
        default=Plan.STANDARD,
        description="Optional. Shopify plan, a pacing hint only (live throttle status wins).",
    )
    api_version: ApiVersion | None = Field(
        default=None,
        description="Optional. Shopify API version YYYY-MM; defaults from settings when absent.",
        examples=["2026-10"],
    )
    auth: Auth = Field(description="Required. Where the store's credentials live.")
    schedule: Schedule = Field(
        description="Required. AWS schedule expression: rate(...) or cron(...) with 6 fields.",
        examples=["rate(1 hour)", "cron(0/15 * * * ? *)"],
        json_schema_extra={"pattern": SCHEDULE_HINT_PATTERN},
    )
    streams: Annotated[
        tuple[StreamName, ...], Field(min_length=1), AfterValidator(_canonical_streams)
    ] = Field(
        default=STREAM_GROUPS,
        description="Optional. Stream groups to sync; all of them when absent.",
    )
    start_date: StartDate = Field(
        description="Required. Backfill floor for the first sync (YYYY-MM-DD, not in the future).",
        examples=["2024-01-01"],
    )
    quicksight: QuickSight = Field(
        default_factory=QuickSight,
        description="Optional. QuickSight row-level security for this tenant.",
    )

    @field_validator("start_date")
    @classmethod
    def _not_in_future(cls, value: date, info: ValidationInfo) -> date:
        today = _today_from(info.context)
        if value > today:
            raise ValueError(f"{value.isoformat()} is in the future (today is {today.isoformat()})")
        return value

    @cached_property
    def schedule_expression(self) -> ScheduleExpression:
        """The parsed ``schedule`` (validated when the model was built)."""
        return parse_schedule(self.schedule)

    @property
    def secret_name(self) -> str:
        """Name of the Secrets Manager secret holding this store's credentials."""
        return self.auth.secret

    def api_version_or(self, default: str) -> str:
        """This tenant's pinned API version, else ``default`` (usually from settings)."""
        return self.api_version if self.api_version is not None else default


def _today_from(context: Any) -> date:
    if isinstance(context, dict):
        today = context.get("today")
        if isinstance(today, date) and not isinstance(today, datetime):
            return today
    return utc_today()


def utc_today() -> date:
    return datetime.now(UTC).date()
