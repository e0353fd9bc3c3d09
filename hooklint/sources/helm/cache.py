"""Renders cached by the hash of everything that decides them.

The key hashes the helm binary (path, size, modification time), the argument list,
every file of the chart folder (path and bytes: templates, values, subcharts,
``.helmignore``) and every values file named.  Any change gives a new key; stale
entries are simply never read again.  Only finished renders (success or helm's own
error) are stored; a timeout or an oversized output is never cached.  The folder is
``helm/`` under hooklint's cache root (:mod:`hooklint.cachedir`); an unwritable
cache is silently skipped.

Besides helm's output, the documents built from it are kept (pickled, under a key
that adds how the chart was named, the size limit and hooklint's own code), so a
warm run neither renders nor parses.  The folder is created private (0700): only
the user's own processes write what is unpickled there.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from pathlib import Path
from typing import Any, Sequence

from hooklint.cachedir import atomic_write, cache_folder, code_version, make_private
from hooklint.sources.helm.render import RenderResult

VERSION = b"hooklint-helm-cache-1"


def cache_dir() -> Path:
    return cache_folder("helm")


def render_key(binary: str, args: Sequence[str], chart: Path, values: Sequence[str]) -> str | None:
    """The cache key, or None when an input cannot be read (then nothing is cached)."""
    digest = hashlib.sha256(VERSION)
    try:
        info = os.stat(binary)
        digest.update(f"{os.path.realpath(binary)}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
        digest.update("\0".join(args).encode("utf-8", "surrogateescape") + b"\1")
        for path in _files(chart):
            digest.update(os.path.relpath(path, chart).encode("utf-8", "surrogateescape") + b"\0")
            digest.update(_file_digest(path))
        for name in values:
            digest.update(b"\2" + name.encode("utf-8", "surrogateescape") + b"\0")
            if os.path.isfile(name):
                digest.update(_file_digest(name))
    except OSError:
        return None
    return digest.hexdigest()


def _files(root: Path) -> list[str]:
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d != ".git")
        found.extend(os.path.join(dirpath, name) for name in filenames)
    return sorted(found)


def _file_digest(path: str) -> bytes:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.digest()


def files_key(render: str, *parts: object) -> str:
    return hashlib.sha256("\0".join([render, code_version(), *map(repr, parts)]).encode()).hexdigest()


def load_files(key: str) -> list[Any] | None:
    """The documents cached under ``key`` (a list of LoadedFile), or None."""
    try:
        with open(cache_dir() / f"{key}.docs", "rb") as handle:
            files = pickle.load(handle)
    except Exception:  # missing, truncated, or from another version: render again
        return None
    return files if isinstance(files, list) else None


def store_files(key: str, files: list[Any]) -> None:
    try:
        data = pickle.dumps(files, protocol=pickle.HIGHEST_PROTOCOL)
        folder = cache_dir()
        make_private(folder)
        atomic_write(folder / f"{key}.docs", data)
    except (OSError, pickle.PicklingError, RecursionError, TypeError, AttributeError):
        return


def load(key: str) -> RenderResult | None:
    folder = cache_dir()
    try:
        meta = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
        output = (folder / f"{key}.out").read_bytes()
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("status") not in ("ok", "failed"):
        return None
    return RenderResult(str(meta["status"]), output, str(meta.get("error", "")))


def store(key: str, result: RenderResult) -> None:
    if result.status not in ("ok", "failed"):
        return
    folder = cache_dir()
    try:
        make_private(folder)
        atomic_write(folder / f"{key}.out", result.output)
        meta = {"status": result.status, "error": result.error}
        atomic_write(folder / f"{key}.json", json.dumps(meta).encode("utf-8"))
    except OSError:
        return

