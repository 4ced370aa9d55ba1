"""Run ids: sortable by start time and unique, e.g. ``20261124T201500Z-1a2b3c4d``."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime

RUN_ID_PATTERN = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{8}$")


def new_run_id(now: datetime | None = None) -> str:
    at = (now or datetime.now(UTC)).astimezone(UTC)
    return f"{at:%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}"


def is_run_id(value: str) -> bool:
    return bool(RUN_ID_PATTERN.match(value))


def run_started(run_id: str) -> str:
    """The second a run id was made in (``20261124T201500Z``): ids of one second sort by
    their random part, not by when they were made."""
    return run_id.split("-", 1)[0]
