"""Paths and stdin -> source files -> Kubernetes documents, with parse problems.

Everything that can go wrong with an input file ends here as a ParseProblem
(reported as HL000) or a Notice (a note that never fails the run); nothing
raises past ``load_file``.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from pathlib import Path

from hooklint.argocd import settings
from hooklint.lazyre import lazy
from hooklint.model import Document, PosMap, SourceFile, SuppressionComment
from hooklint.sources.detect import (
    HELM,
    KUSTOMIZATION_NAMES,
    KUSTOMIZE,
    SourceInput,
    enclosing_chart,
    source_type,
)
from hooklint.values import dataclass, field
from hooklint.yaml.linebreaks import has_unicode_breaks
from hooklint.yaml.nesting import MAX_FLOW_DEPTH, too_costly, too_deep
from hooklint.yaml.reader import DOC_DROPPED, ParseProblem, pack, read_manifests

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Iterable, Iterator, Sequence

YAML_SUFFIXES = (".yaml", ".yml")
DEFAULT_MAX_FILE_SIZE = 50 * 1024 * 1024
STDIN = "-"

_SUPPRESS_RE = lazy(r"#\s*hooklint:\s*(ignore-file|ignore(?:\[([^\]]*)\])?)")
# Helm's own built-in objects and functions: a file using them, even inside a quoted
# string, has to be rendered first.  Generic Sprig functions (toYaml, nindent, ...) are
# left out: ApplicationSet Go templates use them too, inside strings and block scalars.
_HELM_ACTION_RE = lazy(
    r"\{\{[^}]*?(?:\.(?:Values|Release|Chart|Capabilities|Files|Template)\b"
    r"|\b(?:include|required|tpl|lookup|randAlpha|randAlphaNum)\b)"
)
# An action where YAML reads no string: alone on a line (`{{- if ... }}`), or as an
# unquoted value (`name: {{ $fullName }}`, `- {{ . }}`).  Placeholders in valid YAML
# (ApplicationSet, Argo Workflows) must be quoted there, so they never match.
_TEMPLATE_LINE_RE = lazy(r"^[ \t]*(?:-[ \t]+)*(?:[\w./-]+:[ \t]+)?\{\{")
_LINE_BREAK_RE = lazy("\r\n|\r|\n")
_BLOCK_SCALAR_RE = lazy(r"[|>][-+0-9]*[ \t]*(?:#.*)?$")


class InputError(Exception):
    """A path the user named cannot be used at all (exit 2)."""


@dataclass(frozen=True)
class Notice:
    """Something the user should know about an input that is not a finding."""

    path: str
    message: str
    #: shown only with ``--verbose`` (normal, but worth knowing: an overlay's unreferenced files)
    verbose: bool = False


@dataclass
class LoadedFile:
    source: SourceFile
    documents: list[Document] = field(default_factory=list)
    problems: list[ParseProblem] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    is_target: bool = True
    #: Health checks the file adds to Argo CD (argocd-cm, a patch of it, argo-cd chart values).
    health_checks: frozenset[str] = frozenset()
    #: the application these files belong to (a chart's folder), when not their own folder
    group: str | None = None


@dataclass(frozen=True)
class InputFile:
    """A file to read: where it is and how to show it."""

    path: Path | None  # None for stdin
    display: str
    is_target: bool = True


def display_path(path: Path, cwd: Path) -> str:
    """The path as the user should see it: relative to cwd when inside it, POSIX separators."""
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        try:
            return Path(os.path.relpath(path, cwd)).as_posix()
        except ValueError:  # another drive on Windows
            return path.as_posix()


def is_excluded(display: str, patterns: Sequence[str]) -> bool:
    """True when a display path matches an exclude glob (the path or any parent folder)."""
    if not patterns:
        return False
    parts = display.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))] + parts
    return any(fnmatch.fnmatchcase(c, p.rstrip("/")) for p in patterns for c in candidates)


@dataclass(frozen=True)
class Excludes:
    """Exclude globs, each set relative to its own folder (the cwd, or the config's)."""

    rules: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @classmethod
    def of(cls, *pairs: tuple[Path | None, Sequence[str]]) -> Excludes:
        return cls(tuple((os.path.abspath(root), tuple(p)) for root, p in pairs if root is not None and p))

    def matches(self, path: Path | str) -> bool:
        if not self.rules:
            return False
        absolute = os.path.abspath(path)
        for root, patterns in self.rules:
            relative = os.path.relpath(absolute, root)
            if relative.startswith(".."):
                continue
            if is_excluded(Path(relative).as_posix(), patterns):
                return True
        return False


def discover(
    paths: Sequence[str],
    *,
    exclude: Excludes = Excludes(),
    force_exclude: bool = False,
    skip_unknown: bool = False,
    stdin_filename: str | None = None,
    is_target: bool = True,
    cwd: Path | None = None,
    notices: list[Notice] | None = None,
    sources: list[SourceInput] | None = None,
) -> Iterator[InputFile]:
    """Expand the command line's paths into files, in a stable order.

    Directories are walked recursively for ``*.yaml``/``*.yml``, skipping hidden
    files and folders (``.git``, ``.pre-commit-config.yaml``, ...) and excluded
    paths; symlinked folders are not followed (no loops), and a symlinked file
    found in a walk is read only when it points inside the walked folder or the
    working directory (as Argo CD refuses out-of-bounds symlinks).  Files named
    explicitly are read whatever their suffix (unless ``skip_unknown``: then a named
    file that is neither ``*.yaml``/``*.yml`` nor in a Helm chart is skipped, as the
    pre-commit hook passes chart helpers and ``NOTES.txt`` by path), and are excluded
    only with ``force_exclude`` (as ruff does).  Raises InputError for a path that does not
    exist.  Folders with nothing to lint, and skipped symlinks, are reported
    through ``notices``.

    With ``sources`` given, folders that Argo CD renders (Helm charts, see
    :mod:`hooklint.sources.detect`) are not walked: each is appended there as a
    SourceInput, and a file named inside a chart makes the chart be rendered, with
    that file as its target (pre-commit).  A Kustomize folder is a SourceInput too: the files
    under it are not read as plain files (only what the kustomization includes is part of the
    app); Kustomize folders below it are sources of their own.  A file named explicitly that a
    kustomization above it includes (pre-commit stages ``overlay/job.yaml``) makes that folder be
    rendered, with the file as its target (:func:`including_kustomization`); any other named file
    stays a plain file.
    """
    cwd = cwd or Path.cwd()
    seen: set[str] = set()
    kustomized: dict[Path, Path | None] = {}  # folder -> its kustomization file, found once
    trees: dict[Path, frozenset[str]] = {}  # Kustomize folder -> the files it includes
    for raw in paths:
        if raw == STDIN:
            yield InputFile(None, stdin_filename or "<stdin>", is_target)
            continue
        path = Path(raw)
        try:
            if not path.exists() and not path.is_symlink():
                raise InputError(f"{raw}: no such file or directory")
            is_dir = path.is_dir()
        except OSError as exc:  # a parent folder without permission, a name too long, ...
            raise InputError(f"{raw}: cannot be read: {exc.strerror or exc}") from None
        owner = enclosing_chart(path / "-") if is_dir and sources is not None else None
        if owner is not None and sources is not None and owner != path.absolute():
            # a folder inside a chart (``templates/``): the chart is rendered, its files are targets
            shown = display_path(owner.absolute(), cwd) or "."
            for file in _walk(path, []):
                _add_named(sources, owner, shown, file, is_target)
            continue
        if is_dir:
            found = 0
            bounds = (path.resolve(), cwd.resolve())
            walk_errors: list[OSError] = []
            charts: list[Path] | None = [] if sources is not None else None
            kustomizations: list[Path] = []
            folders: dict[str, str] = {}  # each folder's display path, computed once
            for file in _walk(path, walk_errors, charts, kustomizations):
                parent, name = os.path.split(str(file))
                above = folders.get(parent)
                if above is None:
                    above = folders[parent] = display_path(Path(parent).absolute(), cwd)
                display = name if above in ("", ".") else f"{above}/{name}"
                if display in seen or exclude.matches(file):
                    continue
                seen.add(display)
                found += 1
                if file.is_symlink() and not _inside(file, bounds):
                    if notices is not None:
                        notices.append(
                            Notice(
                                display,
                                "symlink to a file outside the folder being linted; not read "
                                "(Argo CD refuses repositories with out-of-bounds symlinks)",
                            )
                        )
                    continue
                yield InputFile(file, display, is_target)
            if notices is not None:
                notices.extend(
                    Notice(
                        display_path(Path(str(error.filename)).absolute(), cwd),
                        f"folder cannot be read: {error.strerror or error}; skipped",
                    )
                    for error in walk_errors
                )
            for kind, places in ((HELM, charts or []), (KUSTOMIZE, kustomizations)):
                for folder in places:
                    display = display_path(folder.absolute(), cwd) or "."
                    if display in seen or exclude.matches(folder):
                        continue
                    seen.add(display)
                    found += 1
                    assert sources is not None
                    sources.append(SourceInput(kind, folder, display, is_target))
            if not found and notices is not None:
                notices.append(
                    Notice(
                        display_path(path.absolute(), cwd) or ".",
                        "no *.yaml or *.yml files here (hidden folders and excluded paths are "
                        "skipped); nothing to lint",
                    )
                )
        else:
            display = display_path(path.absolute(), cwd)
            if display in seen or (force_exclude and exclude.matches(path)):
                continue
            seen.add(display)
            owner = enclosing_chart(path) if sources is not None else None
            if owner is not None and sources is not None:
                _add_named(sources, owner, display_path(owner.absolute(), cwd) or ".", path, is_target)
                continue
            kfolder = including_kustomization(path, cwd, kustomized, trees) if sources is not None else None
            if kfolder is not None and sources is not None:
                shown = display_path(kfolder, cwd) or "."
                _add_named_kustomize(sources, kfolder, shown, display, is_target)
                continue
            if skip_unknown and not path.name.endswith(YAML_SUFFIXES):
                continue
            yield InputFile(path, display, is_target)


def _inside(link: Path, folders: Sequence[Path]) -> bool:
    """Does the symlink resolve to a path inside one of ``folders``?"""
    try:
        target = link.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return True  # reading it fails with a clear message
    return any(target == folder or folder in target.parents for folder in folders)


def _add_named(sources: list[SourceInput], chart: Path, shown: str, file: Path, is_target: bool) -> None:
    """Render ``chart`` with ``file`` among its targets (values, Chart.yaml, helpers: all of it)."""
    inside = Path(os.path.relpath(file.absolute(), chart.absolute())).as_posix()
    named = f"{shown.rstrip('/')}/{inside}" if shown not in ("", ".") else inside  # as the source shows it
    helper = inside.rsplit("/", 1)[-1].startswith("_") or not inside.endswith((".yaml", ".yml", ".json"))
    whole = helper or not inside.startswith(("templates/", "crds/", "charts/"))
    for number, place in enumerate(sources):
        if place.root == chart:
            merged = None if whole or place.named is None else place.named | {named}
            sources[number] = SourceInput(HELM, chart, shown, place.is_target or is_target, merged)
            return
    sources.append(SourceInput(HELM, chart, shown, is_target, None if whole else frozenset((named,))))


def _add_named_kustomize(
    sources: list[SourceInput], folder: Path, shown: str, display: str, is_target: bool
) -> None:
    """Render the Kustomize ``folder`` with the file ``display`` among its targets."""
    for number, place in enumerate(sources):
        if place.type == KUSTOMIZE and place.root.absolute() == folder:
            merged = None if place.named is None else place.named | {display}
            sources[number] = SourceInput(KUSTOMIZE, folder, shown, place.is_target or is_target, merged)
            return
    sources.append(SourceInput(KUSTOMIZE, folder, shown, is_target, frozenset((display,))))


def including_kustomization(
    file: Path, cwd: Path, found: dict[Path, Path | None], trees: dict[Path, frozenset[str]] | None = None
) -> Path | None:
    """The nearest folder above ``file`` whose kustomization (with its bases and components)
    includes it, looking no higher than the folder holding ``.git``; None: a plain file.

    Only folders above the file are looked at: an overlay elsewhere in the repository that uses
    it is not.  ``found`` caches each folder's kustomization file across calls, ``trees`` what
    each kustomization includes."""
    start = file.absolute()
    for folder in start.parents:
        if folder not in found:
            found[folder] = next((folder / n for n in KUSTOMIZATION_NAMES if (folder / n).is_file()), None)
        kfile = found[folder]
        if kfile is not None:
            from hooklint.sources.kustomize import included  # only where a kustomization is

            if kfile == start or included(folder, file, cwd, trees):
                return folder
        if (folder / ".git").exists():
            return None
    return None


def _walk(
    root: Path,
    errors: list[OSError],
    charts: list[Path] | None = None,
    kustomizations: list[Path] | None = None,
) -> Iterator[Path]:
    """The YAML files under ``root``; with ``charts``, Helm chart folders are collected there and
    not walked; with ``kustomizations`` too, Kustomize folders are collected and the files under
    them skipped (only what the kustomization includes is part of the app; folders below are still
    searched for more Kustomize folders, not for Helm charts: a chart there is what the
    kustomization's ``helmCharts`` render)."""
    found: list[tuple[tuple[str, ...], str, str]] = []  # (sort key, folder, name)
    top = os.fspath(root)
    inside: str | None = None  # the Kustomize folder being walked: its files are its build's
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append, followlinks=False):
        kind = source_type(Path(dirpath), filenames) if charts is not None else None
        if inside is not None and not (dirpath + os.sep).startswith(inside):
            inside = None
        if charts is not None and kind == HELM:
            if inside is None:  # a chart inside a Kustomize folder is its helmCharts' content
                charts.append(Path(dirpath))
            dirnames[:] = []
            continue
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        if kustomizations is not None and kind == KUSTOMIZE:
            kustomizations.append(Path(dirpath))
            inside = inside or dirpath + os.sep
        if inside is not None:
            continue
        below = dirpath[len(top) :].strip(os.sep)
        parts = tuple(below.split(os.sep)) if below else ()
        for name in filenames:
            if name.endswith(YAML_SUFFIXES) and not name.startswith("."):
                found.append(((*parts, name), dirpath, name))
    found.sort()  # by the parts below the root, as paths are ordered
    folders: dict[str, Path] = {}  # a folder's Path, made once: a child of it parses one part
    for _, dirpath, name in found:
        folder = folders.get(dirpath)
        if folder is None:
            folder = folders[dirpath] = Path(dirpath)
        yield folder / name


