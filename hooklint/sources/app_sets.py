"""``--scope app``: each Argo CD Application that points into the linted tree is one app.

An Application's source is found on disk through the repositories this run knows (the git
remotes of the working tree holding the Application, ``--repo URL=DIR``, config ``repos:``).
Its type is the explicit one (a ``directory:``, ``helm:`` or ``kustomize:`` block), else what
Argo CD's discovery finds in the folder (:mod:`hooklint.sources.detect`):

- Directory: the files :func:`hooklint.sources.directory_globs.select_files` picks with the
  Application's ``recurse``/``include``/``exclude`` (Argo CD's glob semantics);
- Kustomize and Helm: the files the folder's source rendered (``LoadedFile.group``); a folder
  outside the linted paths is rendered as context (:attr:`AppSetsFound.context`), and a folder
  several Applications render is rendered once for each, with its parameters: the first
  Application's render has the folder's group, the others' :func:`~hooklint.sources.app_local.app_group`.

Each source is taken with the ``.argocd-source*.yaml`` overrides of its folder applied
(:mod:`hooklint.sources.app_local`); an override file that does not parse is an HL000 on it.

Those files, plus the Application itself, form one manifest set, with ``destination.namespace``
as the namespace of objects that set none.  Files no Application claims keep the ``dir``
grouping.  Selected files outside the linted paths are loaded as context (read, never reported).
"""

from __future__ import annotations

from pathlib import Path

from hooklint.argocd.application import Application, AppSource
from hooklint.argocd.repos import RepoMap
from hooklint.model import Document, SourceFile
from hooklint.sources.app_local import LocalSource, app_group, app_label, local_sources
from hooklint.sources.detect import DIRECTORY, HELM, KUSTOMIZE, SourceInput, source_type
from hooklint.sources.directory_globs import select_files
from hooklint.sources.files import InputFile, LoadedFile, Notice, display_path, load_file
from hooklint.values import dataclass, field

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Sequence


@dataclass(frozen=True)
class AppSet:
    """One Application's app: what it claims among the loaded files."""

    key: str  # the manifest group's key
    label: str  # how output names it: ``web (apps/web.yaml)``
    doc: Document  # the Application
    app: Application
    namespace: str | None  # destination.namespace, when set
    files: frozenset[str]  # display paths of the files a Directory source selects
    groups: frozenset[str]  # ``LoadedFile.group`` of the rendered sources (Helm, Kustomize)


@dataclass
class AppSetsFound:
    """What :func:`find_app_sets` finds."""

    sets: list[AppSet] = field(default_factory=list)
    #: files to load in addition: selected but outside the linted paths (context), and the
    #: ``.argocd-source*.yaml`` files that fail to parse (their HL000)
    extra: list[LoadedFile] = field(default_factory=list)
    #: Helm and Kustomize folders outside the linted paths that Applications render: context
    context: list[SourceInput] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)


def find_app_sets(loaded: list[LoadedFile], cwd: Path, repos: RepoMap, max_size: int) -> AppSetsFound:
    """The Applications among the loaded targets that point into known repositories (see the
    module doc)."""
    found = AppSetsFound()
    known = {file.source.path for file in loaded}
    groups = {file.group for file in loaded if file.group is not None}
    by_app: dict[int, tuple[Document, Application, list[LocalSource]]] = {}
    for local in local_sources(loaded, cwd, repos):
        by_app.setdefault(id(local.doc), (local.doc, local.app, []))[2].append(local)
    first: dict[Path, str] = {}  # a rendered folder -> the label of the first Application rendering it
    context: set[Path] = set()
    for doc, app, sources in by_app.values():
        label = app_label(app, doc)
        files: set[str] = set()
        claimed: set[str] = set()
        any_local = False
        for local in sources:
            for override in local.overrides:
                display = display_path(override.path, cwd)
                if override.problems and display not in known:
                    known.add(display)
                    found.extra.append(LoadedFile(SourceFile(display), problems=list(override.problems)))
            folder = local.folder
            if not folder.is_dir():
                continue  # HL312 reports it
            any_local = True
            kind = _kind(local.source, folder)
            if kind == DIRECTORY:
                for path in _selected(local.source, folder, local.repo_root):
                    display = display_path(path, cwd)
                    files.add(display)
                    if display not in known:
                        known.add(display)
                        found.extra.append(load_file(InputFile(path, display, is_target=False), max_size))
                continue
            shown = display_path(folder, cwd) or "."
            owner = first.setdefault(folder, label)
            claimed.add(shown if owner == label else app_group(shown, label))
            if shown not in groups and folder not in context:
                context.add(folder)
                found.context.append(SourceInput(kind, folder, shown, is_target=False))
        if any_local:
            namespace = app.destination_namespace or None
            found.sets.append(
                AppSet(f"app:{label}", label, doc, app, namespace, frozenset(files), frozenset(claimed))
            )
    return found


def _selected(source: AppSource, folder: Path, root: Path) -> list[Path]:
    directory = source.directory
    selection = select_files(
        folder,
        root,
        directory.recurse if directory else False,
        directory.include if directory else "",
        directory.exclude if directory else "",
    )
    return [folder / rel for rel in selection.files]


def _kind(source: AppSource, folder: Path) -> str:
    if source.directory is not None:
        return DIRECTORY
    if source.helm is not None:
        return HELM
    if source.kustomize is not None:
        return KUSTOMIZE
    return source_type(folder)


def claim_keys(sets: Sequence[AppSet]) -> dict[tuple[str, str], str]:
    """``("file", display)`` / ``("group", group)`` -> the app's key (the first Application wins)."""
    out: dict[tuple[str, str], str] = {}
    for each in sets:
        for path in sorted(each.files):
            out.setdefault(("file", path), each.key)
        for group in sorted(each.groups):
            out.setdefault(("group", group), each.key)
    return out
