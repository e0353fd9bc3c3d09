"""Cut a YAML stream into documents as Kubernetes does (apimachinery's document reader).

kubectl and Argo CD do not hand a whole file to the YAML parser: apimachinery's
``pkg/util/yaml`` ``YAMLReader.Read`` reads it line by line (``bufio.ReadLine``:
``\\r\\n`` and ``\\n`` end a line, and every line, the last one too, gets a
``\\n``), and a line that *starts* with ``---`` ends the document so far.  After
the ``---`` only blanks and a comment may follow (``---#c`` is a separator);
anything else fails the whole stream with "invalid Yaml document separator".
The separator line itself belongs to no document, and a document with no line
at all (``---`` right after ``---``) is skipped.  Each piece is then parsed on
its own by go-yaml, which reads only its first YAML document.
"""

from __future__ import annotations

import re

from hooklint.lazyre import lazy
from hooklint.values import dataclass

_SEPARATOR_RE = lazy(r"^---", re.M)


@dataclass(frozen=True)
class Piece:
    """One document's text: ``text[start:end]``, beginning at 0-based ``line``."""

    start: int
    end: int
    line: int


@dataclass(frozen=True)
class SeparatorError:
    """A ``---`` line with more than a comment after it: the stream stops there."""

    offset: int  # of the first character after ``---``
    line: int
    rest: str  # what follows, stripped (go's message quotes it)


def split_documents(
    text: str, *, first_is_content: bool = False
) -> tuple[list[Piece], SeparatorError | None, bool]:
    """The documents of ``text`` (which must end with a newline), the error that stops it,
    and whether every separator is one libyaml reads alike (``---``, then blanks or a
    blank and a comment; not ``---#c``).

    ``first_is_content``: the first line is no separator even if it starts with
    ``---`` (a byte order mark came before it, which the reader does not skip).
    """
    pieces: list[Piece] = []
    alike = True
    start = 0
    line = 0
    counted = 0  # offset up to which lines are counted
    for match in _SEPARATOR_RE.finditer(text):
        offset = match.start()
        if offset == 0 and first_is_content:
            continue
        eol = text.find("\n", offset)
        if eol < 0:
            eol = len(text)
        rest = text[offset + 3 : eol].strip()  # Go's TrimSpace: also \r, \v, \f, U+0085, ...
        sep_line = line + text.count("\n", counted, offset)
        if rest and rest[0] != "#":
            return pieces, SeparatorError(offset + 3, sep_line, rest), False
        if rest and text[offset + 3] not in " \t":
            alike = False
        if offset > start:
            pieces.append(Piece(start, offset, line))
        start = eol + 1
        line = sep_line + 1
        counted = start
    if start < len(text):
        pieces.append(Piece(start, len(text), line))
    return pieces, None, alike
