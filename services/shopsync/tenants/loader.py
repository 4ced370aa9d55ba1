"""Load ``tenants/*.yaml`` into a :class:`Registry`, reporting every error at once.

Each error reads ``tenants/<file>.yaml: <field>: <message>``; the field is a dotted path
(``auth.secret``, ``streams[2]``), ``line N`` for YAML syntax, or ``(file)`` for the file as a
whole. Nothing that looks like a credential is ever repeated in a message.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from shopsync.tenantid import is_tenant_id
from shopsync.tenants.credentials import redact, scan_document, scan_text
from shopsync.tenants.models import Auth, QuickSight, Tenant, utc_today
from shopsync.tenants.registry import Registry

try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

FILE = "(file)"
_Error = tuple[str, str]  # (field, message)


class TenantConfigError(ValueError):
    """One or more tenant files are invalid; ``errors`` holds every problem, one per line."""

    def __init__(self, errors: Sequence[str]) -> None:
        self.errors: list[str] = list(errors)
        super().__init__(self.errors)

    def __str__(self) -> str:
        n = len(self.errors)
        return f"{n} error{'s' if n != 1 else ''} in tenant files:\n" + "\n".join(self.errors)


# --- YAML --------------------------------------------------------------------------------


class _StrictLoader(_SafeLoader):
    """YAML 1.1 safe loader (libyaml when available) that rejects duplicate keys."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[object, object]:
    loader.flatten_mapping(node)
    seen: set[object] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in seen
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            ) from None
        if duplicate:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=True)


def _construct_timestamp(loader: _StrictLoader, node: yaml.ScalarNode) -> object:
    # PyYAML raises a bare ValueError for 2024-13-01; keep the text so the field reports it.
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


_StrictLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _parse_documents(text: str) -> list[object]:
    return list(yaml.load_all(text, Loader=_StrictLoader))


def _yaml_error(exc: yaml.YAMLError) -> _Error:
    # Built from the parts, never str(exc): PyYAML's snippet would quote the offending line.
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}" if mark is not None else FILE
        detail = exc.problem or "syntax error"
        if exc.context:
            detail = f"{detail} ({exc.context})"
        if mark is not None:
            detail = f"{detail} at column {mark.column + 1}"
        return where, f"invalid YAML: {detail}"
    if isinstance(exc, yaml.reader.ReaderError):
        return FILE, f"invalid YAML: {exc.reason} at character {exc.position}"
    return FILE, "invalid YAML"


# --- pydantic errors -> (field, message) --------------------------------------------------

_MODEL_AT: dict[tuple[str, ...], type[BaseModel]] = {
    (): Tenant,
    ("auth",): Auth,
    ("quicksight",): QuickSight,
}
_PATTERN_HINTS = {
    "secret": "expected a Secrets Manager secret NAME: 1-512 of A-Z a-z 0-9 / _ + = . @ -",
    "api_version": 'expected YYYY-MM with month 01, 04, 07 or 10, e.g. "2026-10"',
    "groups": "expected a QuickSight group name: letters, digits and + = , . @ _ - (1-128)",
}
_TYPE_MESSAGES = {
    "missing": "required field is missing",
    "model_type": "expected a mapping",
    "model_attributes_type": "expected a mapping",
    "dict_type": "expected a mapping",
    "tuple_type": "expected a list",
    "list_type": "expected a list",
    "string_type": "expected a string",
    "bool_type": "expected true or false",
    "invalid_key": "keys must be strings",
}


