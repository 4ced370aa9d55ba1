"""moto's server for the Terraform apply test: over HTTPS, with two gaps of moto 5 filled.

1. moto ignores condition operators it does not implement, ``Bool`` among them, so a bucket
   policy's ``Deny ... Bool aws:SecureTransport = false`` (TLS only) applies to every request and
   each object read or write gets 403. This server speaks only HTTPS, so every request carries
   ``aws:SecureTransport = true``; a statement whose ``Bool`` condition that does not meet does
   not apply, as in AWS.
2. moto drops a function's ``DeadLetterConfig``, so every plan would want to add it again; here
   the function keeps it and reports it, as Lambda does.
3. moto reports no description for a security-group rule that references another group or a
   prefix list (it keeps only the CIDR range's), so every plan would want to set it again; here
   the rule keeps it and reports it.

Everything else is moto's own. Run as
``python -m tests.moto_server -H 127.0.0.1 -p PORT -c CERT -k KEY``.
"""

from __future__ import annotations

import sys
from typing import Any

from moto.awslambda.models import LambdaFunction
from moto.ec2.models.security_groups import SecurityGroupRule
from moto.iam.access_control import IAMPolicyStatement, PermissionResult
from moto.server import main

REQUEST_CONTEXT = {"aws:SecureTransport": "true"}

_is_action_permitted = IAMPolicyStatement.is_action_permitted
_function_init = LambdaFunction.__init__
_function_configuration = LambdaFunction.get_configuration
_function_update = LambdaFunction.update_configuration
_rule_init = SecurityGroupRule.__init__


def bool_conditions_met(statement: dict[str, Any], context: dict[str, str]) -> bool:
    """Whether every ``Bool`` condition of ``statement`` holds for ``context``."""
    for key, expected in statement.get("Condition", {}).get("Bool", {}).items():
        allowed = {str(v).lower() for v in (expected if isinstance(expected, list) else [expected])}
        if context.get(key, "").lower() not in allowed:
            return False
    return True


def is_action_permitted(
    self: IAMPolicyStatement,
    action: str,
    resource: str = "*",
    principal: str | None = None,
    incoming_condition_values: dict[str, str] | None = None,
) -> Any:
    if not bool_conditions_met(self._statement, REQUEST_CONTEXT):
        return PermissionResult.NEUTRAL
    return _is_action_permitted(self, action, resource, principal, incoming_condition_values)


def function_init(
    self: LambdaFunction, account_id: str, spec: dict[str, Any], region: str, version: Any = 1
) -> None:
    _function_init(self, account_id, spec, region, version)
    self.dead_letter_config = spec.get("DeadLetterConfig")


def function_configuration(self: LambdaFunction, on_create: bool = False) -> dict[str, Any]:
    config = _function_configuration(self, on_create)
    if getattr(self, "dead_letter_config", None):
        config["DeadLetterConfig"] = self.dead_letter_config
    return config


def function_update(self: LambdaFunction, updates: dict[str, Any]) -> dict[str, Any]:
    if "DeadLetterConfig" in updates:
        self.dead_letter_config = updates["DeadLetterConfig"]
    return _function_update(self, updates)


def rule_init(self: SecurityGroupRule, *args: Any, **kwargs: Any) -> None:
    """``SecurityGroupRule(backend, protocol, group, from, to, ip_range, source_group,
    prefix_list_id, ...)``: remember the prefix list entry's description."""
    _rule_init(self, *args, **kwargs)
    prefix_list = kwargs.get("prefix_list_id", args[7] if len(args) > 7 else None)
    self.prefix_list_description = (prefix_list or {}).get("Description")


def rule_description(self: SecurityGroupRule) -> str | None:
    return (
        self.ip_range.get("Description")
        or self.source_group.get("Description")
        or getattr(self, "prefix_list_description", None)
    )


def patch_moto() -> None:
    IAMPolicyStatement.is_action_permitted = is_action_permitted  # type: ignore[method-assign]
    LambdaFunction.__init__ = function_init  # type: ignore[method-assign]
    LambdaFunction.get_configuration = function_configuration  # type: ignore[method-assign]
    LambdaFunction.update_configuration = function_update  # type: ignore[method-assign]
    SecurityGroupRule.__init__ = rule_init  # type: ignore[method-assign]
    SecurityGroupRule.description = property(rule_description)  # type: ignore[assignment,method-assign]


if __name__ == "__main__":
    patch_moto()
    main(sys.argv[1:])