def read_input(item: InputFile, max_size: int, stdin_bytes: bytes | None = None) -> bytes | str:
    """The file's bytes, or a message (str) saying why it cannot be read."""
    if item.path is None:
        data = stdin_bytes if stdin_bytes is not None else b""
        if len(data) > max_size:
            return (
                f"input is over the --max-file-size limit of {max_size / 1_048_576:.1f} MB; "
                "skipped (raise the limit to lint it)"
            )
        return data
    try:
        # os.open and fstat, not a file object and stat(): one path lookup and no buffered
        # reader per file; O_NONBLOCK, so that a FIFO is not waited on before fstat says what it is
        fd = os.open(item.path, _READ_FLAGS)
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                return "not a regular file; skipped"
            if info.st_size > max_size:
                return (
                    f"file is {info.st_size / 1_048_576:.1f} MB, over the --max-file-size limit of "
                    f"{max_size / 1_048_576:.1f} MB; skipped (raise the limit to lint it)"
                )
            # what fstat() says and a byte more, in one read: reading up to max_size + 1 would
            # allocate (and map) that much for every file, 60 µs of CPU a file; one that grew
            # since (or stopped short, or whose size fstat() does not know) is read on to the limit
            data = os.read(fd, info.st_size + 1)
            if len(data) != info.st_size:
                data += _read_up_to(fd, max_size + 1 - len(data))
        finally:
            os.close(fd)
        if len(data) > max_size:  # it grew since fstat(), or fstat() does not know its size
            return (
                f"file is over the --max-file-size limit of {max_size / 1_048_576:.1f} MB; "
                "skipped (raise the limit to lint it)"
            )
        return data
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"


