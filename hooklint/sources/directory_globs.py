"""Which files a Directory-type Argo CD app syncs: the walk and its include/exclude globs.

Argo CD (reposerver/repository/repository.go ``getPotentiallyValidManifests`` and
``getPotentiallyValidManifestFile``) walks the app path in lexical order (``filepath.Walk``,
symlinked folders never entered), keeps names matching ``^.*\\.(yaml|yml|json|jsonnet)$``
(case-sensitive), follows symlinks to files inside the repo, then applies ``exclude`` and
``include`` with ``util/glob.Match(pattern, relPath)``: gobwas/glob v0.2.3 compiled *without
separators*, so ``*`` also matches ``/``.  A pattern that does not compile matches nothing (it
is logged): a broken include selects nothing, a broken exclude excludes nothing.  Last, a file
containing ``+argocd:skip-file-rendering`` anywhere is skipped.

The glob syntax follows gobwas/glob's lexer and parser (syntax/lexer/lexer.go,
syntax/ast/parser.go): ``*`` and ``**`` (any text), ``?`` (one character), ``[abc]``,
``[a-z]``, ``[!...]`` (``!`` negates, ``^`` is a plain character), ``{a,b}`` (nested
alternatives; ``,`` and ``}`` are plain text outside braces, an unclosed ``{`` still
alternates), ``\\`` escapes.  A class holds either one range or a list of characters:
``[a-z0-9]``, ``[]``, an unclosed ``[`` and ``[z-a]`` do not compile.

gobwas quirks kept (found by comparing with gobwas/glob itself, tests/test_directory_globs.py):
a pattern ending in a brace group with only empty alternatives after other text (``a{``,
``*{}``, ``x*{,}``) never matches (gobwas matches nothing, or panics, which fails Argo CD's
manifest generation).  Not kept: gobwas's handling of the empty text, which file paths never are,
and of a last group never closed beyond the exhaustive 3-character comparison (``?{*,?``,
``/*{,?``: gobwas's matchers disagree with its own parser there, and panic on many).
"""

from __future__ import annotations

import functools
import os
import re
import stat
from pathlib import Path

from hooklint.values import dataclass

SKIP_MARKER = b"+argocd:skip-file-rendering"
#: repository.go ``manifestFile``; Go's ``.`` does not match a newline.
MANIFEST_NAME = re.compile(r"[^\n]*\.(?:yaml|yml|json|jsonnet)")


class GlobError(ValueError):
    """A pattern gobwas/glob refuses to compile."""


@dataclass(frozen=True)
class Glob:
    """A compiled pattern: a regex, or gobwas's prefix/suffix matcher (see compile_glob)."""

    regex: re.Pattern[str] | None
    prefix: str = ""
    suffix: str = ""

    def matches(self, text: str) -> bool:
        if self.regex is not None:
            return self.regex.fullmatch(text) is not None
        return text.startswith(self.prefix) and text.endswith(self.suffix)


@functools.lru_cache(maxsize=1024)
def compile_glob(pattern: str) -> Glob:
    """The gobwas/glob pattern (no separators); raises GlobError.

    ``text*text`` compiles, as in gobwas, to its PrefixSuffix matcher, which does not check that
    the two parts fit side by side: ``a*a`` matches ``a``."""
    out: list[str] = []
    shape: list[str] = []  # "text", "any" or "other", for the prefix/suffix case
    texts: list[str] = []
    depth = 0
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "{":
            depth += 1
            out.append("(?:")
            shape.append("other")
            i += 1
        elif c == "," and depth:
            out.append("|")
            i += 1
        elif c == "}" and depth:
            depth -= 1
            out.append(")")
            i += 1
        elif c == "*":
            i += 2 if pattern.startswith("**", i) else 1
            out.append(".*")
            shape.append("any")
        elif c == "?":
            out.append(".")
            shape.append("other")
            i += 1
        elif c == "[":
            text, i = _range(pattern, i + 1)
            out.append(text)
            shape.append("other")
        else:
            text, i = _text(pattern, i, ("?", "*", "[", "{", "}", ",") if depth else ("?", "*", "[", "{"))
            out.append(re.escape(text))
            if text:
                shape.append("text")
                texts.append(text)
    out.append(")" * depth)  # gobwas accepts an unclosed '{' as if closed at the end
    regex = "".join(out)
    tail = _EMPTY_GROUP_TAIL.search(regex)
    if tail is not None and tail.start() > 0:
        return _NOTHING  # gobwas: no match (or a panic) for 'a{', '*{}', 'x*{,}', ...
    if len(shape) >= 3 and shape[0] == shape[-1] == "text" and set(shape[1:-1]) == {"any"}:
        return Glob(None, texts[0], texts[1])
    return Glob(re.compile(regex, re.DOTALL))


