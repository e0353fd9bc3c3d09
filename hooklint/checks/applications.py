"""Application-level rules: HL310 create-namespace-with-namespace-manifest,
HL311 app-sync-option-conflicts-with-hooks, HL312 application-source-not-found.

Which objects belong to an Application: those whose file lies under the source ``path`` in a
local checkout of its ``repoURL`` (a git remote of the working tree around the Application's
file, or the rule param ``repos``: ``URL=DIR`` items).  When no source resolves, the objects in
the Application's own folder are taken as its app (an Application kept in the folder it syncs,
or an app of apps shipping both the Namespace and the Application that creates it).
"""

from __future__ import annotations

import os
from pathlib import Path

from hooklint.argocd.annotations import hook_info
from hooklint.check import Check, CheckContext, Related, Violation
from hooklint.manifests import ManifestSet
from hooklint.model import Document
from hooklint.values import dataclass, replace

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:  # imported when a set holds an Application (resolve_apps): a plain run has none
    from typing import Iterator, Sequence

    from hooklint.argocd.application import Application, AppSource
    from hooklint.argocd.repos import RepoMap

CREATE_NAMESPACE = "CreateNamespace=true"
REPLACE = "Replace=true"


@dataclass(frozen=True)
class ResolvedApp:
    """An Application document, parsed, with its sources' local folders (None: not local)."""

    doc: Document
    app: Application
    folders: tuple[tuple[AppSource, Path | None], ...]
    repo_roots: tuple[tuple[AppSource, Path | None], ...]

    @property
    def local(self) -> bool:
        return any(folder is not None for _, folder in self.folders)


def _doc_path(doc: Document) -> Path:
    return Path(os.path.abspath(doc.file.path))


def resolve_apps(manifests: ManifestSet, params: dict[str, object]) -> list[ResolvedApp]:
    """Every target Application of the set, with where its sources are on disk."""
    if not manifests.by_kind.get("Application"):
        return []
    from hooklint.argocd.application import parse_application, source_folder
    from hooklint.argocd.repos import RepoMap, RepoMappingError, local_repos, parse_mappings

    items = params.get("repos") or []
    try:
        explicit = parse_mappings([str(i) for i in items] if isinstance(items, list) else [], Path.cwd())
    except RepoMappingError:
        explicit = RepoMap()
    out = []
    cache: dict[Path, RepoMap] = {}
    for doc in manifests.all_documents:  # every copy: each Application as written is judged
        app = parse_application(doc)
        if app is None or not doc.is_target:
            continue
        folder = _doc_path(doc).parent
        if folder not in cache:
            cache[folder] = explicit.merged(local_repos(folder))
        repos = cache[folder]
        roots = tuple((s, repos.folder_for(s.repo_url)) for s in app.sources)
        folders = tuple(
            (s, source_folder(s, root) if root is not None and not s.chart else None) for s, root in roots
        )
        out.append(ResolvedApp(doc, app, folders, roots))
    return out


def _members(resolved: ResolvedApp, manifests: ManifestSet) -> list[Document]:
    """The set's documents that belong to the Application's app (see the module docstring)."""
    folders = [f.resolve() for s, f in resolved.folders if f is not None and not s.renders_nothing]
    if not resolved.local:
        folders = [_doc_path(resolved.doc).parent]
        docs = manifests.all_documents
        return [d for d in docs if d is not resolved.doc and _doc_path(d).parent == folders[0]]
    return [
        d
        for d in manifests.all_documents
        if d is not resolved.doc and any(_doc_path(d).is_relative_to(folder) for folder in folders)
    ]


def _option_path(app: Application, option: str) -> tuple[str | int, ...]:
    return (*app.sync_options_at, app.sync_option_index(option))


class CreateNamespaceWithNamespaceManifest(Check):
    key = "create-namespace-with-namespace-manifest"

    def run(self, context: CheckContext) -> Iterator[Violation]:
        manifests = context.manifests
        for resolved in resolve_apps(manifests, context.params):
            app = resolved.app
            namespace = app.destination_namespace
            if not namespace or not app.has_sync_option(CREATE_NAMESPACE):
                continue
            for doc in _members(resolved, manifests):
                if doc.kind != "Namespace" or doc.group or doc.name != namespace:
                    continue
                if not resolved.local:
                    why = (
                        f"{doc.ref} is shipped next to it, by the app that syncs this Application: two "
                        "owners, and that app prunes the namespace, with all in it, when the manifest goes"
                    )
                elif hook_info(doc, manifests.version).is_hook:
                    why = (
                        f"{doc.ref} is a hook, so Argo CD still creates the namespace too (a hook "
                        "Namespace does not turn auto-creation off): two owners"
                    )
                elif app.managed_namespace_metadata:
                    why = (
                        f"the app also ships {doc.ref}, which takes precedence: "
                        "managedNamespaceMetadata is ignored"
                    )
                else:
                    why = f"the app also ships {doc.ref}, so the option does nothing: two owners"
                yield Violation(
                    resolved.doc,
                    _option_path(app, CREATE_NAMESPACE),
                    f'Application/{app.name} sets CreateNamespace=true for namespace "{namespace}", '
                    f"but {why}; drop the option or the Namespace manifest",
                    (Related(doc, ("metadata", "name"), f"{doc.ref} is shipped by the app"),),
                )


