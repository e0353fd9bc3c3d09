"""Fixing one rendered source's findings: choose the literal changes, apply them, render the
source again and verify (:func:`fix_group`); ``--add-ignore`` alike (:func:`ignore_group`);
the notes for findings left unfixed.  Where a change may go is :mod:`hooklint.fix.mapped`.

Verification: the source rendered again (:mod:`hooklint.fix.rerender`) must give no HL000,
the same documents in the same order, each as it was or as the fixes intend
(:func:`same_documents`; an annotation a fix changes may change the same way in other
annotation maps: a ``commonAnnotations`` line reaches pod templates, one values line several
objects), and none of the fixed findings.  Another source of the run that reads an edited
file (a base two overlays use) must render cleanly too and change only as the fixed
objects do (:func:`changed_like`).
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence

from hooklint.fix.changes import Change
from hooklint.fix.fixers import FIXERS
from hooklint.fix.mapped import file_number, mapped_changes
from hooklint.fix.target import Target
from hooklint.fix.text import Edit, SourceText, apply_edits, overlaps
from hooklint.fix.verdicts import applicability
from hooklint.model import Document, Finding, yaml_path_text
from hooklint.values import dataclass, field

if TYPE_CHECKING:
    from hooklint.sources.files import LoadedFile


# -- the fix run -------------------------------------------------------------------------------------
@dataclass
class Candidate:
    finding: Finding
    doc: Document
    path: str  # display path of the file the changes edit
    changes: list[Change]


@dataclass
class RenderedFix:
    data: dict[str, bytes]  # display path -> the file's new bytes
    fixed: list[Finding]
    loaded: list[Any]  # the source's LoadedFiles, rendered again
    #: the other sources that read an edited file: group -> their LoadedFiles, rendered again
    others: dict[str, Any] = field(default_factory=dict)


def find_rendered_document(documents: Iterable[Document], finding: Finding) -> Document | None:
    """The rendered document a finding is about: same object, the finding's file and place."""
    found = []
    for doc in documents:
        if doc.qualified_ref != finding.object_ref:
            continue
        for key in (False, True):
            file, position, _ = doc.where_span(finding.yaml_path, key=key)
            if file.path == finding.path and position == finding.position:
                found.append(doc)
                break
    return found[0] if len(found) == 1 else None


def candidates(
    findings: Sequence[Finding],
    documents: Sequence[Document],
    params: Callable[[str], Mapping[str, Mapping[str, Any]]],
    allowed: frozenset[str],
    text_of: Callable[[str], SourceText | None],
) -> list[Candidate]:
    by_ref: dict[str, list[Document]] = {}
    for doc in documents:
        by_ref.setdefault(doc.qualified_ref, []).append(doc)
    out: list[Candidate] = []
    for finding in findings:
        if finding.code not in FIXERS:
            continue
        found = find_rendered_document(by_ref.get(finding.object_ref, ()), finding)
        if found is None or not found.is_target:
            continue
        doc = found
        target = Target(
            doc, finding.yaml_path, finding.message, dict(params(finding.path).get(finding.code, {}))
        )
        if applicability(finding.code, target) not in allowed:
            continue
        number = file_number(doc, finding.path)
        src = text_of(finding.path)
        if number is None or src is None:
            continue
        changes = mapped_changes(finding.code, target, number, src)
        if changes:
            out.append(Candidate(finding, doc, finding.path, changes))
    return out


def choose(found: Sequence[Candidate]) -> list[tuple[Candidate, Change]]:
    """One first choice per finding, apart from the others' edits; a change whose edits are those
    of one already chosen (one values line several objects print) is chosen with it."""
    chosen: list[tuple[Candidate, Change]] = []
    taken: dict[str, list[Edit]] = {}
    same: dict[tuple[str, tuple[Edit, ...]], bool] = {}
    for cand in found:
        change = cand.changes[0]
        key = (cand.path, tuple(sorted(change.edits, key=lambda e: (e.start, e.end))))
        if key in same:
            chosen.append((cand, change))
            continue
        edits = taken.setdefault(cand.path, [])
        if any(overlaps(a, b) for a in change.edits for b in edits):
            continue  # the next round
        edits.extend(change.edits)
        same[key] = True
        chosen.append((cand, change))
    return chosen


