"""The Kustomize settings as values: the config's ``kustomize:`` section.

Kept apart from :mod:`hooklint.sources.kustomize` so that reading a config imports nothing of
the Kustomize source (a plain run renders no kustomization).

The config section (validated by ``schema/config.schema.json``)::

    kustomize:
      binary: /usr/local/bin/kustomize   # default: kustomize on PATH, else kubectl
      build-options: --enable-helm       # Argo CD's argocd-cm kustomize.buildOptions
      timeout: 60                        # seconds per build

``build-options`` is one string split on whitespace, as Argo CD splits ``kustomize.buildOptions``
(``strings.Fields``, util/kustomize/kustomize.go ``parseKustomizeBuildOptions``).  The command
line's ``--kustomize`` and ``--kustomize-build-options`` win over it; without either, the
``kustomize.buildOptions`` of an ``argocd-cm`` ConfigMap among the linted files applies.
"""

from __future__ import annotations

from pathlib import Path

from hooklint.values import dataclass

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Any


@dataclass(frozen=True)
class KustomizeConfig:
    """The ``kustomize:`` section of a config file (None: not set)."""

    root: Path | None = None
    binary: str | None = None
    build_options: str | None = None
    timeout: float | None = None


def kustomize_config(data: Any, path: Path | None) -> KustomizeConfig:
    """The validated ``kustomize:`` section (already checked against the schema)."""
    root = path.parent if path else None
    if not isinstance(data, dict):
        return KustomizeConfig(root=root)
    timeout = data.get("timeout")
    options = data.get("build-options")
    return KustomizeConfig(
        root=root,
        binary=data.get("binary"),
        build_options=str(options) if options is not None else None,
        timeout=float(timeout) if timeout is not None else None,
    )
