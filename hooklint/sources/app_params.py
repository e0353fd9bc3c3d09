"""An Application's Helm and Kustomize parameters, applied to the folder it points at.

Argo CD's ``helmTemplate`` (reposerver/repository/repository.go; see ``argocd-rendering.md`` 3.1,
3.2) runs ``helm template . --name-template <release> --namespace <ns> --set ... --set-string ...
--values <valueFiles>... --values <temp file of valuesObject, else values>``: the release is
``helm.releaseName``, else the Application's name without a ``<namespace>_`` prefix; the
namespace ``helm.namespace``, else ``kustomize.namespace``, else ``destination.namespace``.

Each Application found among the linted plain files whose Helm source is a chart in the linted
tree becomes a :class:`~hooklint.sources.helm.settings.ChartSettings` for that chart, applied
after the config's ``helm.charts`` entries.  One Application per chart: a chart two Applications
render with different parameters is rendered with the first one's (a note says so).

A ``kustomize:`` block (``namePrefix``, ``nameSuffix``, ``namespace``, ``commonLabels``,
``commonAnnotations``, ``images``, ``replicas``, ``components``, ``patches``) becomes fields of
the wrapper kustomization hooklint builds through (:func:`hooklint.sources.kustomize.build`), so
they apply on top of the folder.  Argo CD instead runs ``kustomize edit set/add`` on the app's
own kustomization: the same result, except that ``namePrefix``/``nameSuffix`` *replace* a prefix
the folder sets where the wrapper adds to it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator, Sequence

from hooklint.argocd.application import (
    Application,
    AppSource,
    KustomizeSource,
    parse_application,
    source_folder,
)
from hooklint.argocd.repos import RepoMap, local_repos
from hooklint.model import Document
from hooklint.sources.detect import HELM, SourceInput, source_type
from hooklint.sources.files import LoadedFile, Notice
from hooklint.sources.helm.settings import ChartSettings
from hooklint.values import dataclass


@dataclass(frozen=True)
class ChartParams:
    """What one Application sets for the chart in ``root``."""

    root: Path  # resolved
    settings: ChartSettings
    application: str  # ``Application/name``, for notes


def chart_params(
    loaded: Sequence[LoadedFile],
    charts: Sequence[SourceInput],
    cwd: Path,
    repos: RepoMap,
    tmp: Path,
    notices: list[Notice],
) -> dict[Path, ChartParams]:
    """The charts among ``charts`` that an Application renders, with its parameters (``values``/
    ``valuesObject`` written to files in ``tmp``)."""
    roots = {(place.root if place.root.is_absolute() else cwd / place.root).resolve() for place in charts}
    out: dict[Path, ChartParams] = {}
    for doc, app, source, chart in _local_sources(loaded, cwd, repos):
        if chart not in roots or not _is_helm(source, chart):
            continue
        if chart in out:
            notices.append(
                Notice(
                    doc.file.path,
                    f"Application/{app.name}: {out[chart].application} also renders this "
                    "chart; linted with that one's parameters",
                )
            )
            continue
        settings = _settings(app, source, chart, tmp / f"values-{len(out)}.yaml", notices, doc.file.path)
        out[chart] = ChartParams(chart, settings, f"Application/{app.name}")
    return out


def kustomize_params(
    loaded: Sequence[LoadedFile], folders: Sequence[SourceInput], cwd: Path, repos: RepoMap
) -> dict[Path, dict[str, Any]]:
    """The Kustomize folders among ``folders`` an Application renders with a ``kustomize:``
    block, with the kustomization fields it sets (:func:`kustomization_fields`)."""
    roots = {(place.root if place.root.is_absolute() else cwd / place.root).resolve() for place in folders}
    out: dict[Path, dict[str, Any]] = {}
    for _doc, _app, source, folder in _local_sources(loaded, cwd, repos):
        if source.kustomize is None or folder not in roots or folder in out:
            continue
        fields = kustomization_fields(source.kustomize)
        if fields:
            out[folder] = fields
    return out


def _local_sources(
    loaded: Sequence[LoadedFile], cwd: Path, repos: RepoMap
) -> Iterator[tuple[Document, Application, AppSource, Path]]:
    """Each target Application's sources that are in a local repository, with the folder each
    renders (resolved), in file order."""
    cache: dict[Path, RepoMap] = {}
    for file in loaded:
        if not file.is_target:
            continue
        for doc in file.documents:
            app = parse_application(doc)
            if app is None:
                continue
            folder = (cwd / doc.file.path).resolve().parent
            if folder not in cache:
                cache[folder] = repos.merged(local_repos(folder))
            for source in app.rendered_sources:
                root = cache[folder].folder_for(source.repo_url)
                if root is not None and not source.chart and not source.path_problem:
                    yield doc, app, source, source_folder(source, root).resolve()


def kustomization_fields(k: KustomizeSource) -> dict[str, Any]:
    """An Application's ``kustomize:`` block as kustomization fields (what Argo CD's
    ``kustomize edit set/add`` calls write into the app's kustomization; util/kustomize)."""
    out: dict[str, Any] = {}
    if k.name_prefix:
        out["namePrefix"] = k.name_prefix
    if k.name_suffix:
        out["nameSuffix"] = k.name_suffix
    if k.namespace:
        out["namespace"] = k.namespace
    if k.common_labels:
        out["commonLabels"] = dict(k.common_labels)
    if k.common_annotations:
        out["commonAnnotations"] = dict(k.common_annotations)
    if k.images:
        out["images"] = [_image(i) for i in k.images]
    if k.replicas:
        out["replicas"] = [{"name": n, "count": int(c) if c.isdigit() else c} for n, c in k.replicas]
    if k.components:
        out["components"] = list(k.components)
    if k.patches:
        patches = []
        for patch in k.patches:
            entry: dict[str, Any] = {"path": patch.path} if patch.path else {"patch": patch.patch}
            if patch.target:
                entry["target"] = dict(patch.target)
            if patch.options:
                entry["options"] = dict(patch.options)
            patches.append(entry)
        out["patches"] = patches
    return out


