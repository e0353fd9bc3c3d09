"""The persistent lint cache (ruff style): parsed files and a run's findings, by content.

Two kinds of entries live in ``lint/`` under hooklint's cache root
(:mod:`hooklint.cachedir`), one file each:

- ``<key>.file``: one input's LoadedFile (its documents, problems, notices), keyed
  by the digest of its bytes, how it is named (display path, target or context,
  file or stdin), the ``--max-file-size`` limit and hooklint's own code;
- ``<key>.run``: a whole run's Report, keyed by every input's file key (so by
  every file's content) plus the rules (their specs and checks), each file's
  config, the options (``--argocd-version``, ``--select``, scope, ...) and the
  working directory.

A run whose inputs and settings are all unchanged reads its Report and parses
nothing; it does not even read a file whose size, modification and change times,
inode and device are those recorded when its bytes were last hashed (``<salt>.stat``,
as ruff and git do; a file changed less than two seconds before it was hashed is not
recorded, since a later change within the same clock tick would keep its times).
When any file changed, the run's key changes, every whole-set rule runs again over
the whole set (the unchanged files come from their ``.file`` entries), so a stale
entry can never hide a finding.
Entries are never read under another key: stale ones are simply left behind.
A damaged or unreadable entry counts as a miss; an unwritable cache is skipped.
"""

from __future__ import annotations

import os
import stat
import sys
import time
from pathlib import Path

from hooklint.cachedir import atomic_write, blake2b, cache_folder, code_version, make_private
from hooklint.sources.files import InputFile, LoadedFile
from hooklint.values import replace
from hooklint.yaml.reader import reading

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Any, Sequence

    from hooklint.config import ConfigResolver
    from hooklint.engine import LintOptions, Report
    from hooklint.registry import Registry

# pickle's C module: ``import pickle`` adds its pure-Python layer for nothing used here
try:
    from _pickle import PicklingError, dumps, loads
except ImportError:  # pragma: no cover - not CPython
    from pickle import PicklingError, dumps, loads

#: The newest pickle protocol (``pickle.HIGHEST_PROTOCOL``; 5 on every supported Python).
PICKLE_PROTOCOL = 5
FORMAT = "hooklint-lint-cache-1"
#: a file whose modification time is this close to the moment it was hashed is not recorded
RACY_NS = 2_000_000_000
_STAT_LIMIT = 200_000  # entries in the stat index before it starts afresh

Signature = tuple[int, int, int, int, int]  # size, mtime_ns, ctime_ns, inode, device


