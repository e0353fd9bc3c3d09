"""The sources of the linted Applications that are in a local checkout, as Argo CD renders them.

One walk serves the app sets (:mod:`hooklint.sources.app_sets`) and the Helm/Kustomize
parameters (:mod:`hooklint.sources.app_params`): each target Application (not one a chart
rendered), each of its sources whose ``repoURL`` this run knows (:mod:`hooklint.argocd.repos`),
with the folder it renders and the ``.argocd-source*.yaml`` overrides found there applied
(:mod:`hooklint.argocd.source_overrides`).
"""

from __future__ import annotations

from pathlib import Path

from hooklint.argocd.application import Application, AppSource, parse_application, source_folder
from hooklint.argocd.repos import RepoMap, local_repos
from hooklint.argocd.source_overrides import OverrideFile, apply_overrides
from hooklint.argocd.value_files import RefRoot
from hooklint.model import Document
from hooklint.sources.files import LoadedFile
from hooklint.values import dataclass

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Iterator, Mapping, Sequence


@dataclass(frozen=True)
class LocalSource:
    doc: Document  # the Application
    app: Application
    source: AppSource  # with its overrides applied
    folder: Path  # what it renders, resolved (may not exist: HL312 says so)
    repo_root: Path
    repos: RepoMap  # the repositories known where the Application is
    overrides: tuple[OverrideFile, ...] = ()

    @property
    def refs(self) -> Mapping[str, RefRoot]:
        """``$ref`` -> that source's checkout (``argo.GetRefSources``)."""
        return app_refs(self.app, self.repos)


def app_label(app: Application, doc: Document) -> str:
    """How output names an Application's app: ``web (apps/web.yaml)``."""
    return f"{app.name} ({doc.file.path})"


def app_group(display: str, label: str) -> str:
    """The ``LoadedFile.group`` of a chart rendered for a second (third, ...) Application."""
    return f"{display} for {label}"


def app_refs(app: Application, repos: RepoMap) -> dict[str, RefRoot]:
    return {
        f"${s.ref}": RefRoot(s.repo_url, repos.folder_for(s.repo_url), s.chart) for s in app.sources if s.ref
    }


def local_sources(loaded: Sequence[LoadedFile], cwd: Path, repos: RepoMap) -> Iterator[LocalSource]:
    """In file order; sources that are charts, have a refused path, or only lend files are left out."""
    cache: dict[Path, RepoMap] = {}
    for file in loaded:
        if not file.is_target:
            continue
        for doc in file.documents:
            app = parse_application(doc)
            if app is None or doc.provenance is not None:
                continue
            place = (cwd / doc.file.path).resolve().parent
            if place not in cache:
                cache[place] = repos.merged(local_repos(place))
            known = cache[place]
            for source in app.rendered_sources:
                root = known.folder_for(source.repo_url)
                if root is None or source.chart or source.path_problem:
                    continue
                folder = source_folder(source, root).resolve()
                done = apply_overrides(doc, app, source, folder)
                yield LocalSource(doc, app, done.source, folder, root, known, done.files)
