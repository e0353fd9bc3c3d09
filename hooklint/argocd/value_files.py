"""Where an Application's ``helm.valueFiles`` entries are on disk, as Argo CD's repo-server finds them.

``getResolvedValueFiles`` (reposerver/repository/repository.go) takes each entry in order:

- ``$name/rest`` where ``$name`` is a ``ref`` of the Application's sources (``argo.GetRefSources``
  keys them ``"$" + ref``): ``rest`` is resolved from the root of that source's checkout
  (``getResolvedRefValueFile``: the first segment dropped, so ``rest`` reads as ``/rest``), after
  env substitution;
- anything else is env-substituted (:func:`envsubst`, ``Env.Envsubst`` = Go's ``os.Expand`` over
  ``ARGOCD_APP_*``: an unknown ``$values`` becomes ``""``) and resolved from the chart folder, a
  leading ``/`` from the repository root (``pathutil.ResolveValueFilePathOrUrl``); a URL is
  passed to helm as it is;
- either way a path that leaves its repository root fails manifest generation ("resolved to
  outside repository root"), as does the root itself;
- a glob (``*``, ``?``, ``[``) expands to its matches in lexical order, leaving out files that an
  explicit entry lists (they stay at their explicit place); one that matches nothing fails,
  unless ``ignoreMissingValueFiles``;
- a missing file is dropped with ``ignoreMissingValueFiles``, else passed on (helm then fails:
  "no such file or directory").

In a multi-source Application a ``$name`` that is no ``ref`` fails ("source referenced "$name",
which is not one of the available sources"), and so does a ``ref`` source with a ``chart``
(runManifestGenAsync).  hooklint cannot read a repository it has no checkout of, nor a URL, nor a
path using the commit (``$ARGOCD_APP_REVISION``): those entries are ``unknown``.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from hooklint.values import dataclass

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Mapping, Sequence

#: ``helm.valuesFileSchemes`` default (argocd-cm): URLs helm may fetch
URL_SCHEMES = frozenset(("http", "https"))
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")  # net/url getScheme: a scheme before any "/"
_SPECIAL = frozenset("*#$@!?-0123456789")
_REVISION_VARS = frozenset(
    ("ARGOCD_APP_REVISION", "ARGOCD_APP_REVISION_SHORT", "ARGOCD_APP_REVISION_SHORT_8")
)


@dataclass(frozen=True)
class RefRoot:
    """A ``ref`` source as a value file sees it: its repository and local checkout (None: none)."""

    repo_url: str
    root: Path | None
    chart: str = ""


@dataclass(frozen=True)
class ValueFile:
    """One ``valueFiles`` entry, resolved."""

    index: int  # its place in valueFiles
    entry: str  # as written
    paths: tuple[Path, ...] = ()  # what helm gets (a glob's matches), absolute; may not exist
    missing: bool = False  # no such file (a glob: no match)
    problem: str = ""  # Argo CD fails manifest generation, whatever ignoreMissingValueFiles says
    unknown: str = ""  # hooklint cannot tell (another repository, a URL, the commit)


def envsubst(text: str, env: Mapping[str, str]) -> tuple[str, frozenset[str]]:
    """``os.Expand(text, ...)`` as ``Env.Envsubst`` calls it (``$$`` is ``$``), and the names used."""
    out: list[str] = []
    used: set[str] = set()
    i = j = 0
    while j < len(text):
        if text[j] == "$" and j + 1 < len(text):
            out.append(text[i:j])
            name, width = _shell_name(text[j + 1 :])
            if name:
                used.add(name)
                out.append("$" if name == "$" else env.get(name, ""))
            elif not width:
                out.append("$")  # not followed by a name: kept
            j += width
            i = j + 1
        j += 1
    out.append(text[i:])
    return "".join(out), frozenset(used)


def _shell_name(rest: str) -> tuple[str, int]:
    """Go's ``getShellName``: the variable name after ``$`` and how many bytes it takes."""
    if rest[0] == "{":
        if len(rest) > 2 and rest[1] in _SPECIAL and rest[2] == "}":
            return rest[1], 3
        close = rest.find("}", 1)
        if close == 1:
            return "", 2  # ``${}``: eaten
        if close < 0:
            return "", 1  # ``${`` without ``}``: eaten
        return rest[1:close], close + 1
    if rest[0] in _SPECIAL:
        return rest[0], 1
    n = 0
    while n < len(rest) and (rest[n] == "_" or (rest[n].isascii() and rest[n].isalnum())):
        n += 1
    return rest[:n], n


def is_glob(path: str) -> bool:
    return any(c in path for c in "*?[")


