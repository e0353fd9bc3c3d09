"""'Did you mean ...?': the known value closest to a misspelt one."""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Iterable


def _compact(text: str) -> str:
    """Lower case without separators: ``Hook-Succeeded``, ``hook_succeeded`` -> ``hooksucceeded``."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def closest(value: str, choices: Iterable[str]) -> str | None:
    """The choice ``value`` most likely meant, or None.

    Tried in order: the same letters ignoring case, then ignoring separators (so the
    Helm spelling ``hook-succeeded`` finds ``HookSucceeded`` and back), then a close
    misspelling (``PostSynch`` -> ``PostSync``).
    """
    options = list(choices)
    for option in options:
        if option.lower() == value.lower():
            return option
    compact = _compact(value)
    if not compact:
        return None
    for option in options:
        if _compact(option) == compact:
            return option
    import difflib  # only on the rare misspelt value

    by_compact = {_compact(option): option for option in options}
    match = difflib.get_close_matches(compact, list(by_compact), n=1, cutoff=0.8)
    return by_compact[match[0]] if match else None


def unique_closest(value: str, choices: Iterable[str]) -> str | None:
    """Like :func:`closest`, but only when exactly one choice fits at the first test that
    finds any (``--fix`` writes it, so a guess between two choices is no fix)."""
    options = list(dict.fromkeys(choices))
    same = [option for option in options if option.lower() == value.lower()]
    if same:
        return same[0] if len(same) == 1 else None
    compact = _compact(value)
    if not compact:
        return None
    alike = [option for option in options if _compact(option) == compact]
    if alike:
        return alike[0] if len(alike) == 1 else None
    import difflib

    by_compact = {_compact(option): option for option in options}
    matches = difflib.get_close_matches(compact, list(by_compact), n=2, cutoff=0.8)
    return by_compact[matches[0]] if len(matches) == 1 else None
