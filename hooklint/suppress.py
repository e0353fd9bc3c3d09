"""Suppressions: object annotations and ``# hooklint:`` comments."""

from __future__ import annotations

from hooklint.model import Document, SourceFile

ANNOTATION_PREFIX = "ignore-check.hooklint.io/"


def annotation_reason(doc: Document | None, name: str) -> str | None:
    """The reason given by ``ignore-check.hooklint.io/<name>`` (or ``/all``), if any.

    Annotations survive ``helm template`` and kustomize, so they are the way to
    suppress findings on generated manifests.
    """
    if doc is None:
        return None
    annotations = doc.annotations
    if not annotations:
        return None
    for key in (ANNOTATION_PREFIX + name, ANNOTATION_PREFIX + "all"):
        if key in annotations:
            value = annotations[key]
            return str(value) if value not in (None, "") else "suppressed by annotation"
    return None


def comment_reason(source: SourceFile, line: int, code: str, name: str) -> str | None:
    """The reason when a ``# hooklint: ignore[...]`` comment or ignore-file covers the line."""
    if source.ignore_file:
        return "suppressed by '# hooklint: ignore-file'"
    codes = source.suppressed_lines.get(line)
    if codes and ("*" in codes or code in codes or name in codes):
        return "suppressed by '# hooklint: ignore' comment"
    return None
