"""The Helm settings as values: the config's ``helm:`` section and the command line's options.

Kept apart from :mod:`hooklint.sources.helm` so that reading a config or the command
line imports nothing of the Helm source (a plain run renders no chart).

The config section (validated by ``schema/config.schema.json``)::

    helm:
      binary: /opt/helm/bin/helm      # default: helm on PATH
      render: true                    # false: lint templates without rendering
      timeout: 60                     # seconds per render
      cache: true
      charts:                         # per chart folder glob, relative to the config file
        - path: charts/shop
          release-name: shop
          namespace: shop
          values: [values-prod.yaml]  # relative to the chart, as Argo CD's valueFiles
          set: [image.tag=1.2.3]
          kube-version: "1.30"
          api-versions: [monitoring.coreos.com/v1]
          ignore-missing-values-files: true

Every entry whose glob matches a chart applies, in order; the command line's
``--values``/``--set``/``--api-versions`` are added after them, and its
``--kube-version``/``--namespace`` win.
"""


from __future__ import annotations

import os
from pathlib import Path

from hooklint.values import dataclass

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Any


@dataclass(frozen=True)
class ChartSettings:
    """What one render of one chart gets (values files are absolute paths)."""

    release_name: str | None = None
    namespace: str | None = None
    values: tuple[str, ...] = ()
    set: tuple[str, ...] = ()
    kube_version: str | None = None
    api_versions: tuple[str, ...] = ()
    ignore_missing_values_files: bool = False
    set_string: tuple[str, ...] = ()  # an Application's parameters with forceString
    #: an Application's ``fileParameters``: ``name=/absolute/path`` (``--set-file``)
    set_file: tuple[str, ...] = ()
    skip_crds: bool = False  # an Application's ``skipCrds``: no ``--include-crds``
    skip_tests: bool = False
    skip_schema_validation: bool = False


@dataclass(frozen=True)
class ChartRule:
    """One ``helm.charts`` entry: a folder glob and its settings (values relative to the chart)."""

    path: str
    settings: ChartSettings


@dataclass(frozen=True)
class HelmConfig:
    """The ``helm:`` section of a config file."""

    root: Path | None = None
    binary: str | None = None
    render: bool = True
    timeout: float | None = None
    cache: bool = True
    charts: tuple[ChartRule, ...] = ()


@dataclass(frozen=True)
class HelmOptions:
    """The command line's Helm options (``None``: not given)."""

    binary: str | None = None
    render: bool = True
    values: tuple[str, ...] = ()
    set: tuple[str, ...] = ()
    kube_version: str | None = None
    api_versions: tuple[str, ...] = ()
    namespace: str | None = None
    timeout: float | None = None
    cache: bool = True


def configured_binary(given: str | None, configured: str | None, root: Path | None) -> str | None:
    """A tool's binary (helm, kustomize): the command line's as given, else the config's, where a
    path (not a bare name, looked up on PATH) is relative to the config file's folder."""
    if given:
        return given
    if configured and root is not None and os.sep in configured:
        return str(root / configured)
    return configured


def helm_config(data: Any, path: Path | None) -> HelmConfig:
    """The validated ``helm:`` section (already checked against the schema)."""
    if not isinstance(data, dict):
        return HelmConfig(root=path.parent if path else None)
    charts = tuple(
        ChartRule(
            str(entry["path"]),
            ChartSettings(
                release_name=entry.get("release-name"),
                namespace=entry.get("namespace"),
                values=tuple(entry.get("values") or ()),
                set=tuple(entry.get("set") or ()),
                kube_version=entry.get("kube-version"),
                api_versions=tuple(entry.get("api-versions") or ()),
                ignore_missing_values_files=bool(entry.get("ignore-missing-values-files", False)),
            ),
        )
        for entry in data.get("charts") or ()
    )
    timeout = data.get("timeout")
    return HelmConfig(
        root=path.parent if path else None,
        binary=data.get("binary"),
        render=bool(data.get("render", True)),
        timeout=float(timeout) if timeout is not None else None,
        cache=bool(data.get("cache", True)),
        charts=charts,
    )