def resolve_value_files(
    entries: Sequence[str],
    chart: Path,
    repo_root: Path,
    refs: Mapping[str, RefRoot],
    env: Mapping[str, str],
    *,
    multi_source: bool,
    ignore_missing: bool,
) -> list[ValueFile]:
    """Each entry resolved (see the module doc); ``refs`` keyed ``$name``."""
    out: list[ValueFile] = []
    for index, entry in enumerate(entries):
        out.append(_one(index, entry, chart, repo_root, refs, env, multi_source, ignore_missing))
    explicit = {p for v in out if not is_glob(v.entry) for p in v.paths}
    seen: set[Path] = set()
    kept: list[ValueFile] = []
    for value in out:
        paths = value.paths
        if is_glob(value.entry):
            paths = tuple(p for p in paths if p not in explicit)
        fresh = tuple(p for p in paths if p not in seen)
        seen.update(fresh)
        kept.append(ValueFile(value.index, value.entry, fresh, value.missing, value.problem, value.unknown))
    return kept


def helm_values(resolved: Sequence[ValueFile], ignore_missing: bool) -> list[str]:
    """The ``--values`` paths helm gets, in order (missing ones kept unless ``ignore_missing``)."""
    out: list[str] = []
    for value in resolved:
        if value.problem or value.unknown or (value.missing and ignore_missing):
            continue
        out.extend(str(p) for p in value.paths)
    return out


def _one(
    index: int,
    entry: str,
    chart: Path,
    repo_root: Path,
    refs: Mapping[str, RefRoot],
    env: Mapping[str, str],
    multi_source: bool,
    ignore_missing: bool,
) -> ValueFile:
    name = entry.split("/", 1)[0] if entry.startswith("$") else ""
    ref = refs.get(name) if name else None
    if name and ref is None and multi_source:
        known = ", ".join(sorted(refs)) or "no source has a 'ref' field"
        return ValueFile(index, entry, problem=f'source referenced "{name}", which is not a ref ({known})')
    if ref is not None:
        if multi_source and ref.chart:
            why = f"ref {name} is a Helm chart: Argo CD reads no value files from it"
            return ValueFile(index, entry, problem=why)
        if ref.root is None:
            return ValueFile(index, entry, unknown=f"{ref.repo_url} has no local checkout (--repo URL=DIR)")
        rest, used = envsubst("/" + entry.split("/", 1)[1] if "/" in entry else "", env)
        base, root = ref.root, ref.root
    else:
        rest, used = envsubst(entry, env)
        base, root = chart, repo_root
    if used & _REVISION_VARS:
        return ValueFile(index, entry, unknown="it names the commit ($ARGOCD_APP_REVISION)")
    scheme = _SCHEME.match(rest)
    if scheme is not None:
        if scheme.group(1).lower() in URL_SCHEMES:
            return ValueFile(index, entry, unknown="a URL (not fetched)")
        return ValueFile(index, entry, problem=f"the URL scheme '{scheme.group(1)}' is not allowed")
    path = _resolve(base, root, rest)
    if isinstance(path, str):
        return ValueFile(index, entry, problem=path)
    if is_glob(str(path)):
        matches = _glob(path)
        if any(_outside(m, root) for m in matches):
            why = "a match of the glob resolves to outside the repository root"
            return ValueFile(index, entry, problem=why)
        return ValueFile(index, entry, matches, missing=not matches)
    return ValueFile(index, entry, (path,), missing=not path.is_file())


def _resolve(base: Path, root: Path, rest: str) -> Path | str:
    """``resolveFileOrDirectory``: from ``base`` (``/x``: from ``root``), a symlink followed; why
    Argo CD refuses it when that leaves ``root`` or is ``root`` itself."""
    joined = os.path.join(root, rest.lstrip("/")) if rest.startswith("/") else os.path.join(base, rest)
    path = os.path.abspath(joined)
    for _ in range(11):  # resolveSymbolicLinkRecursive: the path itself, up to 10 links deep
        try:
            link = os.readlink(path)
        except OSError:
            break
        path = os.path.abspath(os.path.join(os.path.dirname(path), link))
    else:
        return "a symlink chain more than 10 deep"
    absolute = Path(path)
    top = Path(os.path.abspath(root))
    if absolute == top:
        return f"it resolves to the repository root ({root}), which is not allowed"
    if not absolute.is_relative_to(top):
        return f"it resolves to outside the repository root ({root})"
    return absolute


def _glob(pattern: Path) -> tuple[Path, ...]:
    import glob  # only for a valueFiles pattern (it imports contextlib and fnmatch's cache)

    if sys.version_info >= (3, 11):
        found = glob.glob(str(pattern), recursive=True, include_hidden=True)
    else:  # pragma: no cover - Python 3.10
        found = glob.glob(str(pattern), recursive=True)
    return tuple(Path(p) for p in sorted(found) if os.path.isfile(p))


def _outside(path: Path, root: Path) -> bool:
    real = Path(os.path.realpath(path))
    top = Path(os.path.realpath(root))
    return real != top and not real.is_relative_to(top)
