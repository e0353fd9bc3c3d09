"""A bounded memo: a dict that computes a missing entry, for facts about keys read from input.

Rules ask the same question of the same annotation and field keys on every object; a memo
answers from the dict (a hit is one C-level lookup, ``memo[key]``) and computes only what it
has not seen (``__missing__``).  Keys come from the linted files, so the memo is emptied when
it holds ``limit`` entries: memory stays bounded whatever the input.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Callable, TypeVar

    _K = TypeVar("_K")
    _V = TypeVar("_V")


class BoundedMemo(dict["_K", "_V"]):
    """``memo[key]``: ``compute(key)``, remembered; at most ``limit`` entries are kept."""

    __slots__ = ("compute", "limit")

    def __init__(self, compute: Callable[[_K], _V], limit: int = 4096) -> None:
        super().__init__()
        self.compute = compute
        self.limit = limit

    def __missing__(self, key: _K) -> _V:
        value = self.compute(key)
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value