#: A brace group with only empty alternatives at the end of the translated pattern.
_EMPTY_GROUP_TAIL = re.compile(r"\(\?:(?:\(\?:|[|)])*\)$")
_NOTHING = Glob(re.compile(r"(?!)"))


def _text(pattern: str, i: int, breakers: tuple[str, ...]) -> tuple[str, int]:
    """lexer.fetchText: literal text up to a breaker; a backslash escapes the next character."""
    data: list[str] = []
    escaped = False
    while i < len(pattern):
        c = pattern[i]
        if not escaped:
            if c == "\\":
                escaped = True
                i += 1
                continue
            if c in breakers:
                break
        escaped = False
        data.append(c)
        i += 1
    return "".join(data), i


def _range(pattern: str, i: int) -> tuple[str, int]:
    """lexer.fetchRange + parserRange, from just after '['."""
    negate = False
    if i < len(pattern) and pattern[i] == "!":
        negate, i = True, i + 1
    if i >= len(pattern):
        raise GlobError("unexpected end of input")
    if i + 1 < len(pattern) and pattern[i + 1] == "-":
        lo = pattern[i]
        if i + 2 >= len(pattern):
            raise GlobError("unexpected end of input")
        hi = pattern[i + 2]
        i += 3
        if i >= len(pattern):
            raise GlobError("unexpected end of input")
        if pattern[i] != "]":
            raise GlobError("expected close range character")
        if hi < lo:
            raise GlobError(f"hi character '{hi}' should be greater than lo '{lo}'")
        body = f"{re.escape(lo)}-{re.escape(hi)}"
    else:
        chars, i = _text(pattern, i, ("]",))
        if i >= len(pattern):
            raise GlobError("unexpected end of input")
        if not chars:
            raise GlobError("could not parse range")
        body = "".join(re.escape(c) for c in chars)
    return f"[{'^' if negate else ''}{body}]", i + 1


def glob_match(pattern: str, text: str) -> bool:
    """``util/glob.Match(pattern, text)``: False when the pattern does not compile."""
    try:
        return compile_glob(pattern).matches(text)
    except GlobError:
        return False


# -- the walk ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Skipped:
    """A file the walk saw and Argo CD does not sync, with why (for --verbose)."""

    path: str  # relative to the app path
    reason: str


@dataclass(frozen=True)
class Selection:
    """The files of a Directory app, relative to the app path, in Argo CD's order.

    ``error`` is set when Argo CD fails the whole app (a symlink leaving the repo)."""

    files: tuple[str, ...]
    skipped: tuple[Skipped, ...] = ()
    error: str = ""


def select_files(
    app_path: Path,
    repo_root: Path,
    recurse: bool = False,
    include: str = "",
    exclude: str = "",
    skip_marker: bool = True,
) -> Selection:
    """The files Argo CD reads for a Directory source (``skip_marker``: Argo CD >= 3.1)."""
    files: list[str] = []
    skipped: list[Skipped] = []
    root = repo_root.resolve()
    for rel, full in _walk(app_path, "", recurse):
        name = rel.rpartition("/")[2]
        if not MANIFEST_NAME.fullmatch(name):
            continue
        try:
            info = os.lstat(full)
        except OSError:
            continue
        if stat.S_ISLNK(info.st_mode):
            try:
                real = full.resolve(strict=True)
            except (OSError, RuntimeError):
                skipped.append(Skipped(rel, "destination of symlink is missing"))
                continue
            if not real.is_relative_to(root):
                return Selection(tuple(files), tuple(skipped), f"illegal filepath in symlink at {rel!r}")
            info = os.stat(real)
        if not stat.S_ISREG(info.st_mode):
            skipped.append(Skipped(rel, "symlink to a non-regular file"))
            continue
        if exclude and glob_match(exclude, rel):
            skipped.append(Skipped(rel, f"excluded by {exclude!r}"))
            continue
        if include and not glob_match(include, rel):
            skipped.append(Skipped(rel, f"not included by {include!r}"))
            continue
        if skip_marker:
            try:
                data = full.read_bytes()
            except OSError:
                data = b""
            if SKIP_MARKER in data:
                skipped.append(Skipped(rel, "contains +argocd:skip-file-rendering"))
                continue
        files.append(rel)
    return Selection(tuple(files), tuple(skipped))


def _walk(folder: Path, prefix: str, recurse: bool) -> list[tuple[str, Path]]:
    """filepath.Walk order: entries sorted by name, a folder's content right where it sorts;
    symlinks are not followed into folders."""
    out: list[tuple[str, Path]] = []
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return out
    for name in names:
        full = folder / name
        rel = f"{prefix}{name}"
        try:
            mode = os.lstat(full).st_mode
        except OSError:
            continue
        if stat.S_ISDIR(mode):
            if recurse:
                out.extend(_walk(full, rel + "/", recurse))
            continue
        out.append((rel, full))
    return out
