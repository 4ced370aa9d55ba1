"""moto's server over HTTPS, with the buckets' TLS-only policies evaluated as AWS does.

moto (5.x) ignores condition operators it does not implement, ``Bool`` among them, so a
bucket policy's ``Deny ... Bool aws:SecureTransport = false`` (TLS only) applies to every
request and each object read or write gets 403. This server speaks only HTTPS, so every request
carries ``aws:SecureTransport = true``; a statement whose ``Bool`` condition is not met by that
does not apply, as in AWS. Everything else is moto's own evaluation.

Run as ``python -m tests.moto_https_server -H 127.0.0.1 -p PORT -c CERT -k KEY``.
"""

from __future__ import annotations

import sys
from typing import Any

from moto.iam.access_control import IAMPolicyStatement, PermissionResult
from moto.server import main

REQUEST_CONTEXT = {"aws:SecureTransport": "true"}

_original = IAMPolicyStatement.is_action_permitted


def bool_conditions_met(statement: dict[str, Any], context: dict[str, str]) -> bool:
    """Whether every ``Bool`` condition of ``statement`` holds for ``context``."""
    for key, expected in statement.get("Condition", {}).get("Bool", {}).items():
        allowed = {str(v).lower() for v in (expected if isinstance(expected, list) else [expected])}
        if context.get(key, "").lower() not in allowed:
            return False
    return True


def _is_action_permitted(
    self: IAMPolicyStatement,
    action: str,
    resource: str = "*",
    principal: str | None = None,
    incoming_condition_values: dict[str, str] | None = None,
) -> Any:
    if not bool_conditions_met(self._statement, REQUEST_CONTEXT):
        return PermissionResult.NEUTRAL
    return _original(self, action, resource, principal, incoming_condition_values)


if __name__ == "__main__":
    IAMPolicyStatement.is_action_permitted = _is_action_permitted  # type: ignore[method-assign]
    main(sys.argv[1:])
