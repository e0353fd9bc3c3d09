"""Which ``.Values`` subtree a template action prints whole (``toYaml``), by line.

``{{- toYaml .Values.podAnnotations | nindent 8 }}`` prints the values key
``podAnnotations`` as it is, so each key it prints is written in a values file; so
does ``toYaml .`` inside ``{{- with .Values.podAnnotations }}``.  This module follows
the dot through ``with``/``range``/``if``/``define`` blocks and returns, for each
printing action built on ``toYaml``, the values path it prints (``("a", "b")`` for
``.Values.a.b``), keyed by the action's 0-based line.  Anything else (``tpl``,
``include``, a variable, the dot of a ``range``) is not a values subtree: not returned.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from hooklint.sources.helm.mask import Action

ValuesPath = tuple[str, ...]

_ROOT = "root"  # the dot is the top-level context: ``.Values.x`` reads values
_TO_YAML_ARG = re.compile(r"(?<![\w.$])toYaml\s+\(?\s*([$.][\w.$]*)")
_PIPED = re.compile(r"^\(?\s*([$.][\w.$]*)\s*\)?\s*\|\s*toYaml\b")
_FIELD = re.compile(r"^(?:\.[A-Za-z_]\w*)+$")
_NOT_VALUES = re.compile(
    r"(?<![\w.$])(?:tpl|include|template|merge|mergeOverwrite|dict|set|unset|omit|pick)\b"
)


def values_blocks(actions: Sequence[Action], line_of: Sequence[int]) -> dict[int, ValuesPath]:
    """0-based line -> the values path its ``toYaml`` action prints (see the module doc).

    ``line_of[i]`` is the 0-based line ``actions[i]`` starts on.
    """
    out: dict[int, ValuesPath] = {}
    dot: object = _ROOT  # _ROOT, a ValuesPath, or None (unknown)
    stack: list[object] = []  # the dot outside each open block
    for action, line in zip(actions, line_of, strict=True):
        body = action.body
        word = re.split(r"[\s(]", body, maxsplit=1)[0] if body else ""
        if word == "with":
            stack.append(dot)
            dot = _resolve(body[4:].strip(), dot)
        elif word in ("range", "define", "block"):
            stack.append(dot)
            dot = None
        elif word == "if":
            stack.append(dot)
        elif word == "else":
            outer = stack[-1] if stack else _ROOT
            rest = body[4:].strip()
            dot = _resolve(rest[4:].strip(), outer) if rest.startswith("with") else outer
        elif word == "end":
            dot = stack.pop() if stack else _ROOT
        elif action.prints and "toYaml" in body and _NOT_VALUES.search(body) is None:
            match = _TO_YAML_ARG.search(body) or _PIPED.match(body)
            path = _resolve(match.group(1), dot) if match else None
            if isinstance(path, tuple):
                out[line] = path
    return out


def _resolve(expression: str, dot: object) -> object:
    """The values path ``expression`` reads (a tuple), ``_ROOT``, or None."""
    expression = expression.strip()
    if " " in expression or "|" in expression or "(" in expression:
        return None
    if expression.startswith("$.Values") or (dot == _ROOT and expression.startswith(".Values")):
        rest = expression[expression.index(".Values") + len(".Values") :]
        return _fields(rest, ())
    if expression == "$":
        return _ROOT
    if expression == ".":
        return dot
    if isinstance(dot, tuple) and expression.startswith("."):
        return _fields(expression, dot)
    return None


def _fields(rest: str, base: ValuesPath) -> ValuesPath | None:
    if not rest:
        return base
    if _FIELD.fullmatch(rest) is None:
        return None
    return (*base, *rest[1:].split("."))
