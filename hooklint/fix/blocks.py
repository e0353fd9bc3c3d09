"""Adding and removing mapping entries by whole lines, at the mapping's own indentation."""

from __future__ import annotations

from hooklint.fix.text import Edit, SourceText
from hooklint.model import Document, PosMap, YamlPath, position_from_mark, position_steps

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Any


def posmap_at(doc: Document, path: YamlPath) -> PosMap | None:
    """The PosMap of the mapping or sequence at ``path``, or None."""
    steps = position_steps(doc.positions, path)
    if len(steps) != len(path):
        return None
    return steps[-1][2] if steps else doc.positions


def key_offset(src: SourceText, doc: Document, path: YamlPath) -> int | None:
    return src.offset(doc.locate(path, key=True))


def first_key_offset(src: SourceText, mapping: PosMap) -> int | None:
    entries = mapping.entries
    if not isinstance(entries, dict) or not entries:
        return None
    mark = min(entry[0] for entry in entries.values())
    return src.offset(position_from_mark(mark))


def _blank(text: str) -> bool:
    return not text.strip(" ")


def mapping_indent(src: SourceText, mapping: PosMap) -> tuple[int, str] | None:
    """(offset of the first key, ``block`` or ``flow``) of a non-empty mapping."""
    first = first_key_offset(src, mapping)
    if first is None:
        return None
    before = src.text[src.line_start(first) : first]
    if _blank(before):
        return first, "block"
    if before.rstrip(" ").endswith(("{", ",")):
        return first, "flow"
    return None


def insert_entry(
    src: SourceText, doc: Document, path: YamlPath, entry: str, block_lines: str = ""
) -> Edit | None:
    """Add ``entry`` (``key: value``, one line) to the mapping at ``path``, as its first entry.

    In a block mapping the new line goes right after the mapping's own key line, so
    comments above the first key stay with it; ``block_lines`` are more lines under
    the entry, already indented relative to it (``"  a: b"``).  In a flow mapping it
    goes before the first key, with ``, ``.
    """
    mapping = posmap_at(doc, path)
    if mapping is None or not path:
        return None
    found = mapping_indent(src, mapping)
    if found is None:
        return None
    first, style = found
    if style == "flow":
        if block_lines:
            return None
        return Edit(first, first, f"{entry}, ")
    parent = key_offset(src, doc, path)
    if parent is None or src.line_of(parent) >= src.line_of(first):
        return None
    at = src.next_line_start(parent)
    if at is None:
        return None
    indent = " " * (first - src.line_start(first))
    eol = src.line_break(parent)
    more = "".join(f"{indent}{line}{eol}" for line in block_lines.splitlines())
    return Edit(at, at, f"{indent}{entry}{eol}{more}")


def entry_lines(src: SourceText, doc: Document, path: YamlPath, value_end: int) -> tuple[int, int] | None:
    """The whole lines of a block mapping entry whose value ends at ``value_end`` on the key's
    line (only a comment may follow): (start of its line, start of the next line)."""
    key = key_offset(src, doc, path)
    if key is None or src.line_of(key) != src.line_of(value_end):
        return None
    start = src.line_start(key)
    if not _blank(src.text[start:key]):
        return None
    rest = src.text[value_end : src.line_end(key)].lstrip(" \t")
    if rest and not rest.startswith("#"):
        return None
    end = src.next_line_start(key)
    return start, (end if end is not None else len(src.text))


def indent_step(src: SourceText, doc: Document, path: YamlPath) -> int | None:
    """How far the block mapping at ``path`` is indented under its key (2 for most files)."""
    mapping = posmap_at(doc, path)
    parent = key_offset(src, doc, path)
    if mapping is None or parent is None:
        return None
    found = mapping_indent(src, mapping)
    if found is None or found[1] != "block":
        return None
    step = (found[0] - src.line_start(found[0])) - (parent - src.line_start(parent))
    return step if step > 0 else None


def value_of(doc: Document, path: YamlPath) -> Any:
    return doc.get(path)
