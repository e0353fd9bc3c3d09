"""YAML text -> plain Python values with source positions, on ruamel.yaml's C parser.

We read libyaml's event stream and build plain dicts/lists ourselves instead of
using a constructor.  That gives, in one pass and without recursion:

- a PosMap beside every mapping and sequence (the position of each key and value);
- Kubernetes' own scalar typing (go-yaml v2, YAML 1.1: ``yes``/``on``/``y`` are
  booleans, ``0x10`` is an int), which is what decides whether kubectl and
  Argo CD see a string;
- refusal to construct ``!!python/*`` tags (nothing is ever executed);
- merge keys (``<<``), resolved as go-yaml does (explicit keys win);
- duplicate-key detection;
- a bound on alias expansion ("billion laughs"): aliases share the anchored
  value, and a document whose expanded size passes ``MAX_EXPANDED_NODES``, or
  whose aliases take the file's total alias expansion past it, is reported and
  dropped, so no later walk of the data can take more than linear time.

Marks are packed as ``line << 24 | column`` (0-based) to keep memory flat.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Any

from hooklint.model import PosMap

intern = sys.intern

MAX_EXPANDED_NODES = 2_000_000
_COL_MASK = 0xFFFFFF

_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_TRUES = frozenset(("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"))
_FALSES = frozenset(("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"))
_SPECIAL_FLOATS = {
    ".nan": float("nan"), ".NaN": float("nan"), ".NAN": float("nan"),
    ".inf": float("inf"), ".Inf": float("inf"), ".INF": float("inf"),
    "+.inf": float("inf"), "+.Inf": float("inf"), "+.INF": float("inf"),
    "-.inf": float("-inf"), "-.Inf": float("-inf"), "-.INF": float("-inf"),
}  # fmt: skip
_MAYBE_TYPED_FIRST = frozenset("0123456789-+.~nNyYtTfFoO")
_INT_RE = re.compile(r"[-+]?(?:0|[1-9][0-9_]*|0[0-7_]+|0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+)")
_FLOAT_RE = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_INT64 = 2**63
_INF = float("inf")

_FILE_BOMB = (
    f"aliases in this file expand past {MAX_EXPANDED_NODES:,} nodes in total (an alias bomb "
    "spread over documents?); this document and later ones that use aliases were not linted"
)
_COMPLEX_KEY = (
    "a mapping or list used as a mapping key: kubectl and Argo CD fail with "
    '"invalid map key"; use a string key'
)
_YAML_TAG = "tag:yaml.org,2002:"
_PYTHON_TAG = _YAML_TAG + "python/"
_MERGE = object()


@dataclass(frozen=True)
class ParsedDocument:
    """One YAML document: its value, the PosMap of its root (None for a scalar root)."""

    index: int
    value: Any
    positions: PosMap | None
    start: int  # packed mark


@dataclass(frozen=True)
class ParseProblem:
    """Something that stops kubectl or Argo CD from reading the YAML."""

    message: str
    mark: int  # packed 0-based mark
    document: int  # index of the document it is in
    fatal: bool  # True when the rest of the file could not be read


def pack(line: int, column: int) -> int:
    return (line << 24) | (column if column < _COL_MASK else _COL_MASK)


def resolve_plain(text: str) -> Any:
    """Type a plain (unquoted) scalar as go-yaml v2 does when decoding into interface{}."""
    if not text:
        return None
    if text[0] not in _MAYBE_TYPED_FIRST:
        return text
    if text in _NULLS:
        return None
    if text in _TRUES:
        return True
    if text in _FALSES:
        return False
    if text in _SPECIAL_FLOATS:
        return _SPECIAL_FLOATS[text]
    if _INT_RE.fullmatch(text):
        value: int | None
        try:
            value = int(text.replace("_", ""), 0)
        except ValueError:  # e.g. "017": Python refuses C-style octal
            digits = text.replace("_", "")
            sign = -1 if digits.startswith("-") else 1
            try:
                value = sign * int(digits.lstrip("+-"), 8)
            except ValueError:  # thousands of decimal digits: far out of range
                value = None
        if value is not None and -_INT64 <= value < 2 * _INT64:  # int64, or uint64 as go-yaml
            return value
        if _FLOAT_RE.fullmatch(text):
            return _finite_float(text)
        return text
    if _FLOAT_RE.fullmatch(text):
        return _finite_float(text)
    return text


def _finite_float(text: str) -> float | str:
    """go-yaml's ParseFloat: out of range (``1e400``) is an error, so the scalar stays a string."""
    value = float(text)
    return text if value in (_INF, -_INF) else value


def _explicit(tag: str, text: str) -> tuple[Any, str | None]:
    """Value for a scalar with an explicit tag, and a problem message if any."""
    if tag.startswith(_YAML_TAG):
        short = tag[len(_YAML_TAG) :]
        if short == "str" or short == "timestamp":
            return text, None
        if short == "binary":
            return _binary(text)
        if short in ("int", "float", "bool", "null"):
            value = resolve_plain(text)
            return value, None
        if short.startswith("python/"):
            return text, (
                f"tag !!{short} is not allowed: hooklint (like kubectl and Argo CD) "
                "never constructs language objects; remove the tag"
            )
    return text, None  # application tags (!Ref, ...) are tolerated; the text is kept


