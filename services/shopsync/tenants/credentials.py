"""Spot credentials pasted into a tenant file, without ever repeating them.

A tenant file names a Secrets Manager secret; a token in it would end up in git, in
Terraform state and in logs. Two signals are checked:

* a Shopify token prefix (``shpat_``, ``shpca_``, ``shppa_``, ``shpss_``, ``shpua_``) in any
  key, any string value, or anywhere in the raw text (comments included);
* a long, random-looking value (high Shannon entropy, at least 20 characters) under a key
  that usually holds a secret (``token``, ``password``, ``client_secret``, ...).

Findings carry the offending text only so that callers can scrub it from every message
(:func:`redact`); the finding's own message never contains it.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache

SHOPIFY_TOKEN_PREFIXES = ("shpat_", "shpca_", "shppa_", "shpss_", "shpua_")
_PREFIX_RE = re.compile(r"shp(?:at|ca|pa|ss|ua)_", re.IGNORECASE)
_TOKEN_RE = re.compile(r"(shp(?:at|ca|pa|ss|ua)_)[A-Za-z0-9_\-]+", re.IGNORECASE)

#: Keys (normalised: lowercase, ``-`` -> ``_``) whose values are usually secrets; a key that
#: ends in ``_<one of these>`` counts too (``shopify_access_token``, ``x_api_key``).
SECRET_KEYS = frozenset(
    {
        "token",
        "access_token",
        "refresh_token",
        "api_token",
        "auth_token",
        "password",
        "passwd",
        "secret_value",
        "client_secret",
        "shared_secret",
        "api_secret",
        "api_key",
        "apikey",
        "secret_key",
        "private_key",
    }
)
MIN_SECRET_LENGTH = 20
_HEX_RE = re.compile(r"^[0-9a-fA-F]+$")
_HEX_ENTROPY = 3.0  # bits per character (detect-secrets' default for hex strings)
_OTHER_ENTROPY = 3.5

_ADVICE = "keep tokens in Secrets Manager and name the secret in auth.secret"


@dataclasses.dataclass(frozen=True)
class Finding:
    field: str
    message: str
    secret: str = dataclasses.field(repr=False)


def has_token_prefix(text: str) -> bool:
    return _PREFIX_RE.search(text) is not None


def shannon_entropy(text: str) -> float:
    """Bits per character of ``text``'s own character distribution."""
    if not text:
        return 0.0
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in Counter(text).values())


def looks_random(text: str) -> bool:
    if len(text) < MIN_SECRET_LENGTH or any(ch.isspace() for ch in text):
        return False
    limit = _HEX_ENTROPY if _HEX_RE.fullmatch(text) else _OTHER_ENTROPY
    return shannon_entropy(text) >= limit


_SECRET_KEY_RE = re.compile(r"(?:^|_)(?:" + "|".join(sorted(SECRET_KEYS)) + r")$")


@lru_cache(maxsize=1024)
def is_secret_key(key: str) -> bool:
    return _SECRET_KEY_RE.search(key.strip().lower().replace("-", "_")) is not None


def scan_document(data: object) -> list[Finding]:
    """Findings for keys and values of a parsed YAML document, with dotted field paths."""
    return list(_walk(data, "", under_secret_key=False))


def _walk(node: object, path: str, *, under_secret_key: bool) -> Iterator[Finding]:
    if isinstance(node, dict):
        for key, value in node.items():
            key_text = str(key)
            child = f"{path}.{key_text}" if path else key_text
            if has_token_prefix(key_text):
                yield Finding(
                    child, f"looks like a Shopify access token (in a key); {_ADVICE}", key_text
                )
            yield from _walk(value, child, under_secret_key=is_secret_key(key_text))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _walk(item, f"{path}[{index}]", under_secret_key=under_secret_key)
    elif isinstance(node, str):
        if has_token_prefix(node):
            yield Finding(path, f"looks like a Shopify access token; {_ADVICE}", node)
        elif under_secret_key and looks_random(node):
            yield Finding(
                path,
                f"looks like a credential (a long random value); {_ADVICE}",
                node,
            )


def scan_text(text: str, already_found: Iterable[str] = ()) -> list[Finding]:
    """Token prefixes in the raw text that the document scan did not report (comments, or a
    file that does not parse). Field is ``line N``."""
    if not has_token_prefix(text):
        return []
    known = tuple(already_found)
    findings: list[Finding] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        for match in _PREFIX_RE.finditer(line):
            token = _TOKEN_RE.match(line, match.start())
            word = token.group(0) if token else match.group(0)
            if any(word in secret for secret in known):
                continue
            findings.append(
                Finding(
                    f"line {lineno}",
                    f"looks like a Shopify access token; {_ADVICE}",
                    word,
                )
            )
            break  # one report per line is enough
    return findings


def redact(message: str, secrets: Iterable[str] = ()) -> str:
    """``message`` with every known secret and anything token-shaped masked."""
    for secret in sorted(set(secrets), key=len, reverse=True):
        if secret:
            message = message.replace(secret, "***")
    return _TOKEN_RE.sub(lambda m: m.group(1) + "***", message)
