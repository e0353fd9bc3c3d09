"""The "ignore this finding" edit: a ``# hooklint: ignore[CODE]`` comment for the flagged line.

A comment alone on the line above covers the flagged line (see
:func:`hooklint.sources.files.suppressions`), and a new comment line is valid YAML
wherever a key or a sequence item starts, so that is what gets inserted, at the
flagged line's indentation.  When the line itself, or a comment line right above
it, already holds ``# hooklint: ignore[...]``, the code is added to that list
instead.
"""

from __future__ import annotations

import re

from hooklint.values import dataclass

_LIST_RE = re.compile(r"(#\s*hooklint:\s*ignore\[)([^\]]*)(\])")
_BARE_RE = re.compile(r"#\s*hooklint:\s*ignore(?![\[\w-])")


@dataclass(frozen=True)
class TextEdit:
    """Replace the 0-based, code-point range with ``new_text``."""

    start_line: int
    start_column: int
    end_line: int
    end_column: int
    new_text: str


def ignore_edit(lines: list[str], line: int, code: str, newline: str = "\n") -> TextEdit | None:
    """The edit that suppresses ``code`` on 0-based ``line``; None when it is suppressed already.

    ``newline`` is the file's line break, for an inserted comment line.
    """
    if not 0 <= line < len(lines):
        return None
    current = lines[line]
    for number in (line, line - 1):
        if number < 0 or (number != line and not lines[number].lstrip().startswith("#")):
            continue
        text = lines[number]
        if _BARE_RE.search(text):
            return None  # every rule is ignored there already
        match = _LIST_RE.search(text)
        if match is not None:
            codes = [c.strip() for c in match.group(2).split(",") if c.strip()]
            if code in codes:
                return None
            new = ", ".join([*codes, code]) if ", " in match.group(2) else ",".join([*codes, code])
            return TextEdit(number, match.start(2), number, match.end(2), new)
    indent = len(current) - len(current.lstrip(" "))
    return TextEdit(line, 0, line, 0, f"{' ' * indent}# hooklint: ignore[{code}]{newline}")
