"""``--scope app``: each Argo CD Application that points into the linted tree is one app.

An Application's source is found on disk through the repositories this run knows (the git
remotes of the working tree holding the Application, ``--repo URL=DIR``, config ``repos:``).
Its type is the explicit one (a ``directory:``, ``helm:`` or ``kustomize:`` block), else what
Argo CD's discovery finds in the folder (:mod:`hooklint.sources.detect`):

- Directory: the files :func:`hooklint.sources.directory_globs.select_files` picks with the
  Application's ``recurse``/``include``/``exclude`` (Argo CD's glob semantics);
- Kustomize and Helm: the files the folder's source rendered (``LoadedFile.group``).

Those files, plus the Application itself, form one manifest set, with ``destination.namespace``
as the namespace of objects that set none.  Files no Application claims keep the ``dir``
grouping.  Selected files outside the linted paths are loaded as context (read, never reported).
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from hooklint.argocd.application import Application, AppSource, parse_application, source_folder
from hooklint.argocd.repos import RepoMap, local_repos
from hooklint.model import Document
from hooklint.sources.detect import DIRECTORY, HELM, KUSTOMIZE, source_type
from hooklint.sources.directory_globs import select_files
from hooklint.sources.files import InputFile, LoadedFile, Notice, display_path, load_file
from hooklint.values import dataclass


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


def find_app_sets(
    loaded: list[LoadedFile], cwd: Path, repos: RepoMap, max_size: int
) -> tuple[list[AppSet], list[LoadedFile], list[Notice]]:
    """The Applications among the loaded targets that point into known repositories, the files
    to load in addition (selected but outside the linted paths), and notes."""
    sets: list[AppSet] = []
    extra: list[LoadedFile] = []
    notices: list[Notice] = []
    known = {file.source.path for file in loaded}
    cache: dict[Path, RepoMap] = {}
    for file in list(loaded):
        if not file.is_target:
            continue
        for doc in file.documents:
            app = parse_application(doc)
            if app is None or doc.provenance is not None:
                continue
            folder = (cwd / doc.file.path).resolve().parent
            if folder not in cache:
                cache[folder] = repos.merged(local_repos(folder))
            found = _claims(app, cache[folder], cwd, max_size, known, extra, notices, doc)
            if found is None:
                continue
            files, groups = found
            label = f"{app.name} ({doc.file.path})"
            namespace = app.destination_namespace or None
            sets.append(AppSet(f"app:{label}", label, doc, app, namespace, files, groups))
    return sets, extra, notices


def _claims(
    app: Application,
    repos: RepoMap,
    cwd: Path,
    max_size: int,
    known: set[str],
    extra: list[LoadedFile],
    notices: list[Notice],
    doc: Document,
) -> tuple[frozenset[str], frozenset[str]] | None:
    files: set[str] = set()
    groups: set[str] = set()
    local = False
    for source in app.rendered_sources:
        root = repos.folder_for(source.repo_url)
        if root is None or source.chart or source.path_problem:
            continue
        folder = source_folder(source, root)
        if not folder.is_dir():
            continue  # HL312 reports it
        local = True
        kind = _kind(source, folder)
        shown = display_path(folder.absolute(), cwd) or "."
        if kind == DIRECTORY:
            directory = source.directory
            selection = select_files(
                folder,
                root,
                directory.recurse if directory else False,
                directory.include if directory else "",
                directory.exclude if directory else "",
            )
            for rel in selection.files:
                path = folder / rel
                display = display_path(path.absolute(), cwd)
                files.add(display)
                if display not in known:
                    known.add(display)
                    extra.append(load_file(InputFile(path, display, is_target=False), max_size))
        else:
            groups.add(shown)
    if not local:
        return None
    return frozenset(files), frozenset(groups)


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
