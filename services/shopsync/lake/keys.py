"""Object keys of the raw lake (ARCHITECTURE §3), always built from a validated tenant id.

Every builder validates each component against a strict pattern (no ``/``, no ``.``), so a
key built here can never leave ``tenant=<id>/`` (or ``_manifests/tenant=<id>/``).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from shopsync.runid import RUN_ID_PATTERN
from shopsync.tenantid import TENANT_ID_PATTERN

STREAM_RE = re.compile(r"^[a-z][a-z0-9_]{1,63}$")
MANIFESTS_PREFIX = "_manifests/"
PART_SUFFIX = ".jsonl.gz"
_MANIFEST_KEY = re.compile(re.escape(MANIFESTS_PREFIX) + r"tenant=([^/]+)/run=([^/]+)\.json")


def iso_utc(at: datetime) -> str:
    """An instant as keys, manifests and parts write it: ``2026-11-24T20:15:00Z``."""
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


class InvalidKeyError(ValueError):
    """A key component that could escape its tenant prefix or is not well formed."""


def _check(kind: str, value: str, pattern: re.Pattern[str]) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise InvalidKeyError(f"invalid {kind} {value!r} for an object key")
    return value


def check_tenant_id(tenant_id: str) -> str:
    return _check("tenant id", tenant_id, TENANT_ID_PATTERN)


def check_stream(stream: str) -> str:
    return _check("stream", stream, STREAM_RE)


def check_run_id(run_id: str) -> str:
    return _check("run id", run_id, RUN_ID_PATTERN)


def tenant_prefix(tenant_id: str) -> str:
    """``tenant=<id>/``: the trailing slash keeps ``acme`` from matching ``acme_corp``."""
    return f"tenant={check_tenant_id(tenant_id)}/"


def stream_prefix(tenant_id: str, stream: str) -> str:
    return f"{tenant_prefix(tenant_id)}stream={check_stream(stream)}/"


def run_prefix(tenant_id: str, stream: str, day: date, run_id: str) -> str:
    """``tenant=<id>/stream=<s>/date=<yyyy-mm-dd>/run=<run_id>/``."""
    if not isinstance(day, date):
        raise InvalidKeyError(f"invalid date {day!r} for an object key")
    return f"{stream_prefix(tenant_id, stream)}date={day:%Y-%m-%d}/run={check_run_id(run_id)}/"


def part_key(tenant_id: str, stream: str, day: date, run_id: str, index: int) -> str:
    """``.../run=<run_id>/part-00000.jsonl.gz``."""
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index <= 99_999:
        raise InvalidKeyError(f"invalid part index {index!r}")
    return f"{run_prefix(tenant_id, stream, day, run_id)}part-{index:05d}{PART_SUFFIX}"


def manifest_prefix(tenant_id: str) -> str:
    return f"{MANIFESTS_PREFIX}{tenant_prefix(tenant_id)}"


def manifest_key(tenant_id: str, run_id: str) -> str:
    """``_manifests/tenant=<id>/run=<run_id>.json``."""
    return f"{manifest_prefix(tenant_id)}run={check_run_id(run_id)}.json"


def parse_manifest_key(key: str) -> tuple[str, str] | None:
    """``(tenant_id, run_id)`` of a key :func:`manifest_key` builds; ``None`` for any other key."""
    m = _MANIFEST_KEY.fullmatch(key)
    if m is None or not TENANT_ID_PATTERN.fullmatch(m[1]) or not RUN_ID_PATTERN.fullmatch(m[2]):
        return None
    return m[1], m[2]


def is_tenant_key(tenant_id: str, key: str) -> bool:
    """Whether ``key`` is inside the tenant's raw or manifest prefix (and is a safe key)."""
    try:
        check_key(key)
    except InvalidKeyError:
        return False
    return key.startswith((tenant_prefix(tenant_id), manifest_prefix(tenant_id)))


def check_key(key: str) -> str:
    """A relative, normalised key: no leading ``/``, no empty, ``.`` or ``..`` segment."""
    if not isinstance(key, str) or not key or key.startswith("/") or "\\" in key or "\0" in key:
        raise InvalidKeyError(f"invalid object key {key!r}")
    if any(seg in ("", ".", "..") for seg in key.split("/")):
        raise InvalidKeyError(f"invalid object key {key!r}")
    return key


def check_prefix(prefix: str) -> str:
    """A listing prefix: empty, or a key-shaped string (it may end with ``/``)."""
    if prefix == "":
        return prefix
    check_key(prefix[:-1] if prefix.endswith("/") else prefix)
    return prefix


def check_directory_prefix(prefix: str) -> str:
    """A prefix whose "directories" are listed: a listing prefix that ends with ``/``."""
    if not prefix.endswith("/"):
        raise ValueError(f"a prefix of directories ends with '/': {prefix!r}")
    return check_prefix(prefix)
