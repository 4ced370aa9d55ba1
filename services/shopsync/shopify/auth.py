"""Store credentials: a static access token, or the client-credentials grant.

The tenant's secret holds ``{"access_token": ...}`` or ``{"client_id": ..., "client_secret":
...}``. Locally it comes from ``$SHOPSYNC_HOME/secrets.json`` keyed by tenant id; on AWS from
Secrets Manager through Powertools Parameters with an explicit cache age. Tokens are
``SecretStr`` and never appear in logs, errors or URLs.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import requests
from pydantic import BaseModel, ConfigDict, SecretStr, ValidationError, model_validator

from .errors import AuthConfigError, TransportError, UnauthorizedError

TOKEN_REFRESH_MARGIN = 60.0  # seconds before expiry at which a granted token is renewed


class Credentials(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    access_token: SecretStr | None = None
    client_id: str | None = None
    client_secret: SecretStr | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Credentials:
        if self.access_token is None and (self.client_id is None or self.client_secret is None):
            raise ValueError("needs access_token, or client_id and client_secret")
        return self


class SecretSource(Protocol):
    def credentials(
        self, tenant_id: str, secret_name: str, *, refresh: bool = False
    ) -> Credentials:
        """The tenant's credentials; ``refresh`` bypasses any cache."""
        ...


def _parse(tenant_id: str, value: Any) -> Credentials:
    try:
        return Credentials.model_validate(value)
    except ValidationError:
        # The validation error could echo the secret; say only what is wrong.
        raise AuthConfigError(
            f"tenant {tenant_id}: secret must hold access_token, or client_id and client_secret"
        ) from None


class LocalSecrets:
    """``secrets.json``: ``{"<tenant_id>": {"access_token": "..."}}``, re-read on refresh."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def credentials(
        self, tenant_id: str, secret_name: str, *, refresh: bool = False
    ) -> Credentials:
        try:
            entries = json.loads(self.path.read_text())
        except FileNotFoundError:
            raise AuthConfigError(f"tenant {tenant_id}: no secrets file at {self.path}") from None
        except ValueError:
            raise AuthConfigError(f"tenant {tenant_id}: {self.path} is not valid JSON") from None
        if not isinstance(entries, dict) or tenant_id not in entries:
            raise AuthConfigError(f"tenant {tenant_id}: no entry in {self.path}")
        return _parse(tenant_id, entries[tenant_id])


class AwsSecrets:
    """Secrets Manager via Powertools Parameters, cached for ``max_age`` seconds."""

    def __init__(self, *, max_age: int = 300, provider: Any | None = None) -> None:
        self.max_age = max_age
        self._provider = provider

    def credentials(
        self, tenant_id: str, secret_name: str, *, refresh: bool = False
    ) -> Credentials:
        from aws_lambda_powertools.utilities import parameters

        provider = self._provider or parameters.SecretsProvider()
        try:
            value = provider.get(
                secret_name, max_age=self.max_age, transform="json", force_fetch=refresh
            )
        except parameters.exceptions.GetParameterError as exc:
            raise AuthConfigError(f"tenant {tenant_id}: cannot read secret {secret_name}") from exc
        except parameters.exceptions.TransformParameterError:
            raise AuthConfigError(f"tenant {tenant_id}: secret {secret_name} is not JSON") from None
        return _parse(tenant_id, value)


class TokenProvider:
    """Hands out the current access token; :meth:`refresh` after a 401 (once per run)."""

    def __init__(
        self,
        *,
        tenant_id: str,
        secret_name: str,
        secrets: SecretSource,
        token_url: str,
        session: requests.Session,
        timeout: tuple[float, float] = (5.0, 30.0),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.tenant_id = tenant_id
        self.secret_name = secret_name
        self._secrets = secrets
        self._token_url = token_url
        self._session = session
        self._timeout = timeout
        self._clock = clock
        self._lock = threading.Lock()
        self._token: SecretStr | None = None
        self._expires_at: float | None = None

    def token(self) -> SecretStr:
        with self._lock:
            expired = self._expires_at is not None and self._clock() >= self._expires_at
            if self._token is None or expired:
                self._load(refresh=expired)
            if self._token is None:  # _load always sets it or raises
                raise AuthConfigError(f"tenant {self.tenant_id}: no access token")
            return self._token

    def refresh(self) -> None:
        with self._lock:
            self._load(refresh=True)

    def _load(self, *, refresh: bool) -> None:
        creds = self._secrets.credentials(self.tenant_id, self.secret_name, refresh=refresh)
        if creds.access_token is not None:
            self._token, self._expires_at = creds.access_token, None
            return
        if creds.client_id is None or creds.client_secret is None:  # excluded by Credentials
            raise AuthConfigError(f"tenant {self.tenant_id}: incomplete client credentials")
        self._token, self._expires_at = self._grant(creds.client_id, creds.client_secret)

    def _grant(self, client_id: str, client_secret: SecretStr) -> tuple[SecretStr, float | None]:
        form = {
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret.get_secret_value(),
        }
        try:
            response = self._session.post(self._token_url, data=form, timeout=self._timeout)
        except requests.RequestException as exc:
            raise TransportError(
                f"tenant {self.tenant_id}: token request failed ({type(exc).__name__})"
            ) from None
        if response.status_code in (400, 401, 403):
            raise UnauthorizedError(
                f"tenant {self.tenant_id}: client-credentials grant refused "
                f"(HTTP {response.status_code})"
            )
        if response.status_code != 200:
            raise TransportError(
                f"tenant {self.tenant_id}: token endpoint answered HTTP {response.status_code}"
            )
        try:
            body = response.json()
            token = SecretStr(str(body["access_token"]))
        except (ValueError, KeyError, TypeError):
            raise TransportError(f"tenant {self.tenant_id}: malformed token response") from None
        expires_in = body.get("expires_in")
        expires_at = None
        if isinstance(expires_in, int | float) and expires_in > 0:
            expires_at = self._clock() + max(float(expires_in) - TOKEN_REFRESH_MARGIN, 0.0)
        return token, expires_at