class AppSyncOptionConflictsWithHooks(Check):
    key = "app-sync-option-conflicts-with-hooks"

    def run(self, context: CheckContext) -> Iterator[Violation]:
        manifests = context.manifests
        for resolved in resolve_apps(manifests, context.params):
            app = resolved.app
            if not app.has_sync_option(REPLACE):
                continue
            jobs = [d for d in _members(resolved, manifests) if d.kind == "Job" and d.group == "batch"]
            if not jobs:
                continue
            first = jobs[0]
            hooks = [j for j in jobs if hook_info(j, manifests.version).is_hook]
            detail = (
                f"{len(hooks)} of them hooks, which Argo CD creates with kubectl create and which fail with "
                '"already exists" while the old one is still there (argo-cd#13100)'
                if hooks
                else "a replace sends the Job without its generated spec.selector, which the API server "
                'refuses ("field is immutable")'
            )
            yield Violation(
                resolved.doc,
                _option_path(app, REPLACE),
                f"Application/{app.name} sets Replace=true, so every resource is replaced, including "
                f"{len(jobs)} Job{'s' if len(jobs) > 1 else ''} ({detail}); set Replace=true only on the "
                "resources that need it (argocd.argoproj.io/sync-options annotation)",
                (Related(first, ("kind",), f"{first.ref} is replaced on every sync"),),
            )


class ApplicationSourceNotFound(Check):
    key = "application-source-not-found"

    def run(self, context: CheckContext) -> Iterator[Violation]:
        for resolved in resolve_apps(context.manifests, context.params):
            yield from self._app(resolved)

    def _app(self, resolved: ResolvedApp) -> Iterator[Violation]:
        app, doc = resolved.app, resolved.doc
        roots = [root for _, root in resolved.repo_roots]  # by source index: sources do not hash
        for (source, folder), root in zip(resolved.folders, roots, strict=True):
            if source.chart or source.repo_url.startswith("oci://"):
                yield from self._value_files(resolved, source, None, None)  # its $ref/ entries
                continue
            problem = source.path_problem
            if problem:
                yield Violation(
                    doc,
                    (*source.at, "path"),
                    f'Application/{app.name}: path "{source.path}" fails manifest generation: {problem}',
                )
                continue
            if folder is None or source.renders_nothing:
                continue
            if not folder.is_dir():
                what = "is not a directory" if folder.exists() else "does not exist"
                yield Violation(
                    doc,
                    (*source.at, "path") if source.path else source.at,
                    f'Application/{app.name}: path "{source.path}" {what} in {root} '
                    f'({source.repo_url}); Argo CD fails with "app path {what}"',
                )
                continue
            yield from self._value_files(resolved, source, folder, root)

    def _value_files(
        self, resolved: ResolvedApp, source: AppSource, folder: Path | None, root: Path | None
    ) -> Iterator[Violation]:
        """valueFiles entries Argo CD cannot use (``getResolvedValueFiles``, see
        :mod:`hooklint.argocd.value_files`), with the folder's ``.argocd-source*.yaml`` applied.
        Without a local folder (a chart from a Helm or OCI repository) only the ``$ref/`` entries
        can be told."""
        from hooklint.argocd.source_overrides import apply_overrides
        from hooklint.argocd.value_files import RefRoot, ValueFile, resolve_value_files

        app, doc = resolved.app, resolved.doc
        written = source.helm.value_files if source.helm else ()  # as the Application writes them
        if folder is not None:
            source = apply_overrides(doc, app, source, folder.resolve()).source
        helm = source.helm
        if helm is None:
            return
        refs = {f"${s.ref}": RefRoot(s.repo_url, r, s.chart) for s, r in resolved.repo_roots if s.ref}
        ignore = helm.ignore_missing_value_files
        env = app.env(source)
        entries: list[ValueFile] = []
        if folder is not None and root is not None:
            entries = resolve_value_files(
                helm.value_files, folder, root, refs, env, multi_source=app.multi_source,
                ignore_missing=ignore,
            )  # fmt: skip
        elif folder is None:
            for number, entry in enumerate(helm.value_files):
                if entry.startswith("$") and (app.multi_source or entry.split("/", 1)[0] in refs):
                    here = Path(os.devnull)  # not used: a $ref/ entry resolves in the ref's checkout
                    found = resolve_value_files(
                        [entry], here, here, refs, env, multi_source=app.multi_source, ignore_missing=ignore
                    )[0]
                    entries.append(replace(found, index=number))
        for value in entries:
            at: tuple[str | int, ...] = (*source.at, "helm", "valueFiles", value.index)
            if value.index >= len(written) or written[value.index] != value.entry:
                at = source.at  # the entry comes from .argocd-source*.yaml: point at the source
            if value.problem:
                yield Violation(
                    doc, at, f'Application/{app.name}: value file "{value.entry}" fails manifest '
                    f"generation: {value.problem}",
                )  # fmt: skip
            elif value.missing and not ignore:
                if value.paths:
                    why = f"does not exist ({value.paths[0]}); helm template fails (no such file)"
                else:
                    why = "matches no file; Argo CD fails (values file glob matched no files)"
                yield Violation(
                    doc,
                    at,
                    f'Application/{app.name}: value file "{value.entry}" {why}; set '
                    "ignoreMissingValueFiles if it is optional",
                )


__all__: Sequence[str] = (
    "AppSyncOptionConflictsWithHooks",
    "ApplicationSourceNotFound",
    "CreateNamespaceWithNamespaceManifest",
)
