"""Fixes for findings of rendered sources, made in the repository file the finding maps to.

A finding of a Helm chart or a Kustomize build points (provenance, ``Document.where_span``)
at a line of a repository file: a template, a values file, a resource file, a
kustomization.  When the offending text is written there literally, the rule's fixer
edits that file exactly as it edits a raw file: the fixer sees the rendered Document
(its values decide the fix) with its positions narrowed to that one file (a
:func:`proxy`), so every edit it makes is in that file, at the mapped place.

What is *literal* (:func:`literal`):

- a scalar replacement (HL001 quoting, HL003/HL004/HL005 items, HL101's item, HL203/HL204's
  value, HL007's key rename, HL111's line): the scalar's text at the mapped place must be
  the rendered value itself (``string_span``/``plain_token`` already insist), and no edit
  may touch a Go action (``{{ ... }}``): ``wave: {{ .Values.wave }}`` gets no fix;
- an inserted line (HL201/HL202, HL203's ``restartPolicy``, HL006's move): the line it
  goes after (the mapping's key) and the line it goes before (the mapping's first line)
  must hold no Go action, and that first line must start with a key at the very
  indentation the new line gets: the block is literal text with a known indentation.

Every fix is then verified by rendering the source again with the edited files
(:mod:`hooklint.fix.rendered`, :mod:`hooklint.fix.rerender`).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Mapping

from hooklint.fix.changes import Change
from hooklint.fix.fixers import FIXERS
from hooklint.fix.target import Target
from hooklint.fix.text import SourceText
from hooklint.fix.verdicts import applicability
from hooklint.model import Document, PosMap, SourceFile, position_from_mark
from hooklint.sources.provenance import FILE_SHIFT

_LOW = (1 << FILE_SHIFT) - 1
#: A mark on no line of any file: ``SourceText.offset`` gives None for it.
NOWHERE = 0xFFFFFE << 24
_ACTION = ("{{", "}}")


def file_number(doc: Document, source: SourceFile | str) -> int | None:
    """The index marks of ``doc`` use for the file ``source`` (0: the document's own file)."""
    path = source if isinstance(source, str) else source.path
    if doc.file.path == path:
        return 0
    files = doc.provenance.files if doc.provenance is not None else ()
    for number, file in enumerate(files, 1):
        if file.path == path:
            return number
    return None


def proxy(doc: Document, number: int, src: SourceText) -> Document:
    """``doc`` with only the marks that point into file ``number`` (the others nowhere).

    A Kustomize value set by a ``commonAnnotations`` entry is located at that entry's key;
    here its value mark moves to the value and its key mark to the key."""
    doc.where(())  # a source may compute positions on first use: now
    positions = _narrow(doc.positions, number, src)
    return Document(doc.file, doc.index, doc.root, positions, doc.is_target, doc.item)


def _mark(mark: int, number: int) -> int:
    return mark & _LOW if mark >> FILE_SHIFT == number else NOWHERE


def _narrow(pos: PosMap, number: int, src: SourceText) -> PosMap:
    entries = pos.entries
    if isinstance(entries, dict):
        out: dict[Any, tuple[int, int, PosMap | None, int, int]] = {}
        for key, (kmark, vmark, child, klen, vlen) in entries.items():
            kmark, vmark = _mark(kmark, number), _mark(vmark, number)
            if child is None and vmark != NOWHERE and isinstance(key, str):
                moved = _value_after_key(src, vmark, key)
                if moved is not None:
                    kmark, vmark, klen, vlen = vmark, moved, len(key), 0
            narrowed = _narrow(child, number, src) if child is not None else None
            out[key] = (kmark, vmark, narrowed, klen, vlen)
        return PosMap(_mark(pos.start, number), out)
    items = [(_mark(m, number), _narrow(c, number, src) if c is not None else None, n) for m, c, n in entries]
    return PosMap(_mark(pos.start, number), items)


def _value_after_key(src: SourceText, mark: int, key: str) -> int | None:
    """When ``mark`` is at the text ``key:`` (a value located at its key), the value's mark."""
    offset = src.offset(position_from_mark(mark))
    if offset is None:
        return None
    text = src.text
    for written in (key, f'"{key}"', f"'{key}'"):
        if text.startswith(written, offset):
            at = offset + len(written)
            end = src.line_end(offset)
            while at < end and text[at] in " \t":
                at += 1
            if text[at : at + 1] != ":":
                continue
            at += 1
            while at < end and text[at] in " \t":
                at += 1
            if at >= end or text[at] == "#":
                return None
            line = src.line_of(at)
            return (line << 24) | (at - src.line_starts[line])
    return None


def literal(change: Change, src: SourceText) -> bool:
    """Does ``change`` only touch literal text (no Go action; see the module doc)?"""
    text = src.text
    if "{{" not in text:
        return True
    for edit in change.edits:
        if any(a in text[edit.start : edit.end] for a in _ACTION):
            return False
        line = src.line_of(min(edit.start, len(text)))
        start = src.line_starts[line]
        if edit.start != start or edit.start != edit.end:  # inside a line: the line has no action
            if any(a in text[start : src.line_end(start)] for a in _ACTION):
                return False
            continue
        # a new line: the mapping's key line above is literal (no action prints its value
        # there), and the line below starts with a literal key at the new line's indentation
        if line > 0:
            before = text[src.line_starts[line - 1] : src.line_end(src.line_starts[line - 1])]
            if not _literal_key(before, len(before) - len(before.lstrip(" "))) or "{{" in before:
                return False
        following = text[start : src.line_end(start)] if start < len(text) else ""
        indent = len(edit.new) - len(edit.new.lstrip(" "))
        if following[:indent].strip(" ") or not _literal_key(following, indent):
            return False
        removed = {
            n
            for other in change.edits
            if other.end > other.start
            for n in range(src.line_of(other.start), src.line_of(max(other.start, other.end - 1)) + 1)
        }
        if _written_elsewhere(src, start, edit.new, removed):
            return False
    return True


def _written_elsewhere(src: SourceText, at: int, new: str, removed: set[int]) -> bool:
    """Does the template document around ``at`` write one of the keys the new lines add, at
    their indentation (a branch of an ``if`` that Argo CD's values did not take: with other
    values it would print the key twice)?  Lines the change removes (``removed``) do not count."""
    text, starts = src.text, src.line_starts

    def line_text(number: int) -> str:
        return text[starts[number] : src.line_end(starts[number])]

    line = src.line_of(at)
    first, last = line, line
    while first > 0 and line_text(first - 1) != "---":
        first -= 1
    while last < len(starts) and line_text(last) != "---":
        last += 1
    block = [line_text(n) for n in range(first, last) if n not in removed]
    for added in new.splitlines():
        key = added.strip(" ").split(":", 1)[0]
        indent = len(added) - len(added.lstrip(" "))
        for old in block:
            if len(old) - len(old.lstrip(" ")) == indent and old.strip(" ").split(":", 1)[0] == key:
                return True
    return False


def _literal_key(line: str, indent: int) -> bool:
    """Does ``line`` hold, at ``indent``, a mapping key written without an action?"""
    rest = line[indent:]
    if rest[:1] in (" ", "", "#", "-", "{") or ":" not in rest:
        return False
    return "{{" not in rest.split(":", 1)[0]


@functools.lru_cache(maxsize=256)
def _read(path: str, stamp: tuple[int, int]) -> SourceText | None:
    try:
        return SourceText(Path(path).read_bytes())
    except (OSError, UnicodeDecodeError):
        return None


def file_text(path: Path) -> SourceText | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return _read(str(path), (stat.st_mtime_ns, stat.st_size))


def mapped_changes(code: str, target: Target, number: int, src: SourceText) -> list[Change]:
    """The literal changes of ``target`` (a rendered document's finding) in file ``number``."""
    fixer = FIXERS.get(code)
    if fixer is None:
        return []
    narrowed = Target(proxy(target.doc, number, src), target.path, target.message, target.params)
    try:
        return [c for c in fixer.changes(narrowed, src) if literal(c, src)]
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        return []


def mapped_applicability(
    code: str,
    doc: Document,
    path: Any,
    message: str,
    params: Mapping[str, Any],
    source: SourceFile,
    cwd: Path,
) -> str | None:
    """``safe``/``unsafe`` when the finding of a rendered document can be fixed literally in
    the file it maps to (``source``), else None."""
    if doc.provenance is not None and not doc.provenance.rendered:
        return None  # linted without rendering: a fix could not be verified
    target = Target(doc, path, message, dict(params))
    found = applicability(code, target)
    if found is None:
        return None
    number = file_number(doc, source)
    src = file_text(cwd / source.path)
    if number is None or src is None:
        return None
    return found if mapped_changes(code, target, number, src) else None