def field_path(loc: Iterable[int | str]) -> str:
    """``('streams', 2)`` -> ``streams[2]``; ``('auth', 'secret')`` -> ``auth.secret``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path = f"{path}.{part}" if path else str(part)
    return path or FILE


def _message(err: ErrorDetails) -> str:
    kind, loc, ctx = err["type"], err["loc"], err.get("ctx", {})
    names = [p for p in loc if isinstance(p, str)]  # ('quicksight', 'groups', 0) -> groups
    message = _TYPE_MESSAGES.get(kind, err["msg"])
    if kind == "value_error" and "error" in ctx:
        message = str(ctx["error"])  # our own validators' messages, without "Value error, "
    elif kind == "extra_forbidden":
        model = _MODEL_AT.get(tuple(str(p) for p in loc[:-1]))
        message = (
            f"unknown key; allowed keys: {', '.join(model.model_fields)}"
            if model
            else ("unknown key")
        )
    elif kind == "string_pattern_mismatch" and names and names[-1] in _PATTERN_HINTS:
        message = _PATTERN_HINTS[names[-1]]
    elif kind == "enum" and "expected" in ctx:
        message = f"expected one of {ctx['expected']}"
    elif kind == "too_short" and loc == ("streams",):
        message = "needs at least one stream; leave streams out to sync all of them"
    elif kind == "string_too_short":
        message = "must not be empty"
    return message


def validation_errors(exc: ValidationError) -> list[_Error]:
    """``(field, message)`` for each error pydantic found, in its order."""
    found: list[_Error] = []
    for err in exc.errors(include_url=False, include_input=False):
        loc = err["loc"]
        if err["type"] == "invalid_key":  # a non-string key: loc ends with the key itself
            loc = (*loc[:-1], str(loc[-1]))
        found.append((field_path(loc), _message(err)))
    return found


# --- one file ----------------------------------------------------------------------------


@dataclass
class _Checked:
    display: str
    file_name: str
    tenant: Tenant | None = None
    errors: list[_Error] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)


def _check_text(display: str, file_name: str, text: str, today: date) -> _Checked:
    checked = _Checked(display, file_name)
    errors, secrets = checked.errors, checked.secrets
    try:
        documents = _parse_documents(text)
    except yaml.YAMLError as exc:
        errors.append(_yaml_error(exc))
        documents = None
    except (ValueError, TypeError, RecursionError):  # a constructor PyYAML did not guard
        errors.append((FILE, "invalid YAML: a value could not be read"))
        documents = None
    findings = [f for doc in documents or () for f in scan_document(doc)]
    findings += scan_text(text, [f.secret for f in findings])
    secrets.extend(f.secret for f in findings)
    errors.extend((f.field, f.message) for f in findings)
    if documents is None:
        return checked
    data = documents[0] if documents else None
    if len(documents) > 1:
        errors.append((FILE, f"{len(documents)} YAML documents; a tenant file holds exactly one"))
        return checked
    if data is None:
        errors.append((FILE, "file is empty; expected a tenant mapping (id, name, shop, ...)"))
        return checked
    if not isinstance(data, dict):
        errors.append((FILE, f"expected a mapping of tenant fields, got a YAML {_kind(data)}"))
        return checked
    raw_id = data.get("id")
    if is_tenant_id(raw_id) and file_name != f"{raw_id}.yaml":
        errors.append(("id", f"the file must be named after the id: rename it to {raw_id}.yaml"))
    try:
        tenant = Tenant.model_validate(data, context={"today": today})
    except ValidationError as exc:
        errors.extend(validation_errors(exc))
    else:
        checked.tenant = tenant  # kept even next to other errors, for the cross-file checks
    return checked


def _kind(data: object) -> str:
    if isinstance(data, list):
        return "list"
    if isinstance(data, str):
        return "string"
    return type(data).__name__


def _check_file(path: Path, display: str, today: date) -> _Checked:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return _Checked(display, path.name, errors=[(FILE, "not UTF-8 text")])
    except OSError as exc:
        return _Checked(display, path.name, errors=[(FILE, f"cannot read: {exc.strerror}")])
    return _check_text(display, path.name, text, today)


# --- the directory ------------------------------------------------------------------------


def _display_prefix(directory: Path) -> str:
    return directory.name or directory.resolve().name or str(directory)


def _collect(directory: Path, today: date) -> list[_Checked]:
    if not directory.is_dir():
        raise TenantConfigError([f"{directory}: tenants directory not found"])
    prefix = _display_prefix(directory)
    checked: list[_Checked] = []
    with os.scandir(directory) as entries:
        files = sorted((e.name, e.path) for e in entries if e.is_file())
    for name, path in files:
        display = f"{prefix}/{name}"
        suffix = Path(name).suffix
        if suffix == ".yaml":
            checked.append(_check_file(Path(path), display, today))
        elif suffix.lower() in (".yml", ".yaml"):
            stem = Path(name).stem
            message = f"tenant files end in .yaml; rename it to {stem}.yaml"
            checked.append(_Checked(display, name, errors=[(FILE, message)]))
    return checked


def _cross_file_errors(checked: Sequence[_Checked]) -> None:
    """Duplicate ids or shops: the later file (by name) gets an error naming both files."""
    first_id: dict[str, _Checked] = {}
    first_shop: dict[str, _Checked] = {}
    for item in checked:
        tenant = item.tenant
        if tenant is None:
            continue
        if (other := first_id.setdefault(tenant.id, item)) is not item:
            item.errors.append(
                ("id", f"duplicate id {tenant.id!r}: {other.display} has the same id")
            )
        if (other := first_shop.setdefault(tenant.shop, item)) is not item:
            item.errors.append(
                ("shop", f"duplicate shop {tenant.shop}: {other.display} syncs the same store")
            )


def _registry_or_raise(checked: Sequence[_Checked]) -> Registry:
    _cross_file_errors(checked)
    secrets = [s for item in checked for s in item.secrets]
    errors = [
        redact(f"{item.display}: {where}: {message}", secrets)
        for item in checked
        for where, message in item.errors
    ]
    if errors:
        raise TenantConfigError(errors)
    return Registry(item.tenant for item in checked if item.tenant is not None)


def load_registry(directory: Path, *, today: date | None = None) -> Registry:
    """Every tenant in ``directory/*.yaml``; raises :class:`TenantConfigError` listing all
    problems (per file and across files) when any file is invalid."""
    return _registry_or_raise(_collect(directory, today or utc_today()))


def check_new_tenant(
    directory: Path, file_name: str, text: str, *, today: date | None = None
) -> Tenant:
    """Validate ``text`` as a new file ``directory/file_name`` against the existing files,
    with exactly the checks :func:`load_registry` applies; nothing is written."""
    day = today or utc_today()
    existing = _collect(directory, day)
    display = f"{_display_prefix(directory)}/{file_name}"
    if any(item.file_name == file_name for item in existing):
        stem = file_name.removesuffix(".yaml")
        raise TenantConfigError([f"{display}: id: tenant {stem!r} already exists ({display})"])
    candidate = _check_text(display, file_name, text, day)
    return _registry_or_raise([*existing, candidate]).get(file_name.removesuffix(".yaml"))


def load_tenants_leniently(
    directory: Path, *, today: date | None = None
) -> tuple[tuple[Tenant, ...], dict[str, str]]:
    """The scheduler's view: every VALID tenant (sorted by id), plus ``{file: errors}`` for the
    files that were rejected, so that one broken file does not stop every store.

    Same checks as :func:`load_registry`; of two files with the same id or shop only the first
    (by file name) is kept. A missing directory yields no tenants and one error.
    """
    try:
        checked = _collect(directory, today or utc_today())
    except TenantConfigError as exc:
        return (), {str(directory): "; ".join(exc.errors)}
    _cross_file_errors(checked)
    secrets = [s for item in checked for s in item.secrets]
    errors = {
        item.display: redact("; ".join(f"{w}: {m}" for w, m in item.errors), secrets)
        for item in checked
        if item.errors
    }
    tenants = [item.tenant for item in checked if item.tenant is not None and not item.errors]
    return tuple(sorted(tenants, key=lambda t: t.id)), errors
