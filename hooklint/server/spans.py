"""Finding positions (1-based, code points) -> 0-based LSP ranges (still code points).

A finding's ``end`` is used when the engine knows it; otherwise the range covers
the key or value at the start position: a quoted scalar to its closing quote, a
plain one to the ``:`` that ends a key, a comment, a flow indicator or the end of
the line.  Never an empty range, so editors always underline something.
"""

from __future__ import annotations

import re

from hooklint.model import Finding
from hooklint.values import dataclass

_LINE_BREAK_RE = re.compile("\r\n|\r|\n")
#: Where a plain scalar stops: ': ' / ':' at the end (a key), ' #' (a comment), flow indicators.
_PLAIN_END_RE = re.compile(r":(?=\s|$)|\s+#|[,\[\]{}]|\s*$")


@dataclass(frozen=True, order=True)
class Span:
    """A 0-based range in code points; ``end`` is exclusive."""

    start_line: int
    start_column: int
    end_line: int
    end_column: int

    def contains(self, line: int, column: int) -> bool:
        return (self.start_line, self.start_column) <= (line, column) <= (self.end_line, self.end_column)


def split_lines(text: str) -> list[str]:
    """The text's lines as YAML counts them (\\n, \\r\\n or \\r), without their breaks."""
    return _LINE_BREAK_RE.split(text)


def finding_span(finding: Finding, lines: list[str]) -> Span:
    """The range to underline for ``finding`` in a file of ``lines``."""
    line, column = finding.line - 1, finding.column - 1
    if finding.end is not None and (finding.end.line, finding.end.column) > (finding.line, finding.column):
        return Span(line, column, finding.end.line - 1, finding.end.column - 1)
    text = lines[line] if 0 <= line < len(lines) else ""
    return Span(line, column, line, column + token_length(text, column))


def token_length(text: str, column: int) -> int:
    """The length of the key or scalar starting at ``column`` of a line (at least 1)."""
    rest = text[column:]
    if not rest:
        return 1
    quote = rest[0]
    if quote == '"':
        match = re.match(r'"(?:[^"\\]|\\.)*"?', rest)
        return max(1, match.end()) if match else 1
    if quote == "'":
        match = re.match(r"'(?:[^']|'')*'?", rest)
        return max(1, match.end()) if match else 1
    if rest[0] in "|>":  # a block scalar's header: underline it
        match = re.match(r"[|>][-+0-9]*", rest)
        return match.end() if match else 1
    if rest[0] in "[{":  # a flow collection: underline its opening
        return 1
    match = _PLAIN_END_RE.search(rest, 1)
    end = match.start() if match else len(rest)
    return max(1, end)