def edited_files(
    chosen: Sequence[tuple[Candidate, Change]], text_of: Callable[[str], SourceText | None]
) -> dict[str, bytes]:
    by_file: dict[str, dict[tuple[int, int, str], Edit]] = {}
    for cand, change in chosen:
        for edit in change.edits:
            by_file.setdefault(cand.path, {})[(edit.start, edit.end, edit.new)] = edit
    out: dict[str, bytes] = {}
    for path, edits in by_file.items():
        src = text_of(path)
        assert src is not None
        out[path] = src.encode(apply_edits(src.text, edits.values()))
    return out


def expected_roots(chosen: Sequence[tuple[Candidate, Change]]) -> dict[int, Any]:
    """id(document) -> the root it must render as."""
    out: dict[int, Any] = {}
    for cand, change in chosen:
        root = out.get(id(cand.doc))
        if root is None:
            root = out[id(cand.doc)] = copy.deepcopy(cand.doc.root)
        change.expect(root)
    return out


def same_documents(
    old: Sequence[Document],
    new: Sequence[Document],
    want: Mapping[int, Any],
    copies: frozenset[tuple[str, Any, Any]] = frozenset(),
) -> bool:
    """The render gave the same objects, in order, each as it was or as the fixes intend.

    ``copies`` (annotation key, old value, new value): an annotation the fixes change may
    change the same way in other annotation maps (kustomize writes a ``commonAnnotations``
    entry into pod templates too; one values line can feed several)."""
    if len(old) != len(new):
        return False
    for before, after in zip(old, new, strict=True):
        if (before.file.path, before.index, before.item) != (after.file.path, after.index, after.item):
            return False
        if not _same(after.root, want.get(id(before), before.root), (), copies):
            return False
    return True


def _same(got: Any, want: Any, path: tuple[Any, ...], copies: frozenset[tuple[str, Any, Any]]) -> bool:
    if isinstance(got, dict) and isinstance(want, dict):
        return got.keys() == want.keys() and all(_same(got[k], want[k], (*path, k), copies) for k in got)
    if isinstance(got, list) and isinstance(want, list):
        return len(got) == len(want) and all(
            _same(a, b, (*path, n), copies) for n, (a, b) in enumerate(zip(got, want, strict=True))
        )
    if type(got) is type(want) and got == want:
        return True
    return len(path) >= 2 and path[-2] == "annotations" and (path[-1], want, got) in copies


def annotation_copies(chosen: Sequence[tuple[Candidate, Change]], want: Mapping[int, Any]) -> frozenset[Any]:
    out = set()
    for cand, _ in chosen:
        path = cand.finding.yaml_path
        if len(path) >= 2 and path[-2] == "annotations":
            old = cand.doc.get(path)
            new: Any = want.get(id(cand.doc))
            for step in path:
                new = new.get(step) if isinstance(new, dict) else None
            if isinstance(old, (str, int, float, bool)) and isinstance(new, (str, int, float, bool)):
                out.add((path[-1], old, new))
    return frozenset(out)


def display_to_path(cwd: Path, display: str) -> Path:
    return Path(os.path.normpath(cwd / display))


Unit = list[tuple[Candidate, Change]]


def units(chosen: Sequence[tuple[Candidate, Change]]) -> list[Unit]:
    """Chosen changes with the same edits in the same file go (and are verified) together."""
    out: dict[tuple[str, tuple[tuple[int, int, str], ...]], Unit] = {}
    for cand, change in chosen:
        key = (cand.path, tuple(sorted((e.start, e.end, e.new) for e in change.edits)))
        out.setdefault(key, []).append((cand, change))
    return list(out.values())


