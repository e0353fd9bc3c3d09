"""Make text from the linted files safe to print on a terminal or in a CI log.

Messages quote values and paths from the input.  A hostile manifest could hide
control characters there (``"1\\n::error file=x::..."`` in a double-quoted
scalar): a line break would forge findings or GitHub Actions workflow commands,
an escape sequence would rewrite the terminal, a bidi override would reorder
what a reviewer reads.  Text formatters pass every such string through
``printable``, which spells those characters as escapes (``\\n``, ``\\x1b``,
``\\u202e``) and leaves everything else as it is.
"""

from __future__ import annotations

_UNSAFE = [
    *range(0x00, 0x20), 0x7F, *range(0x80, 0xA0),  # C0, DEL, C1 controls
    0x2028, 0x2029,  # line and paragraph separators
    0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF,  # bidi, BOM
    *range(0xD800, 0xE000), 0xFFFE, 0xFFFF,  # lone surrogates, non-characters: no UTF-8, no XML
]  # fmt: skip
_ESCAPES: dict[int, str] | None = None  # made on the first text that needs it (2,200 entries)


def _escapes() -> dict[int, str]:
    global _ESCAPES
    if _ESCAPES is None:  # built whole, then published: a thread never sees half a table
        named = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}
        _ESCAPES = {
            code: named.get(code, f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}") for code in _UNSAFE
        }
    return _ESCAPES


def printable(text: str) -> str:
    """``text`` with control, line-separator and bidi characters written as escapes."""
    if text.isprintable():  # the common case, at C speed (spaces are printable, tabs are not)
        return text
    return text.translate(_escapes())
