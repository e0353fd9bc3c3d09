"""Rewrite manifests in compact flow style, with plain scalars wherever go-yaml allows them.

``{metadata: {name: pg, annotations: {a: b}}, spec: {containers: [{image: postgres:16}]}}``:
the style libyaml 0.1.7 refuses (a ':' inside a plain flow scalar) and go-yaml reads.
"""

from __future__ import annotations

import json
import re
from typing import Any

from hooklint.yaml.reader import read_manifests
from hooklint.yaml.scalars import resolve_plain

_PLAIN_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/:@=+-]*")


def scalar(value: Any) -> str:
    if isinstance(value, str):
        if _PLAIN_RE.fullmatch(value) and not value.endswith(":") and resolve_plain(value) == value:
            return value
        return json.dumps(value, ensure_ascii=False)
    return json.dumps(value)


def flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{scalar(k)}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return scalar(value)


def rewrite(text: str) -> str | None:
    """``text``'s documents, one flow-style line each; None when it does not read cleanly."""
    docs, problems = read_manifests(text)
    if problems or not docs:
        return None
    return "".join(f"---\n{flow(d.value)}\n" for d in docs)
