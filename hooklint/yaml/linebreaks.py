"""Line numbers as editors count them, in files holding Unicode line separators.

libyaml implements YAML 1.1, which counts NEL (U+0085), LINE SEPARATOR (U+2028)
and PARAGRAPH SEPARATOR (U+2029) as line breaks, so one of them inside a quoted
string moves every later position down a line.  Editors, git and GitHub break
lines only at ``\\n``, ``\\r\\n`` and ``\\r``.  For the rare file that holds
such a character, this module converts the parser's marks (packed 0-based
``line << 24 | column``) to the editor's lines and columns.

Position maps can share subtrees (YAML aliases), so they are rebuilt once per
distinct map, iteratively (nesting can be thousands of levels deep).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace
from typing import Any

from hooklint.model import PosMap
from hooklint.yaml.reader import ParsedDocument, ParseProblem, pack

UNICODE_BREAKS = ("\x85", "\u2028", "\u2029")
_YAML_BREAK_RE = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_EDITOR_BREAK_RE = re.compile("\r\n|[\r\n]")
_COLUMN_MASK = 0xFFFFFF


def has_unicode_breaks(text: str) -> bool:
    return any(char in text for char in UNICODE_BREAKS)


class MarkFixer:
    """Converts libyaml's packed marks to editor lines and columns for one text."""

    def __init__(self, text: str) -> None:
        self._yaml_starts = [0, *(m.end() for m in _YAML_BREAK_RE.finditer(text))]
        self._editor_starts = [0, *(m.end() for m in _EDITOR_BREAK_RE.finditer(text))]

    def __call__(self, mark: int) -> int:
        if not mark:
            return mark
        line, column = mark >> 24, mark & _COLUMN_MASK
        if line >= len(self._yaml_starts) or column == _COLUMN_MASK:
            return mark
        offset = self._yaml_starts[line] + column
        editor_line = bisect_right(self._editor_starts, offset) - 1
        return pack(editor_line, offset - self._editor_starts[editor_line])

    def length(self, mark: int, length: int) -> int:
        """The distance from ``mark`` to its end (see PosMap), converted."""
        return self(mark + length) - self(mark) if length else 0

    def document(self, doc: ParsedDocument) -> ParsedDocument:
        positions = self.positions(doc.positions) if doc.positions is not None else None
        return replace(doc, positions=positions, start=self(doc.start))

    def problem(self, problem: ParseProblem) -> ParseProblem:
        return replace(problem, mark=self(problem.mark))

    def positions(self, root: PosMap) -> PosMap:
        """A copy of ``root`` with every mark converted (shared subtrees stay shared)."""
        rebuilt: dict[int, PosMap] = {}
        for node in _post_order(root):
            entries = node.entries
            new_entries: Any
            if isinstance(entries, dict):
                new_entries = {
                    key: (
                        self(kmark),
                        self(vmark),
                        rebuilt[id(child)] if child is not None else None,
                        self.length(kmark, klength),
                        self.length(vmark, vlength),
                    )
                    for key, (kmark, vmark, child, klength, vlength) in entries.items()
                }
            else:
                new_entries = [
                    (self(mark), rebuilt[id(child)] if child is not None else None, self.length(mark, length))
                    for mark, child, length in entries
                ]
            rebuilt[id(node)] = PosMap(self(node.start), new_entries)
        return rebuilt[id(root)]


def _children(node: PosMap) -> list[PosMap]:
    entries = node.entries
    if isinstance(entries, dict):
        return [item[2] for item in entries.values() if item[2] is not None]
    return [item[1] for item in entries if item[1] is not None]


def _post_order(root: PosMap) -> list[PosMap]:
    """Every distinct PosMap under ``root``, children before parents."""
    order: list[PosMap] = []
    seen: set[int] = set()
    stack: list[tuple[PosMap, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in seen)
    return order
