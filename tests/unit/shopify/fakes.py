"""A ``requests`` transport adapter that answers from a script of hand-built responses."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    raw: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    error: Exception | None = None


@dataclass
class Sent:
    url: str
    headers: Mapping[str, str]
    body: Any


class ScriptedAdapter(BaseAdapter):
    def __init__(self, *replies: Reply) -> None:
        super().__init__()
        self.replies = list(replies)
        self.sent: list[Sent] = []

    def send(
        self, request: requests.PreparedRequest, *args: Any, **kwargs: Any
    ) -> requests.Response:
        raw_body = request.body or b""
        text = raw_body.decode() if isinstance(raw_body, bytes) else raw_body
        try:
            parsed: Any = json.loads(text)
        except ValueError:
            parsed = text
        self.sent.append(Sent(str(request.url), dict(request.headers), parsed))
        if not self.replies:
            raise AssertionError(f"unexpected request to {request.url}")
        reply = self.replies.pop(0)
        if reply.error is not None:
            raise reply.error
        response = requests.Response()
        response.status_code = reply.status
        response.headers = CaseInsensitiveDict(reply.headers)
        response._content = reply.raw if reply.raw is not None else json.dumps(reply.body).encode()
        response._content_consumed = True  # type: ignore[attr-defined]  # iter_lines serves _content
        response.url = str(request.url)
        response.request = request
        return response

    def close(self) -> None:
        pass


def cost(
    requested: float = 10,
    actual: float = 8,
    available: float = 1990,
    maximum: float = 2000,
    rate: float = 100,
) -> dict[str, Any]:
    return {
        "cost": {
            "requestedQueryCost": requested,
            "actualQueryCost": actual,
            "throttleStatus": {
                "maximumAvailable": maximum,
                "currentlyAvailable": available,
                "restoreRate": rate,
            },
        }
    }


def ok(data: Any, **cost_kw: float) -> Reply:
    return Reply(body={"data": data, "extensions": cost(**cost_kw)})


def throttled(available: float = 0, requested: float = 10) -> Reply:
    return Reply(
        body={
            "errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED"}}],
            "extensions": cost(requested=requested, actual=0, available=available),
        }
    )


def session_with(adapter: ScriptedAdapter) -> requests.Session:
    session = requests.Session()
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session
