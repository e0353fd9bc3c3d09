"""Where a values key is written: the chart's ``values.yaml`` and the ``--values`` files.

A key a template prints whole from values (``toYaml .Values.podAnnotations``, see
:mod:`.values_refs`) is fixed where the user wrote it, so its findings point there.
Helm merges the chart's ``values.yaml``, then each ``--values`` file in order (the
last one wins), then ``--set``; a subchart's keys are its own ``values.yaml``'s,
overridden by the parent's values under the subchart's name.  ``ValuesLayers``
lists those files, lowest precedence first; ``ValuesLookup`` reads them with
hooklint's reader (real lines and columns, ``# hooklint: ignore`` comments) when a
finding first needs them, and finds a path in the one that set it.  A path set by
``--set`` (or one under it) is in no file: not found, so the finding stays on the
template's action.
"""

from __future__ import annotations

import os
import re
from typing import Any, Mapping

from hooklint.model import PosMap, SourceFile
from hooklint.sources.provenance import in_file
from hooklint.values import dataclass

MAX_VALUES_SIZE = 10 * 1024 * 1024
Step = str | int


@dataclass(frozen=True)
class ValuesFile:
    """One values file: its path (absolute), how findings show it, and the key it sits under."""

    path: str
    display: str
    prefix: tuple[Step, ...] = ()
    #: the Application of that name is the document to read (its ``valuesObject``), not the first
    application: str = ""


@dataclass(frozen=True)
class ValuesLayers:
    """The values files of one template's chart, lowest precedence first, and the ``--set`` keys."""

    files: tuple[ValuesFile, ...] = ()
    set_keys: tuple[tuple[Step, ...], ...] = ()


@dataclass(frozen=True)
class _Read:
    source: SourceFile
    value: Any
    positions: PosMap | None


_READS: dict[tuple[str, str, str, int, int], _Read] = {}