def _digest(*parts: str | bytes) -> str:
    digest = blake2b(digest_size=20)
    for part in parts:
        digest.update(part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


def file_key(salt: str, item: InputFile, data: bytes | str) -> str:
    """The key of one input's parse: its content (or why it cannot be read) and its naming."""
    content = data if isinstance(data, bytes) else b"!" + data.encode("utf-8", "surrogateescape")
    return _digest(salt, item.display, str(item.is_target), str(item.path is not None), content)


def registry_fingerprint(registry: Registry) -> str:
    """The rules and their checks; a plugin check adds its module file's size and mtime."""
    parts = [repr(spec) for spec in registry.specs]
    for spec in registry.specs:
        origin = registry.check_origin(spec)
        parts.append(f"{spec.code}={origin}")
        if not origin.startswith("hooklint."):
            module = type(registry.check_for(spec)).__module__
            where = getattr(sys.modules.get(module), "__file__", None)
            try:
                info = Path(where).stat() if where else None
            except OSError:
                info = None
            parts.append(f"{where}:{info.st_size}:{info.st_mtime_ns}" if info else f"{where}:?")
    return _digest(*parts)


def _signature(item: InputFile) -> Signature | None:
    """What the stat index compares: None for stdin and anything but a regular file."""
    if item.path is None:
        return None
    try:
        info = os.stat(item.path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)


def _stat_key(item: InputFile) -> tuple[str, str, bool]:
    return (str(item.path), item.display, item.is_target)


class RunCache:
    """One run's keys, and its inputs' bytes (read once: hashed here, parsed from memory;
    None for a file whose key came from the stat index, read only if it must be parsed)."""

    def __init__(
        self,
        folder: Path,
        salt: str,
        data: list[bytes | str | None],
        keys: list[str],
        run_parts: list[str],
    ) -> None:
        self.folder = folder
        self.salt = salt
        self.data = data
        self.keys = keys
        self.run_parts = run_parts
        self.run = _digest(*run_parts, *keys)

    @classmethod
    def open(
        cls,
        registry: Registry,
        resolver: ConfigResolver,
        options: LintOptions,
        cwd: Path,
        items: Sequence[InputFile],
        stdin_bytes: bytes | None,
    ) -> RunCache:
        from hooklint.sources.files import read_input

        salt = _digest(FORMAT, code_version(), str(options.max_file_size))
        folder = cache_folder("lint")
        index_path = folder / f"{salt}.stat"
        index = _read(index_path)
        if not isinstance(index, dict) or len(index) > _STAT_LIMIT:
            index = {}
        changed = False
        now = time.time_ns()
        data: list[bytes | str | None] = []
        keys: list[str] = []
        for item in items:
            signature = _signature(item)
            where = _stat_key(item)
            known = index.get(where) if signature is not None else None
            if known is not None and known[0] == signature:
                keys.append(known[1])
                data.append(None)
                continue
            each = read_input(item, options.max_file_size, stdin_bytes)
            key = file_key(salt, item, each)
            keys.append(key)
            data.append(each)
            if signature is not None and isinstance(each, bytes) and signature[1] < now - RACY_NS:
                index[where] = (signature, key)
                changed = True
            elif known is not None:
                del index[where]
                changed = True
        if changed:
            _write(index_path, index)
        configs: dict[int, str] = {}
        used: list[str] = []
        base = str(cwd)
        for item in items:
            config = resolver.for_file(os.path.join(base, item.display))  # a str: no Path per file
            if id(config) not in configs:
                configs[id(config)] = repr(config)
            used.append(configs[id(config)])
        run_parts = [
            salt,
            registry_fingerprint(registry),
            repr(replace(options, jobs=1, parse_jobs=None)),  # the output is the same whatever --jobs says
            repr(resolver.for_folder(cwd)),
            str(cwd),
            *used,
        ]
        return cls(folder, salt, data, keys, run_parts)

    # -- whole runs -----------------------------------------------------------------
    def report(self) -> Report | None:
        from hooklint.engine import Report

        found = _read(self.folder / f"{self.run}.run")
        return found if isinstance(found, Report) else None

    def save(self, report: Report) -> None:
        _write(self.folder / f"{self.run}.run", report)

    # -- files ------------------------------------------------------------------------
    def load_files(self, items: Sequence[InputFile], max_size: int, jobs: int) -> list[LoadedFile]:
        """Every input, from its entry when there is one, else parsed (and stored)."""
        out: list[LoadedFile | None] = []
        missing: list[int] = []
        for index, key in enumerate(self.keys):
            found = _read(self.folder / f"{key}.file")
            if isinstance(found, LoadedFile):
                out.append(found)
            else:
                out.append(None)
                missing.append(index)
        if missing:
            self._read_unread(missing, items, max_size)
            _prepare(self.folder)
            tasks = [_Task(self.folder, self.keys[i], items[i]) for i in missing]
            data = [each for i in missing if (each := self.data[i]) is not None]
            parsed = None
            if jobs > 1:
                from hooklint.parallel import load_parallel

                packed = [_pack(task, each) for task, each in zip(tasks, data, strict=True)]
                parsed = load_parallel([t.item for t in tasks], max_size, jobs, None, packed, _load_and_store)
            if parsed is None:
                pairs = zip(tasks, data, strict=True)
                with reading():
                    parsed = [_store(task, _load(task.item, max_size, each)) for task, each in pairs]
            for index, loaded in zip(missing, parsed, strict=True):
                out[index] = loaded
        return [loaded for loaded in out if loaded is not None]

    def prepare(self) -> None:
        """Make the cache folder (private) before workers store entries in it."""
        _prepare(self.folder)

    def load_item(
        self, index: int, item: InputFile, max_size: int, data: bytes | str
    ) -> tuple[LoadedFile, str | None]:
        """Input ``index`` from its entry, else parsed from ``data`` (its bytes, read by the
        caller) and stored; with its new key when the stat index had spared it and its bytes are
        not those its key was recorded for (give it to :meth:`rekey`), else None."""
        key = self.keys[index]
        found = _read(self.folder / f"{key}.file")
        if isinstance(found, LoadedFile):
            return found, None
        new = None
        if self.data[index] is None:  # the key came from the stat index: the bytes decide
            fresh = file_key(self.salt, item, data)
            if fresh != key:
                key = new = fresh
        return _store(_Task(self.folder, key, item), _load(item, max_size, data)), new

    def rekey(self, keys: Sequence[tuple[int, str]]) -> None:
        """New keys for inputs (index, key): the run's key follows them."""
        for index, key in keys:
            self.keys[index] = key
        self.run = _digest(*self.run_parts, *self.keys)

    def _read_unread(self, missing: list[int], items: Sequence[InputFile], max_size: int) -> None:
        """Read the files to parse that the stat index spared; when one's bytes are not those
        its key was recorded for (it changed within a clock tick), its key and the run's follow
        the bytes, so nothing is stored under a key it does not belong to."""
        from hooklint.sources.files import read_input

        keys: list[tuple[int, str]] = []
        for i in missing:
            if self.data[i] is None:
                each = read_input(items[i], max_size, None)
                self.data[i] = each
                keys.append((i, file_key(self.salt, items[i], each)))
        self.rekey(keys)


class _Task:
    """Where a parsed input goes."""

    __slots__ = ("folder", "item", "key")

    def __init__(self, folder: Path, key: str, item: InputFile) -> None:
        self.folder = folder
        self.key = key
        self.item = item


def _pack(task: _Task, data: bytes | str) -> bytes | str:
    # The worker gets the destination with the bytes: a prefix line that cannot begin a read message.
    if isinstance(data, str):
        return data
    return f"\0{task.folder}\0{task.key}\0".encode("utf-8", "surrogateescape") + data


def _load_and_store(item: InputFile, max_size: int, data: bytes | str | None) -> LoadedFile:
    """A worker's loader: parse the bytes, and store the result under the key they carry."""
    if not isinstance(data, bytes) or not data.startswith(b"\0"):
        return _load(item, max_size, data)
    _, folder, key, body = data.split(b"\0", 3)
    loaded = _load(item, max_size, body)
    return _store(_Task(Path(folder.decode("utf-8", "surrogateescape")), key.decode(), item), loaded)


def _load(item: InputFile, max_size: int, data: bytes | str | None) -> LoadedFile:
    from hooklint.parallel import load_one

    return load_one(item, max_size, data)


def _store(task: _Task, loaded: LoadedFile) -> LoadedFile:
    _write(task.folder / f"{task.key}.file", loaded)
    return loaded


def _prepare(folder: Path) -> None:
    try:
        make_private(folder)
    except OSError:
        return


def _read(path: Path) -> Any:
    try:
        with open(path, "rb") as handle:
            return loads(handle.read())
    except Exception:  # missing, truncated, damaged, or from another version: a miss
        return None


def _write(path: Path, value: object) -> None:
    """Store ``value`` at ``path`` (its folder made already, by :func:`_prepare` or here)."""
    try:
        data = dumps(value, protocol=PICKLE_PROTOCOL)
        if not path.parent.is_dir():
            make_private(path.parent)
        atomic_write(path, data)
    except (OSError, PicklingError, RecursionError, TypeError, AttributeError):
        return