def _image(spec: str) -> dict[str, str]:
    """``kustomize edit set image`` syntax: ``name=new:tag``, ``name:tag``, ``name@digest``."""
    name, sep, new = spec.partition("=")
    target = new if sep else spec
    out: dict[str, str] = {"name": name if sep else _image_name(spec)}
    if "@" in target:
        image, _, digest = target.partition("@")
        out["digest"] = digest
    else:
        image, tag = _split_tag(target)
        if tag:
            out["newTag"] = tag
    if sep and image and image != out["name"]:
        out["newName"] = image
    return out


def _image_name(spec: str) -> str:
    return _split_tag(spec.partition("@")[0])[0]


def _split_tag(image: str) -> tuple[str, str]:
    head, sep, tag = image.rpartition(":")
    if sep and "/" not in tag:
        return head, tag
    return image, ""


def _is_helm(source: AppSource, chart: Path) -> bool:
    if source.directory is not None or source.kustomize is not None:
        return False
    return source.helm is not None or source_type(chart) == HELM


def _settings(
    app: Application, source: AppSource, chart: Path, values_file: Path, notices: list[Notice], where: str
) -> ChartSettings:
    helm = source.helm
    release = (helm.release_name if helm else "") or app.name.rpartition("_")[2]
    namespace = (
        (helm.namespace if helm else "")
        or (source.kustomize.namespace if source.kustomize else "")
        or app.destination_namespace
    )
    if helm is None:
        return ChartSettings(release_name=release, namespace=namespace or None)
    values: list[str] = []
    for entry in helm.value_files:
        if entry.startswith("$"):
            notices.append(
                Notice(where, f"Application/{app.name}: value file {entry} of another source not used")
            )
            continue
        values.append(str(chart / entry))
    inline = json.dumps(helm.values_object) if helm.values_object is not None else helm.values
    if inline.strip():
        values_file.write_text(inline, encoding="utf-8")
        values.append(str(values_file))
    plain = {p.name: p.value for p in helm.parameters if not p.force_string}
    strings = {p.name: p.value for p in helm.parameters if p.force_string}
    return ChartSettings(
        release_name=release,
        namespace=namespace or None,
        values=tuple(values),
        set=tuple(f"{name}={_escape(value)}" for name, value in plain.items()),
        kube_version=helm.kube_version or None,
        api_versions=helm.api_versions,
        ignore_missing_values_files=helm.ignore_missing_value_files,
        set_string=tuple(f"{name}={_escape(value)}" for name, value in strings.items()),
    )


def _escape(value: str) -> str:
    """Argo CD's ``cleanSetParameters``: commas escaped unless the value is a ``{...}`` list."""
    if value.startswith("{") and value.endswith("}"):
        return value
    return value.replace(",", "\\,")
