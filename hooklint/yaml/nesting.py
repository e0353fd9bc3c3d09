"""Refuse absurdly deep flow nesting (``[[[[...``) before libyaml sees it.

go-yaml v2.4 -- the parser behind sigs.k8s.io/yaml, so behind kubectl and Argo
CD -- stops at 10,000 levels of flow collections (scannerc.go ``max_flow_level``:
"while increasing flow level ... exceeded max depth of 10000").  libyaml, which
hooklint parses with, has no such limit and its scanner is quadratic in the
flow depth (20,000 levels of ``[`` take seconds), so a hostile file could stall
a run.  This module finds the first flow collection nested past the limit, in
linear time, without parsing the YAML.

Real manifests never come close: the check returns at C speed unless the text
has more than 10,000 opening brackets and a naive count of them reaches the
limit; only then does a small scanner skip quoted scalars and comments to find
the true depth.  Where that scanner cannot be sure (brackets inside a block
scalar, ``key:[`` plain scalars) it errs towards a lower depth, so it never
reports a file go-yaml would read.
"""

from __future__ import annotations

import re
from itertools import accumulate

from hooklint.lazyre import lazy

MAX_FLOW_DEPTH = 10_000
MAX_NESTING_WORK = 2 * MAX_FLOW_DEPTH**2
WORK_PER_BYTE = 40

_OPENERS = "[{"
_NOT_BRACKET_RE = lazy(r"[^\[\]{}]+")
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_TOKEN_RE = lazy(r"[\[\]{}#\"'\n]")
_DOUBLE_QUOTED_RE = lazy(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_SINGLE_QUOTED_RE = lazy(r"'(?:[^']|'')*'")
_BLANK = " \t"
_MAX_PROPERTY = 256  # longer anchor or tag names are not looked through (bounds the work)


def too_deep(text: str, limit: int = MAX_FLOW_DEPTH) -> int | None:
    """Offset of the first ``[``/``{`` nested deeper than ``limit``, or None."""
    if text.count("[") + text.count("{") <= limit:
        return None
    brackets = _NOT_BRACKET_RE.sub("", text)
    if max(accumulate(map(_DEPTH_STEP.__getitem__, brackets)), default=0) <= limit:
        return None
    return _scan(text, limit)


def too_costly(text: str) -> bool:
    """True when libyaml would spend minutes on the flow nesting alone.

    libyaml's scanner does work proportional to the current flow depth for each
    token, so many documents each nested thousands of levels deep (all under
    go-yaml's limit) add up quadratically.  The work, estimated as the sum of the
    depth at every bracket, may be up to MAX_NESTING_WORK (one document at the
    10,000-level limit: about a second) or WORK_PER_BYTE per character of text
    (far above any real manifest, JSON included), whichever is larger.
    """
    if text.count("[") + text.count("{") <= MAX_FLOW_DEPTH:  # then the work is at most 2 * 10**8
        return False
    brackets = _NOT_BRACKET_RE.sub("", text)
    work = sum(accumulate(map(_DEPTH_STEP.__getitem__, brackets)))
    return work > max(MAX_NESTING_WORK, WORK_PER_BYTE * len(text))


def _scan(text: str, limit: int) -> int | None:
    depth = 0
    pos = 0
    find = _TOKEN_RE.search
    while True:
        match = find(text, pos)
        if match is None:
            return None
        char = match.group()
        start = match.start()
        pos = start + 1
        if char == "\n":
            continue
        if char == "#":
            if start == 0 or text[start - 1] in " \t\n":
                end = text.find("\n", start)
                if end < 0:
                    return None
                pos = end
            continue
        if char in "\"'":
            if not _starts_node(text, start, depth):
                continue
            quoted = (_DOUBLE_QUOTED_RE if char == '"' else _SINGLE_QUOTED_RE).match(text, start)
            if quoted is None:
                return None  # unterminated: libyaml fails fast on it
            pos = quoted.end()
            continue
        if char in _OPENERS:
            if depth or _starts_node(text, start, depth):
                depth += 1
                if depth > limit:
                    return start
        elif depth:
            depth -= 1


def _starts_node(text: str, offset: int, depth: int) -> bool:
    """Can a node (a quoted scalar or a flow collection) start at ``offset``?

    Looks back over blanks, and over anchors and tags, to the indicator before
    it; each look-back only crosses text no other look-back crosses, so the scan
    stays linear.
    """
    if offset and text[offset - 1] not in " \t\n":  # no blank: only right after a flow indicator
        return bool(depth) and text[offset - 1] in "[{,:?"
    j = _skip_blanks_back(text, offset - 1)
    while j >= 0 and text[j] not in "\n[]{},":  # step over a trailing &anchor or !tag
        k = j
        while k >= 0 and text[k] not in " \t\n" and j - k < _MAX_PROPERTY:
            k -= 1
        if text[k + 1] not in "&!" or k == j or j - k >= _MAX_PROPERTY:
            break
        j = _skip_blanks_back(text, k)
    if j < 0 or text[j] == "\n":
        return True  # the start of a line (after indentation)
    before = text[j]
    if depth:
        return before in "[{,:?"
    spaced = j < offset - 1 or text[j + 1] in _BLANK
    if before == ":":
        return spaced
    if before in "-?":
        return spaced and (j == 0 or text[j - 1] in " \t\n-")
    return False


def _skip_blanks_back(text: str, index: int) -> int:
    while index >= 0 and text[index] in _BLANK:
        index -= 1
    return index
