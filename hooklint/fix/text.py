"""A file's text for editing: BOM, line starts, positions to offsets, edits."""

from __future__ import annotations

from bisect import bisect_right

from hooklint.lazyre import lazy
from hooklint.model import Position
from hooklint.values import dataclass

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Iterable

BOM = b"\xef\xbb\xbf"
_BREAK_RE = lazy("\r\n|\r|\n")


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` with ``new`` (offsets into the decoded, BOM-less text)."""

    start: int
    end: int
    new: str


class SourceText:
    """Decoded UTF-8 text (without its BOM) and the line starts editors count.

    Positions (1-based lines and code-point columns) are those of :mod:`hooklint.model`:
    lines break at ``\\n``, ``\\r\\n`` and ``\\r``.
    """

    def __init__(self, data: bytes) -> None:
        self.bom = data.startswith(BOM)
        self.text = (data[3:] if self.bom else data).decode("utf-8")
        self.line_starts = [0] + [m.end() for m in _BREAK_RE.finditer(self.text)]

    def encode(self, text: str) -> bytes:
        return (BOM if self.bom else b"") + text.encode("utf-8")

    def offset(self, position: Position) -> int | None:
        """The offset of a position, or None when it is not in the text."""
        if not 1 <= position.line <= len(self.line_starts):
            return None
        start = self.line_starts[position.line - 1]
        offset = start + position.column - 1
        return offset if offset <= self.line_end(start) else None

    def line_of(self, offset: int) -> int:
        """0-based line index holding ``offset``."""
        return bisect_right(self.line_starts, offset) - 1

    def line_start(self, offset: int) -> int:
        return self.line_starts[self.line_of(offset)]

    def line_end(self, offset: int) -> int:
        """Where the line holding ``offset`` ends (before its line break)."""
        index = self.line_of(offset)
        if index + 1 < len(self.line_starts):
            nxt = self.line_starts[index + 1]
            return nxt - (2 if self.text[nxt - 2 : nxt] == "\r\n" else 1)
        return len(self.text)

    def next_line_start(self, offset: int) -> int | None:
        index = self.line_of(offset)
        return self.line_starts[index + 1] if index + 1 < len(self.line_starts) else None

    def line_break(self, offset: int) -> str:
        """The line break ending the line at ``offset`` (the file's first one, or ``\\n``, at the end)."""
        end = self.line_end(offset)
        brk = self.text[end : end + 2]
        if brk.startswith("\r\n"):
            return "\r\n"
        if brk[:1] in ("\r", "\n"):
            return brk[:1]
        first = _BREAK_RE.search(self.text)
        return first.group(0) if first else "\n"


def overlaps(a: Edit, b: Edit) -> bool:
    """Edits that cannot both apply: overlapping ranges, or an insertion where the other
    edit starts (two insertions at one point both apply, in the order given)."""
    if a.start == a.end == b.start == b.end:
        return False
    if a.start == b.start and (a.start == a.end or b.start == b.end):
        return True
    return a.start < b.end and b.start < a.end


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits (the caller checked them with :func:`overlaps`); insertions
    at one point go in the order given."""
    out: list[str] = []
    last = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        out.append(text[last : edit.start])
        out.append(edit.new)
        last = edit.end
    out.append(text[last:])
    return "".join(out)
