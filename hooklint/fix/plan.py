"""One file's findings -> verified edits -> the file's new bytes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from hooklint.fix.fixers import FIXERS, Change, Target
from hooklint.fix.text import Edit, SourceText, apply_edits, overlaps
from hooklint.fix.verify import expected, readable, values
from hooklint.model import Document, Finding
from hooklint.sources.files import load_bytes


@dataclass(frozen=True)
class FileFix:
    data: bytes  # the new bytes
    fixed: tuple[Finding, ...]


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
) -> FileFix | None:
    """Apply what fixes of ``findings`` verify together; None when nothing can be fixed.

    A file hooklint does not read cleanly (any HL000, a template) is never touched.
    Fixes that overlap one already taken wait for the next round (the caller re-lints).
    """
    loaded = load_bytes(data, display, plain_file=True)
    if loaded.problems or loaded.notices:
        return None
    src = SourceText(data)
    before = values(src.text)
    if before is None:
        return None
    candidates: list[tuple[Finding, Document, list[Change]]] = []
    for finding in findings:
        fixer = FIXERS.get(finding.code)
        doc = find_document(loaded.documents, finding) if fixer is not None else None
        if fixer is None or doc is None:
            continue
        target = Target(doc, finding.yaml_path, finding.message, params.get(finding.code, {}))
        if fixer.applicability(target) not in allowed:
            continue
        changes = list(fixer.changes(target, src))
        if changes:
            candidates.append((finding, doc, changes))
    if not candidates:
        return None

    def attempt(chosen: Sequence[tuple[Document, Change]]) -> bytes | None:
        edits = [edit for _, change in chosen for edit in change.edits]
        new_text = apply_edits(src.text, edits)
        new_data = src.encode(new_text)
        if not readable(new_data, display):
            return None
        want = expected(before, [(doc.index, doc.item, change.expect) for doc, change in chosen])
        return new_data if values(new_text) == want else None

    first = [(doc, changes[0]) for _, doc, changes in candidates]
    if not _conflicting([c for _, c in first]):
        together = attempt(first)
        if together is not None:
            return FileFix(together, tuple(f for f, _, _ in candidates))
    taken: list[tuple[Document, Change]] = []
    fixed: list[Finding] = []
    result: bytes | None = None
    for finding, doc, changes in candidates:
        for change in changes:
            if _conflicting([c for _, c in taken] + [change]):
                continue
            new = attempt([*taken, (doc, change)])
            if new is not None:
                taken.append((doc, change))
                fixed.append(finding)
                result = new
                break
    return FileFix(result, tuple(fixed)) if result is not None else None


def _conflicting(changes: Sequence[Change]) -> bool:
    edits: list[tuple[int, Edit]] = [(n, e) for n, change in enumerate(changes) for e in change.edits]
    return any(na != nb and overlaps(a, b) for i, (na, a) in enumerate(edits) for nb, b in edits[i + 1 :])