def _key_of(value: Any) -> str:
    """A mapping key as text, the way sigs.k8s.io/yaml turns keys into JSON strings."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, (int, float, str)):
        return str(value)
    return "<complex key>"


def parse_yaml(text: str) -> tuple[list[ParsedDocument], list[ParseProblem]]:
    """Parse every document of ``text``.  Never raises on bad input."""
    from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.events import (
        AliasEvent,
        DocumentEndEvent,
        DocumentStartEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
        StreamEndEvent,
    )

    docs: list[ParsedDocument] = []
    problems: list[ParseProblem] = []
    parser = CParser(text)
    get_event = parser.get_event
    resolve = resolve_plain
    # A frame: [container, entries, pending_key, pending_kmark, start_mark, size, merges, anchor]
    stack: list[list[Any]] = []
    anchors: dict[str, tuple[Any, PosMap | None, int]] = {}
    index = 0
    doc_start = 0
    root: Any = None
    root_pos: PosMap | None = None
    have_root = False
    oversized = False
    aliased = 0
    doc_aliases = False
    file_bomb_reported = False
    try:
        while True:
            event = get_event()
            etype = type(event)
            if etype is ScalarEvent:
                m = event.start_mark
                mark = (m.line << 24) | (m.column if m.column < _COL_MASK else _COL_MASK)
                tag = event.tag
                raw = event.value
                if tag is None or tag == "!":
                    if event.style == "" and event.implicit[0]:
                        if stack and stack[-1][2] is _NO_KEY and type(stack[-1][0]) is dict:
                            value = _MERGE if raw == "<<" else raw  # keys stay text
                        else:
                            value = resolve(raw)
                            if type(value) is str and len(value) < 40:
                                value = intern(value)
                    else:
                        value = intern(raw) if len(raw) < 40 else raw
                else:
                    value, problem = _explicit(tag, raw)
                    if problem:
                        problems.append(ParseProblem(problem, mark, index, False))
                child: PosMap | None = None
                size = 1
                if event.anchor:
                    anchors[event.anchor] = (value, None, 1)
            elif etype is MappingStartEvent or etype is SequenceStartEvent:
                m = event.start_mark
                mark = (m.line << 24) | (m.column if m.column < _COL_MASK else _COL_MASK)
                if event.tag and event.tag.startswith(_PYTHON_TAG):
                    _, problem = _explicit(event.tag, "")
                    problems.append(ParseProblem(str(problem), mark, index, False))
                if etype is MappingStartEvent:
                    stack.append([{}, {}, _NO_KEY, 0, mark, 1, None, event.anchor])
                else:
                    stack.append([[], [], None, 0, mark, 1, None, event.anchor])
                continue
            elif etype is MappingEndEvent or etype is SequenceEndEvent:
                frame = stack.pop()
                value, entries, _, _, mark, size, merges, anchor = frame
                if merges:
                    for message, merge_mark in _apply_merges(value, entries, merges):
                        problems.append(ParseProblem(message, merge_mark, index, False))
                child = PosMap(mark, entries)
                if anchor:
                    anchors[anchor] = (value, child, size)
            elif etype is AliasEvent:
                m = event.start_mark
                mark = (m.line << 24) | (m.column if m.column < _COL_MASK else _COL_MASK)
                target = anchors.get(event.anchor)
                if target is None:
                    problems.append(
                        ParseProblem(f"found undefined alias {event.anchor!r}", mark, index, True)
                    )
                    return docs, problems
                value, child, size = target
                aliased += size  # across the file: many small bombs are one big one
                doc_aliases = True
            elif etype is DocumentStartEvent:
                m = event.start_mark
                doc_start = pack(m.line, m.column)
                anchors = {}
                have_root = False
                oversized = False
                doc_aliases = False
                continue
            elif etype is DocumentEndEvent:
                if have_root and not oversized:
                    if doc_aliases and aliased > MAX_EXPANDED_NODES:
                        if not file_bomb_reported:
                            file_bomb_reported = True
                            problems.append(ParseProblem(_FILE_BOMB, doc_start, index, False))
                    else:
                        docs.append(ParsedDocument(index, root, root_pos, doc_start))
                index += 1
                continue
            elif etype is StreamEndEvent:
                break
            else:
                continue

            if not stack:
                root, root_pos, have_root = value, child, True
                continue
            frame = stack[-1]
            frame[5] += size
            if frame[5] > MAX_EXPANDED_NODES and not oversized:
                oversized = True
                problems.append(
                    ParseProblem(
                        f"aliases expand this document past {MAX_EXPANDED_NODES:,} nodes "
                        "(a 'billion laughs' alias bomb?); it was not linted",
                        frame[4],
                        index,
                        False,
                    )
                )
            container = frame[0]
            if type(container) is dict:
                key = frame[2]
                if key is _NO_KEY:
                    frame[3] = mark
                    if type(value) is str:
                        # keys repeat in every object: one shared str each keeps memory flat
                        frame[2] = intern(value)
                    elif value is _MERGE:
                        frame[2] = value
                    elif child is None:
                        frame[2] = _key_of(value)
                    else:  # a mapping or list as a key: go-yaml fails on it
                        frame[2] = f"<complex key at {(mark >> 24) + 1}:{(mark & _COL_MASK) + 1}>"
                        problems.append(ParseProblem(_COMPLEX_KEY, mark, index, False))
                    continue
                frame[2] = _NO_KEY
                if key is _MERGE:
                    if frame[6] is None:
                        frame[6] = []
                    frame[6].append((value, child, frame[3], len(frame[1])))
                    continue
                entries = frame[1]
                if key in entries:
                    problems.append(
                        ParseProblem(
                            f"duplicate key {key!r} (first at line "
                            f"{(entries[key][0] >> 24) + 1}); kubectl rejects the object "
                            "and other tools silently keep the last value",
                            frame[3],
                            index,
                            False,
                        )
                    )
                container[key] = value
                entries[key] = (frame[3], mark, child)
            else:
                container.append(value)
                frame[1].append((mark, child))
    except MarkedYAMLError as exc:
        problem_mark = exc.problem_mark or exc.context_mark
        mark = pack(problem_mark.line, problem_mark.column) if problem_mark else doc_start
        problems.append(ParseProblem(_yaml_error_text(exc), mark, index, True))
    except YAMLError as exc:  # reader errors (control characters, bad encoding)
        problems.append(ParseProblem(_yaml_error_text(exc), doc_start, index, True))
    return docs, problems


class _NoKey:
    __slots__ = ()

    def __repr__(self) -> str:
        return "<no key>"


_NO_KEY: Any = _NoKey()


def _apply_merges(
    container: dict[Any, Any], entries: dict[Any, Any], merges: list[tuple[Any, Any, int, int]]
) -> list[tuple[str, int]]:
    """Merge ``<<`` values into a mapping as go-yaml v2 (sigs.k8s.io/yaml) does.

    go-yaml v2 decodes a mapping's pairs in document order and a merge writes its
    keys over what is already there (decode.go ``mapping``/``merge``): a merge
    overrides the explicit keys before it, the explicit keys after it override
    the merge, and in ``<<: [*a, *b]`` the earlier mapping wins.  Each merge is
    ``(value, child, key_mark, explicit_keys_before_it)``.  Returns the problems
    (message, mark) of merges whose value is not a mapping or a list of them.
    """
    problems: list[tuple[str, int]] = []
    explicit = list(entries.items())
    values = dict(container)
    container.clear()
    entries.clear()
    done = 0
    for value, child, kmark, before in merges:
        for key, entry in explicit[done:before]:
            container[key] = values[key]
            entries[key] = entry
        done = max(done, before)
        sources = _merge_sources(value, child)
        if sources is None:
            problems.append(
                (
                    "the value of a '<<' merge key must be a mapping or a list of mappings: "
                    "kubectl and Argo CD fail with \"map merge requires map or sequence of maps "
                    'as the value"',
                    kmark,
                )
            )
            continue
        for source, source_pos in reversed(sources):
            source_entries = source_pos.entries if source_pos is not None else {}
            for key, item in source.items():
                container[key] = item
                entries[key] = source_entries.get(key, (kmark, kmark, None))
    for key, entry in explicit[done:]:
        container[key] = values[key]
        entries[key] = entry
    return problems


def _merge_sources(value: Any, child: Any) -> list[tuple[dict[Any, Any], Any]] | None:
    """The mappings a ``<<`` value merges, or None when it is not a mapping or a list of them."""
    if isinstance(value, dict):
        return [(value, child)]
    if not isinstance(value, list) or child is None:
        return None
    sources: list[tuple[dict[Any, Any], Any]] = []
    for item, (_, item_child) in zip(value, child.entries, strict=False):
        if not isinstance(item, dict):
            return None
        sources.append((item, item_child))
    return sources


def _binary(text: str) -> tuple[Any, str | None]:
    """``!!binary``: go-yaml decodes the base64 (ignoring line breaks) into a string."""
    import base64
    import binascii

    try:
        data = base64.b64decode(text.replace("\r", "").replace("\n", ""), validate=True)
    except (binascii.Error, ValueError):
        return text, (
            'this !!binary value is not valid base64: kubectl and Argo CD fail with "!!binary '
            'value contains invalid base64 data"; fix the data or drop the tag'
        )
    return data.decode("utf-8", "replace"), None


def _yaml_error_text(exc: Exception) -> str:
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    if problem:
        text = f"{context} {problem}" if context and context not in problem else problem
    else:
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return " ".join(text.split())
