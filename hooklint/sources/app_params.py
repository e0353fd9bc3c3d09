"""An Application's Helm and Kustomize parameters, applied to the folder it points at.

Argo CD's ``helmTemplate`` (reposerver/repository/repository.go; see ``argocd-rendering.md`` 3.1,
3.2) runs ``helm template . --name-template <release> --namespace <ns> --set ... --set-string ...
--values <valueFiles>... --values <temp file of valuesObject, else values>``: the release is
``helm.releaseName``, else the Application's name without a ``<namespace>_`` prefix; the
namespace ``helm.namespace``, else ``kustomize.namespace``, else ``destination.namespace``.

Each Application found among the linted plain files whose Helm source is a chart this run
renders becomes a :class:`~hooklint.sources.helm.settings.ChartSettings` for that chart, applied
after the config's ``helm.charts`` entries; a chart several Applications render is rendered once
for each (``--scope app``), else with the first one's.  ``valueFiles`` resolve as Argo CD's
``getResolvedValueFiles`` (:mod:`hooklint.argocd.value_files`: ``$ref/`` entries in the ``ref``
source's checkout), and ``.argocd-source*.yaml`` overrides in the source folder apply first
(:mod:`hooklint.argocd.source_overrides`).

A ``kustomize:`` block (``namePrefix``, ``nameSuffix``, ``namespace``, ``commonLabels``,
``commonAnnotations``, ``images``, ``replicas``, ``components``, ``patches``) becomes the
kustomization fields of :func:`kustomization_fields`; :mod:`hooklint.sources.kustomize_apps`
gathers them per folder and :mod:`hooklint.sources.kustomize_edit` applies them as Argo CD's
``kustomize edit set/add`` calls do (``namePrefix``/``nameSuffix`` replace the folder's).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Sequence

from hooklint.argocd.application import AppSource, KustomizeSource, raw_source
from hooklint.argocd.repos import RepoMap
from hooklint.argocd.value_files import envsubst, helm_values, resolve_value_files
from hooklint.sources.app_local import LocalSource, app_label, local_sources
from hooklint.sources.detect import HELM, SourceInput, source_type
from hooklint.sources.files import LoadedFile, Notice, display_path
from hooklint.sources.helm.settings import ChartSettings
from hooklint.sources.helm.values_files import ValuesFile
from hooklint.values import dataclass, field


@dataclass(frozen=True)
class ChartParams:
    """What one Application sets for the chart in ``root``."""

    root: Path  # resolved
    settings: ChartSettings
    application: str  # ``Application/name``, for notes
    label: str  # the app's label (:func:`~hooklint.sources.app_local.app_label`)
    #: the values file written for ``valuesObject`` -> where its keys are (HelmRun.values_origins)
    values_origins: dict[str, tuple[ValuesFile, ...]] = field(default_factory=dict)


def chart_params(
    loaded: Sequence[LoadedFile],
    charts: Sequence[SourceInput],
    cwd: Path,
    repos: RepoMap,
    tmp: Path,
    notices: list[Notice],
) -> dict[Path, list[ChartParams]]:
    """The charts among ``charts`` that Applications render, each with every such Application's
    parameters in file order (``values``/``valuesObject`` written to files in ``tmp``)."""
    roots = {(place.root if place.root.is_absolute() else cwd / place.root).resolve() for place in charts}
    out: dict[Path, list[ChartParams]] = {}
    count = 0
    for local in local_sources(loaded, cwd, repos):
        chart, source, app = local.folder, local.source, local.app
        if chart not in roots or not _is_helm(source, chart):
            continue
        values_file = tmp / f"values-{count}.yaml"
        settings = _settings(local, values_file, notices)
        count += 1
        label = app_label(app, local.doc)
        written = str(values_file) in settings.values
        origins = {str(values_file): _object_origins(local, cwd)} if written else {}
        params = ChartParams(chart, settings, f"Application/{app.name}", label, origins)
        out.setdefault(chart, []).append(params)
    return out


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


def _object_origins(local: LocalSource, cwd: Path) -> tuple[ValuesFile, ...]:
    """Where the keys of the values file written for ``valuesObject`` are: the Application's
    ``valuesObject``, then each ``.argocd-source*.yaml`` that sets one (lowest precedence first);
    ``values`` (a string) maps nowhere."""
    doc, app = local.doc, local.app
    out: list[ValuesFile] = []
    helm = raw_source(doc, local.source).get("helm")
    if isinstance(helm, dict) and isinstance(helm.get("valuesObject"), dict):
        at = (*local.source.at, "helm", "valuesObject")
        out.append(ValuesFile(str((cwd / doc.file.path).absolute()), doc.file.path, at, app.name))
    for file in local.overrides:
        block = file.patch.get("helm") if file.patch else None
        if isinstance(block, dict) and isinstance(block.get("valuesObject"), dict):
            out.append(ValuesFile(str(file.path), display_path(file.path, cwd), ("helm", "valuesObject")))
    return tuple(out)


def _settings(local: LocalSource, values_file: Path, notices: list[Notice]) -> ChartSettings:
    app, source, chart, where = local.app, local.source, local.folder, local.doc.file.path
    helm = source.helm
    release = (helm.release_name if helm else "") or app.name.rpartition("_")[2]
    namespace = (
        (helm.namespace if helm else "")
        or (source.kustomize.namespace if source.kustomize else "")
        or app.destination_namespace
    )
    if helm is None:
        return ChartSettings(release_name=release, namespace=namespace or None)
    resolved = resolve_value_files(
        helm.value_files,
        chart,
        local.repo_root,
        local.refs,
        app.env(source),
        multi_source=app.multi_source,
        ignore_missing=helm.ignore_missing_value_files,
    )
    for value in resolved:
        if value.unknown:
            notices.append(
                Notice(where, f"Application/{app.name}: value file {value.entry} not used: {value.unknown}")
            )
    values = helm_values(resolved, helm.ignore_missing_value_files)
    inline = json.dumps(helm.values_object) if helm.values_object is not None else helm.values
    if inline.strip():
        values_file.write_text(inline, encoding="utf-8")
        values.append(str(values_file))
    env = app.env(source)
    # helmTemplate env-substitutes parameter values (``$ARGOCD_APP_NAME``, ...), then cleanSetParameters
    plain = {p.name: envsubst(p.value, env)[0] for p in helm.parameters if not p.force_string}
    strings = {p.name: envsubst(p.value, env)[0] for p in helm.parameters if p.force_string}
    return ChartSettings(
        release_name=release,
        namespace=namespace or None,
        values=tuple(values),
        set=tuple(f"{name}={_escape(value)}" for name, value in plain.items()),
        kube_version=helm.kube_version or None,
        api_versions=helm.api_versions,
        ignore_missing_values_files=helm.ignore_missing_value_files,
        set_string=tuple(f"{name}={_escape(value)}" for name, value in strings.items()),
        set_file=tuple(_file_parameters(local, notices)),
        skip_crds=helm.skip_crds,
        skip_tests=helm.skip_tests,
        skip_schema_validation=helm.skip_schema_validation,
    )


def _file_parameters(local: LocalSource, notices: list[Notice]) -> list[str]:
    """``fileParameters`` as ``--set-file name=path``: each path resolved as a value file (a
    ``$ref/`` one in the ref's checkout), not checked for existence (helm reports it)."""
    app, source = local.app, local.source
    helm = source.helm
    out: list[str] = []
    for name, path in helm.file_parameters if helm else ():
        found = resolve_value_files(
            [path], local.folder, local.repo_root, local.refs, app.env(source),
            multi_source=app.multi_source, ignore_missing=False,
        )[0]  # fmt: skip
        why = found.problem or found.unknown
        if why or len(found.paths) != 1:
            why = why or "a glob (Argo CD passes --set-file no glob)"
            message = f"Application/{app.name}: file parameter {name} not used: {why}"
            notices.append(Notice(local.doc.file.path, message))
            continue
        out.append(f"{name}={found.paths[0]}")
    return out


def _escape(value: str) -> str:
    """Argo CD's ``cleanSetParameters``: commas escaped unless the value is a ``{...}`` list."""
    if value.startswith("{") and value.endswith("}"):
        return value
    return value.replace(",", "\\,")
