"""One file's findings -> verified edits -> the file's new bytes."""

from __future__ import annotations

from bisect import bisect_left, insort
from typing import Any, Callable, Iterable, Sequence

from hooklint.fix.changes import Change
from hooklint.fix.fixers import FIXERS
from hooklint.fix.target import Target
from hooklint.fix.text import Edit, apply_edits, overlaps
from hooklint.fix.verdicts import applicability
from hooklint.fix.verify import editable, expected, values
from hooklint.model import Document, Finding
from hooklint.sources.files import LoadedFile, load_bytes, looks_like_go_template
from hooklint.values import dataclass


@dataclass(frozen=True)
class FileFix:
    data: bytes  # the new bytes
    fixed: tuple[Finding, ...]
    loaded: LoadedFile  # the new bytes, loaded


def find_document(documents: Iterable[Document], finding: Finding) -> Document | None:
    """The document a finding is about: same object, and its path still at the finding's place."""
    found = [
        doc
        for doc in documents
        if doc.qualified_ref == finding.object_ref
        and finding.position in (doc.locate(finding.yaml_path), doc.locate(finding.yaml_path, key=True))
    ]
    return found[0] if len(found) == 1 else None


def fix_file(
    data: bytes,
    display: str,
    findings: Sequence[Finding],
    params: dict[str, dict[str, Any]],
    allowed: frozenset[str],
    loaded: LoadedFile | None = None,
    is_target: bool = True,
) -> FileFix | None:
    """Apply what fixes of ``findings`` verify together; None when nothing can be fixed.

    A file hooklint does not read cleanly (any HL000, a template) is never touched.
    Fixes that overlap one already taken wait for the next round (the caller re-lints).
    ``loaded`` is ``data`` already loaded, when the caller has it.
    """
    if loaded is None:
        loaded = load_bytes(data, display, is_target, plain_file=True)
    source = editable(loaded, data)
    if source is None:
        return None
    src, before = source
    candidates: list[tuple[Finding, Document, list[Change]]] = []
    for finding in findings:
        fixer = FIXERS.get(finding.code)
        doc = find_document(loaded.documents, finding) if fixer is not None else None
        if fixer is None or doc is None:
            continue
        target = Target(doc, finding.yaml_path, finding.message, params.get(finding.code, {}))
        if applicability(finding.code, target) not in allowed:
            continue
        try:
            changes = list(fixer.changes(target, src))
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            continue  # a shape the fixer did not expect: no fix (tests/test_fix_hypothesis.py looks)
        if changes:
            candidates.append((finding, doc, changes))
    if not candidates:
        return None

    last: list[tuple[int, bytes]] = []  # (number of changes, bytes) of the last success

    def attempt(chosen: Sequence[tuple[Document, Change]]) -> bytes | None:
        edits = [edit for _, change in chosen for edit in change.edits]
        new_text = apply_edits(src.text, edits)
        if looks_like_go_template(new_text):
            return None
        want = expected(before, [(doc.index, doc.item, change.expect) for doc, change in chosen])
        if values(new_text, src.bom) != want:
            return None
        last[:] = [(len(chosen), src.encode(new_text))]
        return last[0][1]

    # one non-overlapping first choice per finding; the others wait for the next round
    chosen: list[tuple[Finding, Document, Change]] = []
    used = Occupied()
    for finding, doc, changes in candidates:
        if used.free(changes[0]):
            used.take(changes[0])
            chosen.append((finding, doc, changes[0]))
    taken = _accept(attempt, [], [(doc, change) for _, doc, change in chosen])
    fixed = [finding for finding, doc, change in chosen if (doc, change) in taken]
    # a finding whose first choice did not read back tries its other choices, one by one
    used = Occupied()
    for _, change in taken:
        used.take(change)
    for finding, doc, changes in candidates:
        if finding in fixed:
            continue
        for change in changes[1:]:
            if used.free(change) and attempt([*taken, (doc, change)]):
                used.take(change)
                taken.append((doc, change))
                fixed.append(finding)
                break
    if not taken:
        return None
    result = last[0][1] if last and last[0][0] == len(taken) else attempt(taken)
    if result is None:
        return None
    # the whole reading path once more (notes, HL000 of any kind): all of it or nothing
    after = load_bytes(result, display, is_target, plain_file=True)
    if after.problems or after.notices:
        return None
    return FileFix(result, tuple(fixed), after)


def _accept(
    attempt: Callable[[Sequence[tuple[Document, Change]]], bytes | None],
    base: list[tuple[Document, Change]],
    group: list[tuple[Document, Change]],
) -> list[tuple[Document, Change]]:
    """``base`` plus the changes of ``group`` that read back: all at once when they do, else
    by halves (a few bad changes among many cost a few reads, not one per change)."""
    if not group:
        return base
    if attempt([*base, *group]) is not None:
        return [*base, *group]
    if len(group) == 1:
        return base
    middle = len(group) // 2
    return _accept(attempt, _accept(attempt, base, group[:middle]), group[middle:])


class Occupied:
    """The text ranges the changes taken so far edit, to keep the next ones apart."""

    def __init__(self) -> None:
        self.edits: list[Edit] = []  # sorted by (start, end)

    def free(self, change: Change) -> bool:
        for edit in change.edits:
            at = bisect_left(self.edits, (edit.start, edit.end), key=lambda e: (e.start, e.end))
            for other in self.edits[max(0, at - 1) : at + 1]:
                if overlaps(edit, other):
                    return False
            # an edit reaching past its neighbours: check every edit it spans
            for other in self.edits[at + 1 :]:
                if other.start >= edit.end:
                    break
                if overlaps(edit, other):
                    return False
        return True

    def take(self, change: Change) -> None:
        for edit in change.edits:
            insort(self.edits, edit, key=lambda e: (e.start, e.end))
