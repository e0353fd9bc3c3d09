"""Where a scalar's text is in the source, and how to change a string in place.

Only single-line scalars are edited: plain ones, and quoted ones whose text is
their value (no escapes).  Anything else (block scalars, folded lines, escapes)
gives None, and the finding keeps saying what to change.
"""

from __future__ import annotations

from hooklint.fix.text import Edit, SourceText
from hooklint.values import dataclass

#: Characters that end a plain scalar inside a flow collection.
_FLOW_END = ",]}"


@dataclass(frozen=True)
class ScalarSpan:
    """A scalar's source: ``start``/``end`` around the whole token (quotes included),
    ``content`` where its characters begin, and its style: ``plain``, ``'`` or ``"``."""

    start: int
    end: int
    content: int
    style: str


def _quoted_end(line: str, quote: str) -> int | None:
    """Index of the closing quote in ``line`` (which starts after the opening one)."""
    i = 0
    while i < len(line):
        ch = line[i]
        if quote == "'" and ch == "'":
            if line[i + 1 : i + 2] == "'":
                i += 2
                continue
            return i
        if quote == '"':
            if ch == "\\":
                i += 2
                continue
            if ch == '"':
                return i
        i += 1
    return None


def _ends_plain(src: SourceText, offset: int) -> bool:
    """Can a plain scalar end right before ``offset``?"""
    text = src.text
    if offset >= src.line_end(offset):
        return True
    ch = text[offset]
    return ch in " \t" or ch in _FLOW_END


def string_span(src: SourceText, offset: int, value: str) -> ScalarSpan | None:
    """The span of the single-line string scalar ``value`` read at ``offset``, when its
    source characters are exactly its value."""
    text = src.text
    if offset >= len(text) or "\n" in value or "\r" in value:
        return None
    line_end = src.line_end(offset)
    first = text[offset]
    if first in "'\"":
        close = _quoted_end(text[offset + 1 : line_end], first)
        if close is None:
            return None
        inner = text[offset + 1 : offset + 1 + close]
        if inner != value or (first == "'" and "'" in inner) or (first == '"' and "\\" in inner):
            return None
        return ScalarSpan(offset, offset + close + 2, offset + 1, first)
    if not value or text[offset : offset + len(value)] != value or not _ends_plain(src, offset + len(value)):
        return None
    return ScalarSpan(offset, offset + len(value), offset, "plain")


def plain_token(src: SourceText, offset: int) -> ScalarSpan | None:
    """The span of a plain non-string scalar (``5``, ``true``, ``1.5``) at ``offset``."""
    text = src.text
    line_end = src.line_end(offset)
    if offset >= line_end or text[offset] in "'\"|>[{&*!#":
        return None
    end = offset
    while end < line_end and text[end] not in _FLOW_END:
        if text[end] == "#" and text[end - 1] in " \t":
            break
        end += 1
    while end > offset and text[end - 1] in " \t":
        end -= 1
    if end == offset:
        return None
    return ScalarSpan(offset, end, offset, "plain")


def splice_string(span: ScalarSpan, old: str, new: str) -> Edit:
    """The smallest edit turning the string ``old`` (at ``span``) into ``new``, same style."""
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    start = span.content + prefix
    return Edit(start, span.content + len(old) - suffix, new[prefix : len(new) - suffix])


def safe_in_style(value: str, style: str) -> bool:
    """Can ``value`` be written in this style without escapes?  (Read back to be sure.)"""
    if style == "'":
        return "'" not in value
    if style == '"':
        return '"' not in value and "\\" not in value
    return bool(value) and not any(c in value for c in "#:{}[]&*!|>'\"%@`") and value.strip() == value
