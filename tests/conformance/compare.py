"""Compare hooklint's reading of one file with the Go reader's, document by document."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from hooklint.sources.files import decode
from hooklint.yaml.reader import read_manifests


@dataclass(frozen=True)
class Difference:
    """One document (or the stream) where hooklint and go-yaml disagree."""

    path: str
    document: int  # -1: the stream as a whole
    kind: str  # "value", "go-error-only", "hooklint-error-only", "hooklint-extra-document", "stream"
    go: str
    hooklint: str
    notes: tuple[str, ...] = ()  # hooklint's problems in that document
    json_stream: bool = False  # the file's first non-blank character is "{"
    unicode_breaks: bool = False  # the file holds U+0085, U+2028 or U+2029


def same(a: Any, b: Any) -> bool:
    """JSON equality, with bool never equal to int (Python says True == 1)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        # Go prints float64 1e19 as 10000000000000000000, which Python reads back as an int
        return a == b or math.isclose(float(a), float(b), rel_tol=1e-15)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def compare(path: str, data: bytes, go: dict[str, Any]) -> list[Difference]:
    """Every disagreement between hooklint's reader and the Go reader on one file."""
    text = decode(data)
    if text is None:
        return [] if go["error"] or any("error" in d for d in go["docs"]) else [
            Difference(path, -1, "hooklint-error-only", "read", "not UTF-8")
        ]
    docs, problems = read_manifests(text, bom=data.startswith(b"\xef\xbb\xbf"))
    json_stream = data.lstrip(b" \t\r\n\f\v").startswith(b"{")
    unicode = any(c in text for c in ("\x85", "\u2028", "\u2029"))
    values = {d.index: d.value for d in docs}
    errors: dict[int, list[str]] = {}
    fatal = [p for p in problems if p.fatal]
    for p in problems:
        errors.setdefault(p.document, []).append(p.message)
    out: list[Difference] = []
    go_docs = go["docs"]
    for index, doc in enumerate(go_docs):
        mine = errors.get(index, [])
        if "error" in doc:
            if not mine:
                shown = json.dumps(values.get(index), default=str)[:200]
                out.append(Difference(path, index, "go-error-only", doc["error"], shown, (), json_stream, unicode))
            continue
        if mine:
            for message in mine:
                out.append(
                    Difference(path, index, "hooklint-error-only", json.dumps(doc["json"])[:200], message,
                               tuple(mine), json_stream, unicode)
                )
        want = doc["json"]
        got = values.get(index)
        if not same(want, got):
            out.append(
                Difference(path, index, "value", json.dumps(want)[:300], json.dumps(got, default=str)[:300],
                           tuple(mine), json_stream, unicode)
            )
    for index in sorted(set(values) | set(errors)):
        if index >= len(go_docs) and not (go.get("error") and fatal):
            shown = errors.get(index, [json.dumps(values.get(index), default=str)[:200]])[0]
            out.append(
                Difference(path, index, "hooklint-extra-document", "(none)", shown, (), json_stream, unicode)
            )
    if bool(go.get("error")) != bool(fatal):
        out.append(
            Difference(path, -1, "stream", go.get("error") or "(read to the end)",
                       fatal[0].message if fatal else "(read to the end)", (), json_stream, unicode)
        )
    return out
