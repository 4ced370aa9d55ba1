"""Raw landing (ARCHITECTURE §3): gzip JSON Lines parts, bounded, streamed.

Each line is one node exactly as Shopify returned it plus
``"_shopsync": {"tenant_id", "run_id", "stream", "fetched_at"}``. A part is closed when it
reaches ``max_lines`` lines or ``max_bytes`` uncompressed bytes; memory never grows with the
number of records. Parts only appear once complete; an aborted writer leaves no partial part.
"""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import Any

from shopsync.lake.keys import check_run_id, check_stream, check_tenant_id, iso_utc, part_key
from shopsync.storage import ObjectStore, WritableStream

DEFAULT_MAX_LINES = 50_000
DEFAULT_MAX_BYTES = 128 * 1024 * 1024
META_KEY = "_shopsync"


def _dumps(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


class _OpenPart:
    def __init__(self, key: str, cm: AbstractContextManager[WritableStream]) -> None:
        self.key = key
        self.cm = cm
        self.sink = cm.__enter__()
        self.gz = gzip.GzipFile(fileobj=self.sink, mode="wb", compresslevel=6, mtime=0)
        self.lines = 0
        self.bytes = 0

    def close(self, exc: BaseException | None = None) -> None:
        if exc is None:
            self.gz.close()
            self.cm.__exit__(None, None, None)
        else:
            try:
                self.gz.close()
            finally:
                self.cm.__exit__(type(exc), exc, exc.__traceback__)


class RawStreamWriter:
    """Writes one stream of one run into ``tenant=<id>/stream=<s>/date=<d>/run=<run>/part-N``.

    Thread-safe: concurrent fetches of one stream may share a writer. Use as a context manager
    (an exception aborts the open part) or call :meth:`close` / :meth:`abort`.
    """

    def __init__(
        self,
        store: ObjectStore,
        *,
        tenant_id: str,
        run_id: str,
        stream: str,
        day: date,
        max_lines: int = DEFAULT_MAX_LINES,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        if max_lines < 1 or max_bytes < 1:
            raise ValueError("max_lines and max_bytes must be positive")
        self.store = store
        self.tenant_id = check_tenant_id(tenant_id)
        self.run_id = check_run_id(run_id)
        self.stream = check_stream(stream)
        self.day = day
        self.max_lines = max_lines
        self.max_bytes = max_bytes
        self.parts: list[str] = []
        self.records = 0
        self._part: _OpenPart | None = None
        self._lock = threading.Lock()
        self._closed = False

    def _meta_suffix(self, fetched_at: datetime) -> bytes:
        meta = {
            "tenant_id": self.tenant_id,
            "run_id": self.run_id,
            "stream": self.stream,
            "fetched_at": iso_utc(fetched_at),
        }
        return b'"' + META_KEY.encode() + b'":' + _dumps(meta) + b"}\n"

    def write_nodes(self, nodes: Iterable[Mapping[str, Any]], fetched_at: datetime) -> int:
        """Write nodes as parsed from a response; returns how many were written."""
        return self.write_json_lines((_dumps(node) for node in nodes), fetched_at)

    def write_json_lines(self, lines: Iterable[bytes], fetched_at: datetime) -> int:
        """Write already-serialised JSON objects (e.g. bulk JSONL lines) without re-parsing."""
        suffix = self._meta_suffix(fetched_at)
        with_comma = b"," + suffix
        count = 0
        with self._lock:
            for raw in lines:
                line = raw.rstrip()
                if not line:
                    continue
                if not (line.startswith(b"{") and line.endswith(b"}")):
                    raise ValueError(f"{self.stream}: a raw line must be a JSON object")
                body = line[:-1].rstrip()
                out = body + (suffix if body == b"{" else with_comma)
                self._write_line(out)
                count += 1
        return count

    def _write_line(self, line: bytes) -> None:
        if self._closed:
            raise RuntimeError(f"{self.stream}: writer is closed")
        part = self._part
        if part is not None and (
            part.lines >= self.max_lines or part.bytes + len(line) > self.max_bytes
        ):
            self._finish_part()
            part = None
        if part is None:
            key = part_key(self.tenant_id, self.stream, self.day, self.run_id, len(self.parts))
            part = self._part = _OpenPart(key, self.store.open_write(key))
        part.gz.write(line)
        part.lines += 1
        part.bytes += len(line)
        self.records += 1

    def _finish_part(self) -> None:
        part, self._part = self._part, None
        if part is not None:
            part.close()
            self.parts.append(part.key)

    def close(self) -> list[str]:
        """Finish the open part; returns every part key written, in order."""
        with self._lock:
            if not self._closed:
                self._finish_part()
                self._closed = True
            return list(self.parts)

    def abort(self, exc: BaseException | None = None) -> None:
        """Discard the open part (completed parts stay: nothing loads them without a manifest)."""
        with self._lock:
            part, self._part = self._part, None
            self._closed = True
            if part is not None:
                part.close(exc or RuntimeError("aborted"))

    def __enter__(self) -> RawStreamWriter:
        return self

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        if exc is None:
            self.close()
        else:
            self.abort(exc)


def read_part(store: ObjectStore, key: str) -> list[dict[str, Any]]:
    """Every line of one part, parsed (for tests, checks and small tools)."""
    data = gzip.decompress(store.get(key))
    return [json.loads(line) for line in data.splitlines() if line.strip()]
