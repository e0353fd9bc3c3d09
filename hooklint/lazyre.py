"""Regular expressions compiled on first use.

``re.compile`` runs Python code (the parser and compiler of the ``re`` package): the ~30
patterns hooklint defines at module level cost more, compiled at import, than linting a small
file, and most runs use a few of them.  :func:`lazy` gives an object that compiles its pattern the
first time one of its attributes is read, then keeps the compiled pattern's methods as its own
attributes: every later ``pattern.fullmatch(...)`` is one attribute lookup, as for a compiled
pattern.  Two threads racing on the first use each compile it; both results are equal.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Any

_METHODS = ("match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer")


class _LazyPattern:
    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        compiled = re.compile(*self._source)
        for method in _METHODS:
            setattr(self, method, getattr(compiled, method))
        for attribute in ("pattern", "flags", "groups", "groupindex"):
            setattr(self, attribute, getattr(compiled, attribute))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self._source[0]!r})"


def lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A compiled-on-first-use ``re.compile(pattern, flags)``."""
    return _LazyPattern(pattern, flags)  # type: ignore[return-value]  # it acts as one
