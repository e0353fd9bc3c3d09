"""Suppressions: object annotations and ``# hooklint:`` comments, and which of them were used."""

from __future__ import annotations

from hooklint.model import Document, SourceFile, SuppressionComment
from hooklint.values import dataclass, field

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Iterator

ANNOTATION_PREFIX = "ignore-check.hooklint.io/"
ALL = "all"


@dataclass
class Ledger:
    """The suppressions that suppressed something in a run (for HL009 unknown-suppression).

    ``annotations`` holds ``(id(doc), key)``, ``comments`` ``(path, line, entry)``.
    """

    annotations: set[tuple[int, str]] = field(default_factory=set)
    comments: set[tuple[str, int, str]] = field(default_factory=set)


def annotation_reason(
    doc: Document | None, code: str, name: str, ledger: Ledger | None = None
) -> str | None:
    """The reason given by ``ignore-check.hooklint.io/<name>``, ``/<code>`` or ``/all``, if any.

    Annotations survive ``helm template`` and kustomize, so they are the way to
    suppress findings on generated manifests.
    """
    if doc is None:
        return None
    annotations = doc.annotations
    if not annotations:
        return None
    for key in (ANNOTATION_PREFIX + name, ANNOTATION_PREFIX + code, ANNOTATION_PREFIX + ALL):
        if key in annotations:
            if ledger is not None:
                ledger.annotations.add((id(doc), key))
            value = annotations[key]
            return str(value) if value not in (None, "") else "suppressed by annotation"
    return None


def covering_comments(source: SourceFile, line: int) -> Iterator[tuple[int, SuppressionComment]]:
    """The comments that cover ``line``: one on it, and one alone on the line above."""
    comments = source.suppression_comments
    if not comments:
        return
    same = comments.get(line)
    if same is not None:
        yield line, same
    above = comments.get(line - 1)
    if above is not None and above.alone:
        yield line - 1, above


def comment_reason(
    source: SourceFile, line: int, code: str, name: str, ledger: Ledger | None = None
) -> str | None:
    """The reason when a ``# hooklint: ignore[...]`` comment or ignore-file covers the line."""
    if source.ignore_file:
        return "suppressed by '# hooklint: ignore-file'"
    for number, comment in covering_comments(source, line):
        entry = next((e for e in (code, name, "*") if e in comment.entries), None)
        if entry is not None:
            if ledger is not None:
                ledger.comments.add((source.path, number, entry))
            return "suppressed by '# hooklint: ignore' comment"
    return None


def explicit_reason(
    doc: Document | None, source: SourceFile, line: int, code: str, name: str
) -> str | None:
    """Like annotation_reason or comment_reason, but only for suppressions that name the rule:
    a bare ``ignore`` or ``/all`` must not silence the HL009 finding about itself."""
    annotations = doc.annotations if doc is not None else {}
    for key in (ANNOTATION_PREFIX + name, ANNOTATION_PREFIX + code):
        if key in annotations:
            value = annotations[key]
            return str(value) if value not in (None, "") else "suppressed by annotation"
    for _, comment in covering_comments(source, line):
        if code in comment.entries or name in comment.entries:
            return "suppressed by '# hooklint: ignore' comment"
    return None


@dataclass(frozen=True)
class Known:
    """What the audit needs to know about the run's rules."""

    names: dict[str, str]  # every code and name -> its code
    active: frozenset[str]  # codes of the rules that ran (and so could have used a suppression)
    every_default_active: bool  # no rule on by default was left out: 'all' can be judged
    excluded: dict[str, frozenset[str]]  # code -> files its per-rule exclude leaves out
    exempt: frozenset[str]  # codes whose suppressions are never called unused (HL009 itself)
    whole_set: frozenset[str] = frozenset()  # codes whose findings may depend on other documents
    partial: frozenset[str] = frozenset()  # files seen without the rest of their app


@dataclass(frozen=True)
class Problem:
    """An unknown or unused suppression: on an annotation key (``doc``) or a comment (``line``)."""

    source: SourceFile
    message: str
    doc: Document | None = None
    key: str = ""
    line: int = 0
    column: int = 0


def _guess(entry: str, known: Known) -> str:
    from hooklint.suggest import closest

    guess = closest(entry, known.names)
    return f'; did you mean "{guess}"?' if guess else ""


def _unused(entry: str, known: Known, path: str) -> bool:
    """Whether an entry that suppressed nothing could have: its rule ran on this file."""
    partial = path in known.partial  # a whole-set finding may be missing, not suppressed
    if entry in (ALL, "*"):
        return known.every_default_active and not (partial and known.whole_set)
    code = known.names[entry]
    if partial and code in known.whole_set:
        return False
    return code in known.active and code not in known.exempt and path not in known.excluded.get(code, ())


def audit(
    sources: list[tuple[SourceFile, list[Document]]], known: Known, ledger: Ledger, full_run: bool
) -> Iterator[Problem]:
    """Suppressions naming no rule, and (in full runs) suppressions that suppressed nothing."""
    for source, documents in sources:
        if source.ignore_file:
            continue  # every finding of the file is suppressed anyway
        for doc in documents:
            for key in doc.annotations:
                if not isinstance(key, str) or not key.startswith(ANNOTATION_PREFIX):
                    continue
                entry = key[len(ANNOTATION_PREFIX) :]
                what = f'suppression "{key}" on {doc.ref}'
                if entry != ALL and entry not in known.names:
                    yield Problem(source, f"{what} names no hooklint rule{_guess(entry, known)}", doc, key)
                elif (
                    full_run
                    and (id(doc), key) not in ledger.annotations
                    and _unused(entry, known, source.path)
                ):
                    yield Problem(source, f"{what} suppresses nothing; remove it", doc, key)
        for line, comment in sorted(source.suppression_comments.items()):
            for entry in comment.entries:
                text = f'"# hooklint: ignore[{entry}]"' if entry != "*" else '"# hooklint: ignore"'
                if entry != "*" and entry not in known.names:
                    message = f"suppression {text} names no hooklint rule{_guess(entry, known)}"
                    yield Problem(source, message, line=line, column=comment.column)
                elif (
                    full_run
                    and (source.path, line, entry) not in ledger.comments
                    and _unused(entry, known, source.path)
                ):
                    message = f"suppression {text} suppresses nothing here; remove it"
                    yield Problem(source, message, line=line, column=comment.column)