#: how inputs are opened: read-only, never waiting on a FIFO, binary (Windows), not inherited
_READ_FLAGS = (
    os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
)


def _read_up_to(fd: int, size: int) -> bytes:
    """Up to ``size`` bytes from ``fd``, fewer only at its end (``os.read`` may stop short)."""
    chunks: list[bytes] = []
    while size > 0:
        chunk = os.read(fd, size)
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def decode(data: bytes) -> str | None:
    """UTF-8 text (BOM removed), or None when the bytes are not UTF-8."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def looks_like_go_template(text: str) -> bool:
    """True for Helm/Go template sources that must be rendered before linting.

    ApplicationSet and Argo Workflows placeholders (``'{{path.basename}}'``)
    are valid YAML and are not templates in this sense.
    """
    if "{" not in text or "{{" not in text:  # one character is found at memchr speed
        return False
    if _HELM_ACTION_RE.search(text):
        return True
    block_indent = -1
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if block_indent >= 0:
            if not stripped or indent > block_indent:
                continue
            block_indent = -1
        if _TEMPLATE_LINE_RE.match(line):
            return True
        if _BLOCK_SCALAR_RE.search(line):
            block_indent = indent
    return False


def suppressions(text: str) -> tuple[dict[int, SuppressionComment], bool]:
    """``# hooklint: ignore[...]`` comments by line ('*' = all rules), and ignore-file."""
    if "hooklint:" not in text:
        return {}, False
    comments: dict[int, SuppressionComment] = {}
    ignore_file = False
    for number, line in enumerate(text.splitlines(), start=1):
        if "hooklint:" not in line:
            continue
        match = _SUPPRESS_RE.search(line)
        if match is None:
            continue
        if match.group(1) == "ignore-file":
            ignore_file = True
            continue
        listed = match.group(2)
        entries = tuple(dict.fromkeys(c.strip() for c in (listed or "").split(",") if c.strip()))
        alone = line.lstrip().startswith("#")  # a comment alone on its line covers the next one too
        comments[number] = SuppressionComment(match.start() + 1, entries or ("*",), alone)
    return comments, ignore_file


