"""The invariant: a fix is applied only when hooklint reads the result back cleanly and
it holds exactly the values the fix intends, everything else unchanged."""

from __future__ import annotations

import copy
from typing import Any, Sequence

from hooklint.fix.text import SourceText
from hooklint.sources.files import LoadedFile, load_bytes
from hooklint.yaml.reader import read_manifests


def readable(data: bytes, display: str) -> bool:
    """True when hooklint reads the file with no HL000 and no note (a template, binary...)."""
    loaded = load_bytes(data, display, plain_file=True)
    return not loaded.problems and not loaded.notices


def values(text: str, bom: bool = False) -> dict[int, Any] | None:
    """Every document's value by its index (as the loader numbers and reads them: go-yaml v2
    over apimachinery's document reader), or None when the text does not read cleanly.
    ``bom``: the file had a byte order mark, which ``text`` no longer has."""
    docs, problems = read_manifests(text, bom=bom)
    if problems:
        return None
    return {doc.index: doc.value for doc in docs}


def editable(loaded: LoadedFile, data: bytes) -> tuple[SourceText, dict[int, Any]] | None:
    """``data`` (``loaded`` is it loaded) as text to edit and its documents' values, or None
    when hooklint does not read it cleanly (any HL000, a note: a template, binary...)."""
    if loaded.problems or loaded.notices:
        return None
    src = SourceText(data)
    before = values(src.text, src.bom)
    return None if before is None else (src, before)


def expected(before: dict[int, Any], changes: Sequence[tuple[int, int | None, Any]]) -> dict[int, Any]:
    """``before`` with each (document index, List item, expect) applied to a copy of its document."""
    out = dict(before)
    for index in {index for index, _, _ in changes}:
        out[index] = copy.deepcopy(before[index])
    for index, item, expect in changes:
        root = out[index] if item is None else out[index]["items"][item]
        expect(root)
    return out
