"""The seam between the server's quick fixes and ``hooklint check --fix``.

The server asks a :class:`FixProvider` for "the edits ``--fix`` would make for
this finding" and turns each :class:`FixProposal` into a code action: safe fixes
are preferred quick fixes, unsafe ones (``--unsafe-fixes``) are offered with
``(unsafe)`` in the title and never preferred.

:class:`EngineFixes` adapts the fix engine of issue #17 (``hooklint.fix.plan.fix_file``:
a file's bytes and findings in, the verified new bytes out) to one finding of an
open buffer, as one minimal text edit.  Where that engine is not installed,
:func:`fix_provider` gives :data:`NO_FIXES` and only "ignore" actions are offered.
"""

from __future__ import annotations

import importlib
import re
from typing import Any, Callable, Mapping, Protocol, Sequence

from hooklint.model import Finding
from hooklint.server.ignore import TextEdit
from hooklint.values import dataclass

Params = Mapping[str, Mapping[str, Any]]  # rule code -> the rule's params, as configured
_BREAK_RE = re.compile("\r\n|\r|\n")


@dataclass(frozen=True)
class FixProposal:
    """One fix for one finding: a title, whether ``--fix`` applies it unasked, and its edits."""

    title: str
    safe: bool
    edits: tuple[TextEdit, ...]


class FixProvider(Protocol):
    def fixes(self, finding: Finding, text: str, params: Params) -> Sequence[FixProposal]:
        """The fixes for ``finding`` in a file whose current content is ``text``."""
        ...

    def fix_all(self, findings: Sequence[Finding], text: str, params: Params) -> FixProposal | None:
        """Every safe fix of the file's ``findings`` at once (``--fix``), or None."""
        ...


class _NoFixes:
    def fixes(self, finding: Finding, text: str, params: Params) -> Sequence[FixProposal]:
        return ()

    def fix_all(self, findings: Sequence[Finding], text: str, params: Params) -> FixProposal | None:
        return None


NO_FIXES: FixProvider = _NoFixes()


class EngineFixes:
    """``--fix`` for one finding: the safe fix if there is one, else the unsafe one.

    ``fix_file(data, display, findings, params, allowed)`` returns an object with
    ``data`` (the new bytes, read back and verified by the engine) and ``fixed``
    (the findings it fixed), or None.
    """

    def __init__(self, fix_file: Callable[..., Any]) -> None:
        self._fix_file = fix_file

    def fixes(self, finding: Finding, text: str, params: Params) -> Sequence[FixProposal]:
        data = text.encode("utf-8")
        rule_params = {code: dict(p) for code, p in params.items()}
        for allowed, safe in ((frozenset({"safe"}), True), (frozenset({"safe", "unsafe"}), False)):
            result = self._fix_file(data, finding.path, [finding], rule_params, allowed)
            if result is None or finding not in result.fixed:
                continue
            edit = minimal_edit(text, result.data.decode("utf-8"))
            if edit is None:
                return ()
            return (FixProposal(f"Fix {finding.code} ({finding.name})", safe, (edit,)),)
        return ()

    def fix_all(self, findings: Sequence[Finding], text: str, params: Params) -> FixProposal | None:
        if not findings:
            return None
        rule_params = {code: dict(p) for code, p in params.items()}
        data = text.encode("utf-8")
        result = self._fix_file(data, findings[0].path, list(findings), rule_params, frozenset({"safe"}))
        if result is None or not result.fixed:
            return None
        edit = minimal_edit(text, result.data.decode("utf-8"))
        count = len(result.fixed)
        title = f"Fix all safely fixable hooklint findings ({count} finding{'s' if count != 1 else ''})"
        return FixProposal(title, True, (edit,)) if edit is not None else None


def fix_provider() -> FixProvider:
    """The fix engine's edits when it is installed (issue #17), else no fixes."""
    try:
        plan = importlib.import_module("hooklint.fix.plan")
    except ImportError:
        return NO_FIXES
    fix_file = getattr(plan, "fix_file", None)
    return EngineFixes(fix_file) if callable(fix_file) else NO_FIXES


def minimal_edit(old: str, new: str) -> TextEdit | None:
    """One edit turning ``old`` into ``new``: the span between their common prefix and suffix
    (0-based lines and code-point columns, never splitting a ``\\r\\n``); None when equal."""
    if old == new:
        return None
    limit = min(len(old), len(new))
    start = 0
    while start < limit and old[start] == new[start]:
        start += 1
    if start and old[start - 1 : start + 1] == "\r\n":
        start -= 1
    end = 0
    while end < limit - start and old[len(old) - 1 - end] == new[len(new) - 1 - end]:
        end += 1
    if end and old[len(old) - end - 1 : len(old) - end + 1] == "\r\n":
        end -= 1
    line, column = _line_column(old, start)
    end_line, end_column = _line_column(old, len(old) - end)
    return TextEdit(line, column, end_line, end_column, new[start : len(new) - end])


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line, line_start = 0, 0
    for match in _BREAK_RE.finditer(text, 0, offset):
        line, line_start = line + 1, match.end()
    return line, offset - line_start
