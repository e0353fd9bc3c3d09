"""Unicode line separators, which YAML 1.1 parsers count as line breaks and editors do not.

libyaml and go-yaml (YAML 1.1) treat NEL (U+0085), LINE SEPARATOR (U+2028) and
PARAGRAPH SEPARATOR (U+2029) as line breaks; editors, git and GitHub break lines
only at ``\\n``, ``\\r\\n`` and ``\\r``.  The manifest reader keeps editor lines
throughout (a document holding one of these characters is read by the exact
parser, whose marks count only CR and LF: see :mod:`hooklint.yaml.reader`);
the loader uses this to explain parse errors near such a character.
"""

from __future__ import annotations

UNICODE_BREAKS = ("\x85", "\u2028", "\u2029")


def has_unicode_breaks(text: str) -> bool:
    return any(char in text for char in UNICODE_BREAKS)
