"""``.argocd-source.yaml`` and ``.argocd-source-<appName>.yaml``: parameter overrides kept in the repo.

Argo CD's repo-server (reposerver/repository/repository.go ``mergeSourceParameters``, called by
``GetAppSourceType`` before the source type is decided) reads, in the source's path,
``.argocd-source.yaml`` and then ``.argocd-source-<appName>.yaml`` (``appName`` is
``Application.InstanceName``: ``<namespace>_<name>`` outside the control plane's namespace) and
applies each as a JSON merge patch (RFC 7386) to the source as JSON, in that order (so the app's
file wins).  The result is decoded back over the source, so a ``null`` removes nothing from a
field or map the source sets (only inside ``helm.valuesObject``, kept as raw JSON, does it
delete a key); lists are replaced whole.  ``repoURL``, ``path``, ``chart`` and ``targetRevision``
are then restored: an override changes only the tool's parameters (``helm``, ``kustomize``,
``directory``, ``plugin``; a ``helm:`` block in it makes the source a Helm one).  A file that does
not parse, or is not a mapping, fails manifest generation ("error while parsing source
parameters"): an HL000 on that file, and the source is used without overrides.
"""

from __future__ import annotations

import os
from pathlib import Path

from hooklint.argocd.application import Application, AppSource, parse_source, raw_source
from hooklint.model import Document
from hooklint.values import dataclass
from hooklint.yaml.reader import ParseProblem

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Any

REPO_FILE = ".argocd-source.yaml"
APP_FILE = ".argocd-source-{}.yaml"
_KEPT = ("repoURL", "path", "chart", "targetRevision")
_BLOCKS = ("helm", "kustomize", "directory", "plugin")
MAX_SIZE = 1024 * 1024


@dataclass(frozen=True)
class OverrideFile:
    """One override file read: its path, the patch (None: nothing to apply), its problems."""

    path: Path
    patch: dict[str, Any] | None
    problems: tuple[ParseProblem, ...] = ()


@dataclass(frozen=True)
class Overridden:
    """A source with its overrides applied, and the files that took part (in merge order)."""

    source: AppSource
    files: tuple[OverrideFile, ...] = ()

    @property
    def problems(self) -> tuple[OverrideFile, ...]:
        return tuple(f for f in self.files if f.problems)


_READS: dict[tuple[str, int, int], OverrideFile] = {}


def override_paths(folder: Path, app: Application) -> tuple[Path, ...]:
    names = [REPO_FILE]
    if app.instance_name:
        names.append(APP_FILE.format(app.instance_name))
    return tuple(folder / name for name in names)


def apply_overrides(doc: Document, app: Application, source: AppSource, folder: Path) -> Overridden:
    """``source`` as Argo CD renders it from ``folder`` (see the module doc); never raises."""
    files = [f for f in (_read(p) for p in override_paths(folder, app)) if f is not None]
    if not files:
        return Overridden(source)
    if any(f.problems for f in files):
        return Overridden(source, tuple(files))
    merged: Any = raw_source(doc, source)
    for file in files:
        if file.patch is not None:
            merged = _merge(merged, file.patch, False)
    original = raw_source(doc, source)
    merged = {k: v for k, v in merged.items() if k not in _KEPT}
    merged.update({k: original[k] for k in _KEPT if k in original})
    return Overridden(parse_source(merged, source.at), tuple(files))


def _merge(target: Any, patch: Any, deletes: bool) -> Any:
    """RFC 7386 merge patch; a ``null`` deletes only where ``deletes`` (inside valuesObject)."""
    if not isinstance(patch, dict):
        return patch
    out = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            if deletes:
                out.pop(key, None)
            continue
        out[key] = _merge(out.get(key), value, deletes or key == "valuesObject")
    return out


def _read(path: Path) -> OverrideFile | None:
    """The override at ``path``; None when there is none (a folder of that name counts as none)."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    if not os.path.isfile(path):
        return None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    found = _READS.get(key)
    if found is None:
        found = _READS[key] = _parse(path)
    return found


def _parse(path: Path) -> OverrideFile:
    from hooklint.sources.files import decode
    from hooklint.yaml.nesting import too_costly, too_deep
    from hooklint.yaml.reader import parse_yaml

    def problem(message: str, mark: int = 0) -> OverrideFile:
        return OverrideFile(path, None, (ParseProblem(message + _FAILS, mark, 0, False),))

    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_SIZE + 1)
    except OSError as exc:
        return problem(f"cannot be read: {exc.strerror or exc}")
    if len(data) > MAX_SIZE:
        return problem(f"larger than {MAX_SIZE // 1024} KiB")
    text = decode(data)
    if text is None:
        return problem("not UTF-8 text")
    if too_deep(text) is not None or too_costly(text):
        return problem("nested too deeply to read")
    docs, problems = parse_yaml(text)
    if problems:
        first = problems[0]
        return problem(first.message, first.mark)
    value = docs[0].value if docs else None
    if value is None:
        return OverrideFile(path, None)  # empty: YAMLToJSON gives null, which patches nothing
    if not isinstance(value, dict):
        return problem(f"is a {_shape(value)}, not a mapping of source fields", docs[0].start)
    positions = docs[0].positions
    for name in _BLOCKS:
        block = value.get(name)
        if block is not None and not isinstance(block, dict):
            mark = positions.entries[name][1] if positions is not None and name in positions.entries else 0
            return problem(f"{name} is a {_shape(block)}, not a mapping", mark)
    return OverrideFile(path, {str(k): v for k, v in value.items()})


_FAILS = "; Argo CD fails manifest generation (error while parsing source parameters)"


def _shape(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return "string" if isinstance(value, str) else type(value).__name__
