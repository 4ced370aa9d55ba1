"""A small EventBridge event-pattern matcher (content filtering), for the local bus and tests.

Semantics follow the EventBridge user guide ("Content filtering in Amazon EventBridge event
patterns"):

- a pattern is a JSON object; every key in it must match (AND); nested objects match nested
  fields; a leaf is a non-empty array of alternatives (OR);
- an alternative is an exact value (string, number, ``null``) or a one-key object:
  ``prefix``, ``suffix``, ``equals-ignore-case``, ``anything-but``, ``exists``, ``numeric``
  (``prefix``/``suffix`` also take ``{"equals-ignore-case": ...}``; ``anything-but`` takes a
  value, a list of values, or ``{"prefix"|"suffix"|"equals-ignore-case": ...}``);
- when the event's value is an array, the field matches if any element matches;
- every matcher but ``{"exists": false}`` needs the field to be present, and comparison
  operators only look at leaves (an object is never a match value).

Unsupported operators (``wildcard``, ``cidr``, ``$or``) raise :class:`PatternError` rather than
silently matching nothing.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

_MISSING = object()
_NUMERIC_OPS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    "=": operator.eq,
    ">": operator.gt,
    ">=": operator.ge,
}


class PatternError(ValueError):
    """A pattern that EventBridge would reject, or that this matcher does not support."""


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_leaf(value: object) -> bool:
    return not isinstance(value, dict | list)


def _string_test(kind: str, arg: object) -> Callable[[str], bool]:
    if isinstance(arg, str):
        if kind == "prefix":
            return lambda s: s.startswith(arg)
        if kind == "suffix":
            return lambda s: s.endswith(arg)
        return lambda s: s == arg
    if isinstance(arg, dict) and set(arg) == {"equals-ignore-case"}:
        folded = arg["equals-ignore-case"]
        if not isinstance(folded, str):
            raise PatternError(f"{kind}: equals-ignore-case needs a string")
        folded = folded.casefold()
        if kind == "prefix":
            return lambda s: s.casefold().startswith(folded)
        if kind == "suffix":
            return lambda s: s.casefold().endswith(folded)
    raise PatternError(f"{kind}: expected a string, got {arg!r}")


def _exact(expected: object, value: object) -> bool:
    if _is_number(expected) and _is_number(value):
        return float(expected) == float(value)  # type: ignore[arg-type]
    return type(expected) is type(value) and expected == value


def _anything_but(arg: object, value: object) -> bool:
    if isinstance(arg, list):
        if not all(isinstance(v, str) for v in arg) and not all(_is_number(v) for v in arg):
            raise PatternError("anything-but: a list must hold only strings or only numbers")
        return not any(_exact(v, value) for v in arg)
    if isinstance(arg, dict):
        if len(arg) != 1:
            raise PatternError(f"anything-but: unsupported {arg!r}")
        ((kind, inner),) = arg.items()
        if kind == "equals-ignore-case":
            options = inner if isinstance(inner, list) else [inner]
            if not options or not all(isinstance(o, str) for o in options):
                raise PatternError("anything-but: equals-ignore-case takes strings")
            return isinstance(value, str) and value.casefold() not in {
                o.casefold() for o in options
            }
        if kind not in ("prefix", "suffix") or not isinstance(inner, str):
            raise PatternError(f"anything-but: unsupported {arg!r}")
        return isinstance(value, str) and not _string_test(kind, inner)(value)
    if isinstance(arg, str) or _is_number(arg):
        return not _exact(arg, value)
    raise PatternError(f"anything-but: unsupported {arg!r}")


def _numeric(arg: object, value: object) -> bool:
    if not isinstance(arg, list) or not arg or len(arg) % 2:
        raise PatternError(f"numeric: expected [op, number, ...], got {arg!r}")
    if not _is_number(value):
        return False
    for op, bound in zip(arg[::2], arg[1::2], strict=True):
        if op not in _NUMERIC_OPS or not _is_number(bound):
            raise PatternError(f"numeric: bad comparison {op!r} {bound!r}")
        if not _NUMERIC_OPS[op](float(value), float(bound)):  # type: ignore[arg-type]
            return False
    return True


def _match_one(rule: object, value: object) -> bool:
    """One alternative against one present leaf value (``value`` is never a list here)."""
    if not isinstance(rule, dict):
        if isinstance(rule, list):
            raise PatternError(f"nested arrays are not valid match values: {rule!r}")
        return _exact(rule, value)
    if len(rule) != 1:
        raise PatternError(f"a matcher object has exactly one key: {rule!r}")
    ((kind, arg),) = rule.items()
    if not _is_leaf(value):
        return False
    if kind in ("prefix", "suffix"):
        return isinstance(value, str) and _string_test(kind, arg)(value)
    if kind == "equals-ignore-case":
        if not isinstance(arg, str):
            raise PatternError("equals-ignore-case needs a string")
        return isinstance(value, str) and value.casefold() == arg.casefold()
    if kind == "anything-but":
        return _anything_but(arg, value)
    if kind == "numeric":
        return _numeric(arg, value)
    raise PatternError(f"unsupported matcher {kind!r}")


def _match_leaf(rules: list[Any], value: object) -> bool:
    if not rules:
        raise PatternError("a pattern leaf is a non-empty array")
    for rule in rules:
        if isinstance(rule, dict) and set(rule) == {"exists"}:
            if not isinstance(rule["exists"], bool):
                raise PatternError("exists takes true or false")
            present = value is not _MISSING and (
                _is_leaf(value) or (isinstance(value, list) and len(value) > 0)
            )
            if rule["exists"] == present:
                return True
            continue
        if value is _MISSING:
            continue
        values = value if isinstance(value, list) else [value]
        if any(_match_one(rule, v) for v in values):
            return True
    return False


def matches(pattern: Mapping[str, Any], event: Mapping[str, Any]) -> bool:
    """Whether ``event`` matches the EventBridge ``pattern``."""
    if not isinstance(pattern, Mapping):
        raise PatternError("a pattern is a JSON object")
    for key, rule in pattern.items():
        value = event.get(key, _MISSING) if isinstance(event, Mapping) else _MISSING
        if isinstance(rule, Mapping):
            # An array of objects matches when one of its objects matches the sub-pattern.
            candidates = value if isinstance(value, list) else [value]
            if not any(isinstance(c, Mapping) and matches(rule, c) for c in candidates):
                return False
        elif isinstance(rule, list):
            if not _match_leaf(rule, value):
                return False
        else:
            raise PatternError(f"{key}: a pattern value is an object or an array, got {rule!r}")
    return True


def validate(pattern: Mapping[str, Any]) -> None:
    """Raise :class:`PatternError` for a malformed pattern (checked against an empty event)."""
    matches(pattern, {})
    _walk_rules(pattern)


def _walk_rules(pattern: Mapping[str, Any]) -> None:
    for rule in pattern.values():
        if isinstance(rule, Mapping):
            _walk_rules(rule)
            continue
        for alternative in rule:
            if isinstance(alternative, dict) and set(alternative) != {"exists"}:
                _match_one(alternative, "")
                _match_one(alternative, 0)


PATTERNS_DIR = Path(__file__).with_name("patterns")
CLOUDTRAIL_PATTERN = "cloudtrail_manifest.json"
S3_NATIVE_PATTERN = "s3_object_created.json"


def load_pattern(name: str, *, raw_bucket: str) -> dict[str, Any]:
    """A pattern file with ``${raw_bucket}`` filled in, as Terraform's ``templatefile`` does."""
    text = (PATTERNS_DIR / name).read_text()
    pattern: dict[str, Any] = json.loads(text.replace("${raw_bucket}", raw_bucket))
    validate(pattern)
    return pattern