def _read(file: ValuesFile) -> _Read:
    try:
        stat = os.stat(file.path)
        # the mtime and size: a long-running server sees edits
        key = (file.path, file.display, file.application, stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = (file.path, file.display, file.application, 0, -1)
    found = _READS.get(key)
    if found is not None:
        return found
    from hooklint.sources.files import decode, suppressions
    from hooklint.yaml.nesting import too_costly, too_deep
    from hooklint.yaml.reader import parse_yaml

    text: str | None = None
    try:
        with open(file.path, "rb") as handle:
            text = decode(handle.read(MAX_VALUES_SIZE + 1)[:MAX_VALUES_SIZE])
    except OSError:
        text = None
    value: Any = None
    positions: PosMap | None = None
    source = SourceFile(file.display)
    if text is not None:
        lines, ignore_file = suppressions(text)
        source = SourceFile(file.display, lines, ignore_file)
        if too_deep(text) is None and not too_costly(text):
            docs = [d for d in parse_yaml(text)[0] if isinstance(d.value, dict)]
            if file.application:
                docs = [d for d in docs if _is_application(d.value, file.application)]
            if docs:
                value, positions = docs[0].value, docs[0].positions
    read = _Read(source, value, positions)
    _READS[key] = read
    return read


def _is_application(value: dict[Any, Any], name: str) -> bool:
    meta = value.get("metadata")
    return value.get("kind") == "Application" and isinstance(meta, dict) and meta.get("name") == name


def set_key(item: str) -> tuple[Step, ...]:
    """The values path a ``--set name=value`` sets (``a.b[0].c`` -> ``("a", "b", 0, "c")``)."""
    name = item.partition("=")[0]
    steps: list[Step] = []
    for part in re.split(r"(?<!\\)\.", name):
        base, _, indexes = part.partition("[")
        steps.append(base.replace("\\.", "."))
        steps.extend(int(i) for i in re.findall(r"(\d+)\]", "[" + indexes) if indexes)
    return tuple(steps)


class ValuesLookup:
    """The values files of ``layers``, read once, and the paths found in them."""

    def __init__(self, layers: ValuesLayers) -> None:
        self.layers = layers
        self.reads = [_read(f) for f in layers.files]

    @property
    def sources(self) -> tuple[SourceFile, ...]:
        """``Provenance.files``: mark file index ``n`` is ``sources[n - 1]``."""
        return tuple(r.source for r in self.reads)

    def find(self, path: tuple[Step, ...]) -> tuple[int, int] | None:
        """``(key mark, value mark)`` of ``path`` in the file that set it, or None."""
        if any(path[: len(k)] == k for k in self.layers.set_keys):
            return None
        for number in range(len(self.reads) - 1, -1, -1):
            read, file = self.reads[number], self.layers.files[number]
            found = _walk(read.positions, (*file.prefix, *path))
            if found is not None:
                return in_file(found[0], number + 1), in_file(found[1], number + 1)
        return None


class ValuesMap:
    """Positions in values files for what ``toYaml`` actions print (used by :mod:`.mapping`)."""

    def __init__(self, lookup: ValuesLookup, blocks: Mapping[int, tuple[str, ...]]) -> None:
        self.lookup = lookup
        self.blocks = blocks  # 0-based template line -> the values path its action prints

    def entry(
        self, action: int, key: Any, rendered: Any
    ) -> tuple[int, int, PosMap | None, int, int] | None:
        """The entry of ``key`` (printed by the action at mark ``action``), from its values file."""
        base = self.blocks.get((action >> 24) & 0xFFFFFF)
        if base is None or not isinstance(key, str):
            return None
        found = self.lookup.find((*base, key))
        if found is None:
            return None
        return found[0], found[1], self._tree((*base, key), rendered, action), 0, 0

    def item(self, action: int, index: int, rendered: Any) -> tuple[int, PosMap | None, int] | None:
        """Item ``index`` of the list the action at mark ``action`` prints, from its values file."""
        base = self.blocks.get((action >> 24) & 0xFFFFFF)
        found = self.lookup.find((*base, index)) if base is not None else None
        if base is None or found is None:
            return None
        return found[1], self._tree((*base, index), rendered, action), 0

    def tree(self, action: int, rendered: Any) -> PosMap | None:
        """Positions of ``rendered``, printed whole by the action at mark ``action``; None if it prints
        no values subtree."""
        base = self.blocks.get((action >> 24) & 0xFFFFFF)
        if base is None or not isinstance(rendered, (dict, list)):
            return None
        return self._tree(base, rendered, action)

    def _tree(self, path: tuple[Step, ...], rendered: Any, fallback: int) -> PosMap | None:
        if isinstance(rendered, dict):
            entries: dict[Any, tuple[int, int, PosMap | None, int, int]] = {}
            for key, sub in rendered.items():
                found = self.lookup.find((*path, key)) if isinstance(key, str) else None
                kmark, vmark = found if found is not None else (fallback, fallback)
                entries[key] = (kmark, vmark, self._tree((*path, key), sub, fallback), 0, 0)
            return PosMap(fallback, entries)
        if isinstance(rendered, list):
            items: list[tuple[int, PosMap | None, int]] = []
            for number, sub in enumerate(rendered):
                found = self.lookup.find((*path, number))
                items.append((found[1] if found else fallback, self._tree((*path, number), sub, fallback), 0))
            return PosMap(fallback, items)
        return None


def _walk(positions: PosMap | None, path: tuple[Step, ...]) -> tuple[int, int] | None:
    pos = positions
    found: tuple[int, int] | None = None
    for step in path:
        if pos is None:
            return None
        entries = pos.entries
        if isinstance(entries, dict):
            entry = entries.get(step)
            if entry is None and isinstance(step, str):  # a key helm printed as a string (``1: x``)
                entry = next((e for k, e in entries.items() if str(k) == step), None)
            if entry is None:
                return None
            found, pos = (entry[0], entry[1]), entry[2]
        elif isinstance(step, int) and 0 <= step < len(entries):
            mark, pos, _ = entries[step]
            found = (mark, mark)
        else:
            return None
    return found
