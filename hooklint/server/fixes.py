"""The seam between the server's quick fixes and ``hooklint check --fix``.

The server asks a :class:`FixProvider` for "the edits ``--fix`` would make for
this finding" and turns each :class:`FixProposal` into a code action: safe fixes
are preferred quick fixes, unsafe ones are offered with ``(unsafe)`` in the
title and never preferred.  Until the fix engine (issue #17) exposes that call,
:func:`fix_provider` returns :data:`NO_FIXES`; wiring it is one adapter class here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Sequence

from hooklint.model import Finding
from hooklint.server.ignore import TextEdit


@dataclass(frozen=True)
class FixProposal:
    """One fix for one finding: a title, whether ``--fix`` applies it unasked, and its edits."""

    title: str
    safe: bool
    edits: tuple[TextEdit, ...]


class FixProvider(Protocol):
    def fixes(self, finding: Finding, text: str) -> Sequence[FixProposal]:
        """The fixes for ``finding`` in a file whose current content is ``text``."""
        ...


class _NoFixes:
    def fixes(self, finding: Finding, text: str) -> Sequence[FixProposal]:
        return ()


NO_FIXES: FixProvider = _NoFixes()


def fix_provider() -> FixProvider:
    """The fix engine's edits when it is there, else no fixes (only "ignore" actions)."""
    return NO_FIXES
