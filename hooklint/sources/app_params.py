"""An Application's Helm parameters, applied to the chart it points at, as Argo CD renders it.

Argo CD's ``helmTemplate`` (reposerver/repository/repository.go; see ``argocd-rendering.md`` 3.1,
3.2) runs ``helm template . --name-template <release> --namespace <ns> --set ... --set-string ...
--values <valueFiles>... --values <temp file of valuesObject, else values>``: the release is
``helm.releaseName``, else the Application's name without a ``<namespace>_`` prefix; the
namespace ``helm.namespace``, else ``kustomize.namespace``, else ``destination.namespace``.

Each Application found among the linted plain files whose Helm source is a chart in the linted
tree becomes a :class:`~hooklint.sources.helm.settings.ChartSettings` for that chart, applied
after the config's ``helm.charts`` entries.  One Application per chart: a chart two Applications
render with different parameters is rendered with the first one's (a note says so).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from hooklint.argocd.application import Application, AppSource, parse_application, source_folder
from hooklint.argocd.repos import RepoMap, local_repos
from hooklint.sources.detect import HELM, SourceInput, source_type
from hooklint.sources.files import LoadedFile, Notice
from hooklint.sources.helm.settings import ChartSettings


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
                if root is None or source.chart or source.path_problem:
                    continue
                chart = source_folder(source, root).resolve()
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
                settings = _settings(
                    app, source, chart, tmp / f"values-{len(out)}.yaml", notices, doc.file.path
                )
                out[chart] = ChartParams(chart, settings, f"Application/{app.name}")
    return out


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