def fix_group(
    group: str,
    group_files: Sequence[LoadedFile],
    findings: Sequence[Finding],
    params: Callable[[str], Mapping[str, Mapping[str, Any]]],
    allowed: frozenset[str],
    text_of: Callable[[str], SourceText | None],
    render: Callable[[Mapping[str, bytes]], Sequence[LoadedFile] | None],
    relint: Callable[[Sequence[LoadedFile]], Sequence[Finding]],
    others: Callable[[Mapping[str, bytes], frozenset[Any]], dict[str, Sequence[LoadedFile]] | None] = (
        lambda data, changes: {}
    ),
) -> RenderedFix | None:
    """Fix what of ``findings`` (all mapped from documents of ``group_files``, one rendered
    source) can be fixed literally and verifies: rendered again (``render``: display path ->
    new bytes), the source gives the same documents but for the intended values, no HL000,
    and ``relint`` finds none of the fixed findings.  ``others`` renders the other sources
    that read an edited file (a base two overlays use) and gives their new files, or None
    when one of them breaks or gets a new finding.  None when nothing can be fixed."""
    if any(f.problems for f in group_files):
        return None  # a source hooklint does not render cleanly is never edited
    documents = [doc for f in group_files for doc in f.documents]
    found = candidates(findings, documents, params, allowed, text_of)
    if not found:
        return None
    best: list[
        tuple[list[tuple[Candidate, Change]], dict[str, bytes], Sequence[LoadedFile], dict[str, Any]]
    ] = []

    def attempt(chosen: list[tuple[Candidate, Change]]) -> bool:
        data = edited_files(chosen, text_of)
        rendered = render(data)
        if rendered is None or any(f.problems for f in rendered):
            return False
        mine = [doc for f in rendered if f.group == group and not f.source.plain_file for doc in f.documents]
        want = expected_roots(chosen)
        if not same_documents(documents, mine, want, annotation_copies(chosen, want)):
            return False
        remaining = relint(rendered)
        if any(f.code == "HL000" for f in remaining):
            return False
        gone = {
            (c.finding.code, c.finding.object_ref, c.finding.yaml_path, c.finding.message)
            for c, _ in chosen
        }
        if any((f.code, f.object_ref, f.yaml_path, f.message) in gone for f in remaining):
            return False
        intended = frozenset(c for cand, _ in chosen for c in changes(cand.doc.root, want[id(cand.doc)]))
        also = others(data, intended)
        if also is None:
            return False
        best[:] = [(list(chosen), data, rendered, also)]
        return True

    Pairs = list[tuple[Candidate, Change]]

    def accept(base: Pairs, group_units: list[Unit]) -> Pairs:
        if not group_units:
            return base
        flat = [pair for unit in group_units for pair in unit]
        if attempt([*base, *flat]):
            return [*base, *flat]
        if len(group_units) == 1:
            return base
        middle = len(group_units) // 2
        return accept(accept(base, group_units[:middle]), group_units[middle:])

    taken = accept([], units(choose(found)))
    if not taken:
        return None
    if (not best or len(best[0][0]) != len(taken)) and not attempt(taken):
        return None
    chosen, data, rendered, also = best[0]
    fixed = [cand.finding for cand, _ in chosen]
    return RenderedFix(data, fixed, list(rendered), also)


def unfixed_notes(
    findings: Sequence[Finding],
    files: Sequence[LoadedFile],
    groups: Any,
    params: Callable[[str], Mapping[str, Mapping[str, Any]]],
    allowed: frozenset[str],
) -> list[Any]:
    """A note for each finding of a rendered source that has a fix in a raw file, but none
    here: what to change, and where."""
    from hooklint.sources.files import Notice

    rendered = [d for f in files if not f.source.plain_file for d in f.documents]
    by_ref: dict[str, list[Document]] = {}
    for doc in rendered:
        by_ref.setdefault(doc.qualified_ref, []).append(doc)
    notes = []
    for finding in findings:
        if finding.suppression is not None or finding.code not in FIXERS:
            continue
        same = by_ref.get(finding.object_ref)
        found = find_rendered_document(same, finding) if same else None
        if found is None or not found.is_target:
            continue
        rule_params = dict(params(finding.path).get(finding.code, {}))
        target = Target(found, finding.yaml_path, finding.message, rule_params)
        if applicability(finding.code, target) not in allowed:
            continue
        notes.append(
            Notice(
                finding.path,
                f"{finding.code} on {found.ref} ({yaml_path_text(finding.yaml_path)}) not fixed: "
                "the text here is not what Argo CD gets (a template action, a values key or a patch "
                "makes it), or the fix did not render as intended; make the change where it is set",
            )
        )
    return notes