def load_file(
    item: InputFile, max_size: int = DEFAULT_MAX_FILE_SIZE, stdin_bytes: bytes | None = None
) -> LoadedFile:
    """Read, decode and parse one input; never raises."""
    data = read_input(item, max_size, stdin_bytes)
    if isinstance(data, str):
        return LoadedFile(
            SourceFile(item.display), notices=[Notice(item.display, data)], is_target=item.is_target
        )
    return load_bytes(data, item.display, item.is_target, plain_file=item.path is not None)


def load_bytes(data: bytes, display: str, is_target: bool = True, *, plain_file: bool = False) -> LoadedFile:
    if b"\x00" in data[:8192]:
        return LoadedFile(
            SourceFile(display),
            notices=[Notice(display, "binary file (it contains NUL bytes); skipped")],
            is_target=is_target,
        )
    text = decode(data)
    if text is None:
        bad = _first_bad_utf8(data)
        return LoadedFile(
            SourceFile(display),
            problems=[
                ParseProblem(
                    f"file is not UTF-8 text (invalid byte 0x{data[bad[0]]:02x}); Kubernetes "
                    "YAML must be UTF-8: re-encode it (e.g. iconv -f latin1 -t utf-8)",
                    pack(bad[1], bad[2]),
                    0,
                    True,
                )
            ],
            is_target=is_target,
        )
    comments, ignore_file = suppressions(text)
    source = SourceFile(display, comments, ignore_file, plain_file)
    if looks_like_go_template(text):
        return LoadedFile(
            source,
            notices=[
                Notice(
                    display,
                    "Go/Helm template ('{{ ... }}'); not linted: render it first "
                    "(helm template . | hooklint check -) or add it to 'exclude'",
                )
            ],
            is_target=is_target,
        )
    # both nesting checks begin by counting brackets: counted once here, where most files have few;
    # a text no longer than the limit has no more brackets than it (not counted: a pass each)
    nested = len(text) > MAX_FLOW_DEPTH and text.count("[") + text.count("{") > MAX_FLOW_DEPTH
    deep = too_deep(text) if nested else None
    if deep is not None:
        line = text.count("\n", 0, deep)
        column = deep - (text.rfind("\n", 0, deep) + 1)
        problem = ParseProblem(
            f"flow collections ('[', '{{') nested more than {MAX_FLOW_DEPTH:,} levels deep: go-yaml, "
            'the parser of kubectl and Argo CD, refuses the file ("exceeded max depth of '
            f'{MAX_FLOW_DEPTH}"); flatten the data',
            pack(line, column),
            0,
            True,
        )
        return LoadedFile(source, problems=[problem], is_target=is_target)
    if nested and too_costly(text):
        notice = Notice(
            display,
            "flow collections ('[', '{') nest thousands of levels deep so many times that parsing "
            "would take minutes; not linted (flatten the data)",
        )
        return LoadedFile(source, notices=[notice], is_target=is_target)
    # marks are editor lines and columns already (read_manifests counts no U+2028 as a line)
    parsed, problems = read_manifests(text, bom=data.startswith(b"\xef\xbb\xbf"))
    problems = [_explain(p, text) if p.fatal or p.message.endswith(DOC_DROPPED) else p for p in problems]
    documents: list[Document] = []
    for doc in parsed:
        documents.extend(objects(source, doc.index, doc.value, doc.positions, is_target))
    health: frozenset[str] = frozenset()
    if settings.MARKER in text:  # rare: only files that configure Argo CD itself
        health = health.union(*(settings.health_customizations(doc.value) for doc in parsed))
    return LoadedFile(source, documents, problems, is_target=is_target, health_checks=health)


