"""How to render a chart: the command line's ``--helm``/``--values``/... over the config's ``helm:``.

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

import fnmatch
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

DEFAULT_TIMEOUT = 60.0


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


@dataclass(frozen=True)
class HelmRun:
    """Everything the Helm source needs, merged."""

    binary: str | None = None  # None: look for helm on PATH
    render: bool = True
    timeout: float = DEFAULT_TIMEOUT
    cache: bool = True
    config: HelmConfig = field(default_factory=HelmConfig)
    cli: HelmOptions = field(default_factory=HelmOptions)
    namespace: str | None = None  # the config's top-level namespace
    cwd: Path = field(default_factory=Path.cwd)
    #: resolved chart folder -> what the Application rendering it sets (after the config's entries)
    apps: dict[Path, ChartSettings] = field(default_factory=dict)

    @classmethod
    def of(cls, config: HelmConfig, cli: HelmOptions, namespace: str | None, cwd: Path) -> HelmRun:
        binary = cli.binary or config.binary
        if binary and config.binary and not cli.binary and config.root and os.sep in binary:
            binary = str(config.root / binary)
        return cls(
            binary=binary,
            render=cli.render and config.render,
            timeout=cli.timeout or config.timeout or DEFAULT_TIMEOUT,
            cache=cli.cache and config.cache,
            config=config,
            cli=cli,
            namespace=namespace,
            cwd=cwd,
        )

    def for_chart(self, root: Path) -> ChartSettings:
        settings = ChartSettings(namespace=self.namespace)
        base = self.config.root or self.cwd
        relative = os.path.relpath(root.resolve(), base.resolve()).replace(os.sep, "/")
        rules = self.config.charts
        extras = [rule.settings for rule in rules if fnmatch.fnmatchcase(relative, rule.path.rstrip("/"))]
        app = self.apps.get(root.resolve())
        if app is not None:  # values files absolute already
            extras.append(app)
        for extra in extras:
            settings = ChartSettings(
                release_name=extra.release_name or settings.release_name,
                namespace=extra.namespace or settings.namespace,
                values=settings.values + tuple(str(root / v) for v in extra.values),
                set=settings.set + extra.set,
                kube_version=extra.kube_version or settings.kube_version,
                api_versions=settings.api_versions + extra.api_versions,
                ignore_missing_values_files=extra.ignore_missing_values_files
                or settings.ignore_missing_values_files,
                set_string=settings.set_string + extra.set_string,
            )
        cli = self.cli
        return replace(
            settings,
            namespace=cli.namespace if cli.namespace is not None else settings.namespace,
            values=settings.values + tuple(str(self.cwd / v) for v in cli.values),
            set=settings.set + cli.set,
            kube_version=cli.kube_version or settings.kube_version,
            api_versions=settings.api_versions + cli.api_versions,
        )


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
