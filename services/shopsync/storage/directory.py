"""A directory tree with the same keys as the bucket: ``$SHOPSYNC_HOME/lake/<bucket>/<key>``."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from shopsync.lake.keys import check_directory_prefix, check_key, check_prefix

from .base import ObjectNotFoundError, ReadableStream, WritableStream

_TEMP_MARK = ".tmp-"


class LocalObjectStore:
    """Atomic writes: a temporary file in the target directory, fsynced, then renamed."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root.joinpath(*check_key(key).split("/"))

    def uri(self, key: str) -> str:
        return str(self._path(key))

    def put_bytes(self, key: str, data: bytes) -> None:
        with self.open_write(key) as out:
            out.write(data)

    @contextmanager
    def open_write(self, key: str) -> Iterator[WritableStream]:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}{_TEMP_MARK}{uuid.uuid4().hex}")
        try:
            with temp.open("xb") as handle:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
            temp.replace(path)
        finally:
            temp.unlink(missing_ok=True)

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise ObjectNotFoundError(key) from None

    @contextmanager
    def open_read(self, key: str) -> Iterator[ReadableStream]:
        try:
            handle = self._path(key).open("rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise ObjectNotFoundError(key) from None
        with handle:
            yield handle

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def list(self, prefix: str = "", *, start_after: str | None = None) -> Iterator[str]:
        keys = self._keys(prefix)
        return iter(keys if start_after is None else [k for k in keys if k > start_after])

    def list_prefixes(self, prefix: str) -> Iterator[str]:
        check_directory_prefix(prefix)
        start = self.root.joinpath(*prefix.rstrip("/").split("/"))
        if not start.is_dir():
            return iter(())
        names = sorted(p.name for p in start.iterdir() if p.is_dir() and _holds_a_key(p))
        return iter(f"{prefix}{name}/" for name in names)

    def _keys(self, prefix: str) -> tuple[str, ...]:
        check_prefix(prefix)
        if not self.root.is_dir():
            return ()
        # Walk only the directory the prefix names, then filter by the rest of it.
        head, _, _ = prefix.rpartition("/")
        start = self.root.joinpath(*head.split("/")) if head else self.root
        if not start.is_dir():
            return ()
        keys = []
        for dirpath, _dirs, files in os.walk(start):
            rel = Path(dirpath).relative_to(self.root).as_posix()
            base = "" if rel == "." else f"{rel}/"
            for name in files:
                if name.startswith(".") and _TEMP_MARK in name:
                    continue
                key = base + name
                if key.startswith(prefix):
                    keys.append(key)
        return tuple(sorted(keys))


def _holds_a_key(directory: Path) -> bool:
    """Whether any object lives under ``directory``: the walk stops at the first (an S3 common
    prefix exists only while a key has it; a directory of half-written files holds none)."""
    for _dirpath, _dirs, files in os.walk(directory):
        if any(not (name.startswith(".") and _TEMP_MARK in name) for name in files):
            return True
    return False