def objects(
    source: SourceFile, index: int, value: object, positions: PosMap | None, is_target: bool
) -> Iterable[Document]:
    """The Kubernetes objects in one YAML document (a ``kind: *List`` gives its items)."""
    if not isinstance(value, dict) or positions is None:
        return
    kind = value.get("kind")
    api = value.get("apiVersion")
    if not isinstance(kind, str) or not isinstance(api, str) or not kind or not api:
        return
    if kind == "Kustomization" and api.startswith("kustomize.config.k8s.io"):
        return
    items = value.get("items")
    if kind.endswith("List") and isinstance(items, list):
        item_positions = positions.entries.get("items")
        child = item_positions[2] if item_positions else None
        for number, item in enumerate(items):
            if not isinstance(item, dict) or child is None:
                continue
            _, item_pos, _ = child.entries[number]
            if item_pos is None:
                continue
            if isinstance(item.get("kind"), str) and isinstance(item.get("apiVersion"), str):
                yield Document(source, index, item, item_pos, is_target, number)
        return
    yield Document(source, index, value, positions, is_target)


def _explain(problem: ParseProblem, text: str) -> ParseProblem:
    """Add the likely cause to libyaml's terse messages where we can see it."""
    line_no = problem.mark >> 24
    column = problem.mark & 0xFFFFFF
    lines = _LINE_BREAK_RE.split(text)
    hint = ""
    if line_no < len(lines):
        line = lines[line_no]
        nearby = lines[max(0, line_no - 1) : line_no + 1]
        if "\t" in line[: column + 1] or line[column : column + 1] == "\t":
            hint = " (a tab: YAML indentation must use spaces)"
        elif any(has_unicode_breaks(text_line) for text_line in nearby):
            hint = (
                " (a Unicode line or paragraph separator, U+2028/U+2029/U+0085, is a line "
                "break to YAML parsers: remove it or quote the string)"
            )
    if not hint:
        return problem
    message = problem.message
    if message.endswith(DOC_DROPPED):
        message = message[: -len(DOC_DROPPED)] + hint + DOC_DROPPED
    else:
        message += hint
    return ParseProblem(message, problem.mark, problem.document, problem.fatal)


def _first_bad_utf8(data: bytes) -> tuple[int, int, int]:
    """Offset, 0-based line and column of the first byte that is not valid UTF-8."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start
    else:  # pragma: no cover - only called on bad data
        return 0, 0, 0
    prefix = data[:offset]
    line = prefix.count(b"\n")
    column = len(prefix[prefix.rfind(b"\n") + 1 :].decode("utf-8", "replace"))
    return offset, line, column
