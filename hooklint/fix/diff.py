"""Unified diffs that ``patch -p1`` applies byte for byte (CRLF, BOM, no final newline)."""

from __future__ import annotations

import difflib
import re

_LINES_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _lines(data: bytes) -> list[str]:
    # surrogateescape: a BOM or any byte goes through unchanged
    return _LINES_RE.findall(data.decode("utf-8", "surrogateescape"))


def unified_diff(path: str, before: bytes, after: bytes) -> bytes:
    """``--- a/path`` / ``+++ b/path`` and the hunks, with ``\\ No newline at end of file``
    where a side does not end with a line break."""
    old, new = _lines(before), _lines(after)
    out: list[str] = []
    for line in difflib.unified_diff(old, new, f"a/{path}", f"b/{path}", n=3):
        if line.startswith(("---", "+++")):
            out.append(line.rstrip("\r\n") + "\n")
            continue
        if line.startswith("@@"):
            out.append(line)
            continue
        out.append(line)
        if not line.endswith(("\n", "\r")):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out).encode("utf-8", "surrogateescape")
