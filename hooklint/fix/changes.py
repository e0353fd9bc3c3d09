"""What a fix makes: Changes (text edits plus the values the document must read as afterwards),
with the building blocks fixers share: set a string in place, add a mapping entry, remove
one, rename a key.  (A finding's Target is :mod:`hooklint.fix.target`'s.)"""

from __future__ import annotations

from hooklint.fix.blocks import entry_lines, insert_entry, key_offset, mapping_indent, posmap_at
from hooklint.fix.scalars import ScalarSpan, plain_token, safe_in_style, splice_string, string_span
from hooklint.fix.target import SCALARS, Target
from hooklint.fix.text import Edit, SourceText
from hooklint.fix.verdicts import Verdict
from hooklint.model import Document, YamlPath
from hooklint.values import dataclass

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Any, Callable, Iterator

    #: mutates a copy of the document's root into what it must read as after the fix
    Expect = Callable[[dict[str, Any]], None]

@dataclass(frozen=True)
class Change:
    edits: tuple[Edit, ...]
    expect: Expect


def set_at(path: YamlPath, value: Any) -> Expect:
    def apply(root: dict[str, Any]) -> None:
        node: Any = root
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = value

    return apply


def both(*steps: Expect) -> Expect:
    def apply(root: dict[str, Any]) -> None:
        for step in steps:
            step(root)

    return apply


class Fixer(Verdict):
    """A rule's verdict (:class:`hooklint.fix.verdicts.Verdict`) and the edits that fix it."""

    def changes(self, target: Target, src: SourceText) -> Iterator[Change]:
        raise NotImplementedError


# -- string values: set a new string in place -----------------------------------------------
def string_changes(target: Target, src: SourceText, new: str) -> Iterator[Change]:
    """Edits turning the string at the target's path into ``new``: a splice in the
    scalar's own style, else the whole scalar rewritten double-quoted."""
    old = target.doc.get(target.path)
    offset = src.offset(target.doc.locate(target.path))
    if not isinstance(old, str) or offset is None:
        return
    span = string_span(src, offset, old)
    if span is None:
        return
    expect = set_at(target.path, new)
    if safe_in_style(new, span.style):
        yield Change((splice_string(span, old, new),), expect)
    if span.style != '"' and safe_in_style(new, '"'):
        yield Change((Edit(span.start, span.end, f'"{new}"'),), expect)


def replace_items(value: str, replacements: dict[str, str]) -> str:
    """``value`` with its comma-separated items replaced, spacing kept."""
    parts = value.split(",")
    for i, part in enumerate(parts):
        item = part.strip()
        if item in replacements:
            parts[i] = part.replace(item, replacements[item], 1)
    return ",".join(parts)


# -- adding a key to a mapping ------------------------------------------------------------------
def add_entry(
    target: Target, src: SourceText, mapping: YamlPath, key: str, value: Any, text: str
) -> Iterator[Change]:
    edit = insert_entry(src, target.doc, mapping, f"{key}: {text}")
    if edit is not None:
        yield Change((edit,), set_at((*mapping, key), value))


def value_span(src: SourceText, doc: Document, path: YamlPath) -> ScalarSpan | None:
    value = doc.get(path)
    offset = src.offset(doc.locate(path))
    if offset is None or not isinstance(value, SCALARS):
        return None
    if isinstance(value, str):
        return string_span(src, offset, value)
    return plain_token(src, offset)


# -- removing and renaming an entry (HL111 drops generateName, HL007 renames a key) -------------
def remove_entry_changes(target: Target, src: SourceText, path: YamlPath) -> Iterator[Change]:
    """Remove the mapping entry at ``path`` with a one-line scalar value: its whole line in a
    block mapping, the entry and one comma in a flow mapping."""
    doc = target.doc
    parent = doc.get(path[:-1]) if path else None
    span = value_span(src, doc, path)
    if not isinstance(parent, dict) or len(parent) < 2 or path[-1] not in parent or span is None:
        return
    mapping = posmap_at(doc, path[:-1])
    found = mapping_indent(src, mapping) if mapping is not None else None
    if found is not None and found[1] == "flow":
        cut = _flow_entry(src, key_offset(src, doc, path), span.end)
    else:
        cut = entry_lines(src, doc, path, span.end)
    if cut is None:
        return

    def expect(root: dict[str, Any]) -> None:
        node: Any = root
        for step in path[:-1]:
            node = node[step]
        del node[path[-1]]

    yield Change((Edit(cut[0], cut[1], ""),), expect)


def _flow_entry(src: SourceText, key: int | None, value_end: int) -> tuple[int, int] | None:
    """The text of a flow mapping entry with one of its commas: ``k: v, `` (up to the next
    key), or ``, k: v`` when it is the last entry."""
    text = src.text
    if key is None:
        return None
    after = value_end
    while after < len(text) and text[after] in " \t":
        after += 1
    if text[after : after + 1] == ",":
        after += 1
        while after < len(text) and text[after] in " \t":
            after += 1
        return key, after
    if text[after : after + 1] != "}":
        return None
    before = key
    while before > 0 and text[before - 1] in " \t":
        before -= 1
    return (before - 1, value_end) if text[before - 1 : before] == "," else None


def rename_key_changes(target: Target, src: SourceText, path: YamlPath, new_key: str) -> Iterator[Change]:
    """Rename the mapping key at ``path`` to ``new_key`` in place (plain or quoted key)."""
    doc = target.doc
    parent = doc.get(path[:-1])
    old = path[-1] if path else None
    offset = src.offset(doc.locate(path, key=True))
    if not isinstance(old, str) or not isinstance(parent, dict) or new_key in parent or offset is None:
        return
    text = src.text
    start = offset + 1 if text[offset : offset + 1] in ("'", '"') else offset
    style = text[offset] if start > offset else "plain"
    after = text[start + len(old) : start + len(old) + 1]
    if not text.startswith(old, start) or (style == "plain" and after not in (":", " ", "\t")):
        return
    if not safe_in_style(new_key, style):
        return

    def expect(root: dict[str, Any]) -> None:
        node: Any = root
        for step in path[:-1]:
            node = node[step]
        node[new_key] = node.pop(old)

    yield Change((Edit(start, start + len(old), new_key),), expect)