# -- --add-ignore ------------------------------------------------------------------------------------
def ignore_group(
    group: str,
    group_files: Sequence[LoadedFile],
    findings: Sequence[Finding],
    text_of: Callable[[str], SourceText | None],
    render: Callable[[Mapping[str, bytes]], Sequence[LoadedFile] | None],
    relint: Callable[[Sequence[LoadedFile]], Sequence[Finding]],
) -> dict[str, tuple[bytes, int]] | None:
    """``# hooklint: ignore[CODE]`` comments for ``findings`` (of one rendered source) in the
    files they map to, where hooklint honours them (a template, values file, resource file or
    kustomization: the suppression comments of the file a finding lands in are read); None
    unless rendering again gives the same documents, no HL000, and every finding suppressed."""
    from hooklint.fix.ignore import line_edits

    if any(f.problems for f in group_files):
        return None
    documents = [doc for f in group_files for doc in f.documents]
    wanted = [f for f in findings if find_rendered_document(documents, f) is not None]
    by_line: dict[str, dict[int, list[str]]] = {}
    for finding in wanted:
        codes = by_line.setdefault(finding.path, {}).setdefault(finding.line, [])
        if finding.code not in codes:
            codes.append(finding.code)
    if not by_line:
        return None
    for choice in (0, -1):  # at the end of each line; else alone on the line above
        data: dict[str, bytes] = {}
        counts: dict[str, int] = {}
        for path, lines in by_line.items():
            src = text_of(path)
            if src is None:
                return None
            edits = []
            for line, codes in sorted(lines.items()):
                if 1 <= line <= len(src.line_starts):
                    options = line_edits(src, line, codes)
                    if options:
                        edits.append(options[choice])
            counts[path] = len(edits)
            data[path] = src.encode(apply_edits(src.text, edits))
        rendered = render(data)
        if rendered is None or any(f.problems for f in rendered):
            continue
        mine = [doc for f in rendered if f.group == group and not f.source.plain_file for doc in f.documents]
        if not same_documents(documents, mine, {}):
            continue
        keys = {(f.code, f.object_ref, f.yaml_path) for f in wanted}
        after = [f for f in relint(rendered) if (f.code, f.object_ref, f.yaml_path) in keys]
        if after and all(f.suppression is not None for f in after) and any(counts.values()):
            return {path: (data[path], counts[path]) for path in data}
    return None


_MISSING = "\0missing"


def changes(old: Any, new: Any, path: tuple[Any, ...] = ()) -> set[tuple[Any, ...]]:
    """Where and how ``new`` differs from ``old``: (path, old value, new value), values as
    JSON text (``_MISSING`` for a key one side lacks)."""
    if isinstance(old, dict) and isinstance(new, dict):
        out: set[tuple[Any, ...]] = set()
        for key in {**old, **new}:
            if key not in new:
                out.add(((*path, key), _json(old[key]), _MISSING))
            elif key not in old:
                out.add(((*path, key), _MISSING, _json(new[key])))
            else:
                out |= changes(old[key], new[key], (*path, key))
        return out
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return {c for n, (a, b) in enumerate(zip(old, new, strict=True)) for c in changes(a, b, (*path, n))}
    if type(old) is type(new) and old == new:
        return set()
    return {(path, _json(old), _json(new))}


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def changed_like(old: Sequence[Document], new: Sequence[Document], allowed: frozenset[Any]) -> bool:
    """Another source that reads an edited file: the same objects, each unchanged or changed
    only as the fixed objects are (same paths, same old and new values)."""
    if len(old) != len(new):
        return False
    for before, after in zip(old, new, strict=True):
        if (before.file.path, before.index, before.item) != (after.file.path, after.index, after.item):
            return False
        if not changes(before.root, after.root) <= allowed:
            return False
    return True
