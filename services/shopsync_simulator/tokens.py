"""Access tokens for local tenants: ``$SHOPSYNC_HOME/secrets.json``, created on first use.

Format (ARCHITECTURE §6): ``{"<tenant_id>": {"access_token": "shpat_..."}}``. Entries that are
already there are kept (other parts of shopsync may add keys of their own).
"""

from __future__ import annotations

import fcntl
import json
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from shopsync.private_files import write_private


def new_token() -> str:
    return "shpat_" + secrets.token_hex(16)


def ensure_tokens(path: Path, tenant_ids: Iterable[str]) -> dict[str, str]:
    """The token of every tenant, creating (and saving) the missing ones."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_name(path.name + ".lock")
    with lock_path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        data: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
        changed = False
        tokens: dict[str, str] = {}
        for tenant_id in tenant_ids:
            entry = data.get(tenant_id)
            if not isinstance(entry, dict) or not str(entry.get("access_token", "")):
                entry = dict(entry) if isinstance(entry, dict) else {}
                entry["access_token"] = new_token()
                data[tenant_id] = entry
                changed = True
            tokens[tenant_id] = str(entry["access_token"])
        if changed:
            write_private(path, json.dumps(data, indent=2, sort_keys=True))
        return tokens
