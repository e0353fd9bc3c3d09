"""How to render a chart: the command line's ``--helm``/``--values``/... over the config's ``helm:``
(the values themselves, and the config section's format, are in :mod:`hooklint.sources.helmconfig`).
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

from hooklint.sources.helmconfig import ChartRule as ChartRule
from hooklint.sources.helmconfig import ChartSettings as ChartSettings
from hooklint.sources.helmconfig import HelmConfig as HelmConfig
from hooklint.sources.helmconfig import HelmOptions as HelmOptions
from hooklint.sources.helmconfig import configured_binary
from hooklint.sources.helmconfig import helm_config as helm_config
from hooklint.values import dataclass, field, replace

if TYPE_CHECKING:
    from hooklint.sources.helm.values_files import ValuesFile

DEFAULT_TIMEOUT = 60.0


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
    #: a values file written for an Application's ``valuesObject`` -> where its keys are written
    #: (the Application, ``.argocd-source*.yaml``), lowest precedence first
    values_origins: Mapping[str, tuple[ValuesFile, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, config: HelmConfig, cli: HelmOptions, namespace: str | None, cwd: Path) -> HelmRun:
        return cls(
            binary=configured_binary(cli.binary, config.binary, config.root),
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
                set_file=settings.set_file + extra.set_file,
                skip_crds=extra.skip_crds or settings.skip_crds,
                skip_tests=extra.skip_tests or settings.skip_tests,
                skip_schema_validation=extra.skip_schema_validation or settings.skip_schema_validation,
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
