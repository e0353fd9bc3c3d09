"""The Kustomize folders Applications render, with their ``kustomize:`` blocks and where those are.

:func:`hooklint.sources.app_params.kustomize_params` gives each folder's kustomization fields;
this adds what the Kustomize source needs beyond them: the flags of Argo CD's ``kustomize edit``
calls (``forceCommonLabels``, ``labelWithoutSelector``, ...) and the block's positions in the
Application's file, so a value it sets is reported at its line there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from hooklint.argocd.repos import RepoMap
from hooklint.model import PosMap, position_steps
from hooklint.sources.app_params import _local_sources, kustomization_fields
from hooklint.sources.detect import SourceInput
from hooklint.sources.files import LoadedFile
from hooklint.sources.kustomize_edit import AppKustomize, AppOrigin


def kustomize_apps(
    loaded: Sequence[LoadedFile], folders: Sequence[SourceInput], cwd: Path, repos: RepoMap
) -> dict[Path, AppKustomize]:
    """The folders among ``folders`` an Application renders with a ``kustomize:`` block (the
    first Application for each folder), resolved."""
    roots = {(place.root if place.root.is_absolute() else cwd / place.root).resolve() for place in folders}
    out: dict[Path, AppKustomize] = {}
    for doc, _app, source, folder in _local_sources(loaded, cwd, repos):
        block = source.kustomize
        if block is None or folder not in roots or folder in out:
            continue
        fields = kustomization_fields(block)
        if not fields:
            continue
        steps = position_steps(doc.positions, (*source.at, "kustomize"))
        positions = steps[-1][2] if len(steps) == len(source.at) + 1 else None
        origin = (
            AppOrigin((cwd / doc.file.path).absolute(), positions)
            if isinstance(positions, PosMap) and doc.provenance is None
            else None
        )
        out[folder] = AppKustomize(
            fields,
            force_labels=block.force_common_labels,
            force_annotations=block.force_common_annotations,
            labels_without_selector=block.label_without_selector,
            labels_include_templates=block.label_include_templates,
            ignore_missing_components=block.ignore_missing_components,
            origin=origin,
        )
    return out
