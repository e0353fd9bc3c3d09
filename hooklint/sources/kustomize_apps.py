"""The Kustomize folders Applications render, with their ``kustomize:`` blocks and where those are.

For each folder, every Application that renders it, in file order: the first one's block applies
to the folder's build, each later one gets a build of its own (``--scope app``).  A block becomes
the kustomization fields of :func:`hooklint.sources.app_params.kustomization_fields`, plus what the
Kustomize source needs beyond them: the flags of Argo CD's ``kustomize edit`` calls
(``forceCommonLabels``, ``labelWithoutSelector``, ...) and the block's positions in the
Application's file, so a value it sets is reported at its line there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from hooklint.argocd.application import KustomizeSource
from hooklint.argocd.repos import RepoMap
from hooklint.model import Document, PosMap, YamlPath, position_steps
from hooklint.sources.app_local import LocalSource, app_label, local_sources
from hooklint.sources.app_params import kustomization_fields
from hooklint.sources.detect import SourceInput
from hooklint.sources.files import LoadedFile
from hooklint.sources.kustomize_edit import AppKustomize, AppOrigin
from hooklint.values import dataclass


@dataclass(frozen=True)
class KustomizeApp:
    """One Application rendering the Kustomize folder ``root``; ``edits``: its ``kustomize:``
    block, None when it sets nothing."""

    root: Path  # resolved
    edits: AppKustomize | None
    application: str  # Application/<name>
    label: str  # for its group (app_local.app_group)


def kustomize_apps(
    loaded: Sequence[LoadedFile], folders: Sequence[SourceInput], cwd: Path, repos: RepoMap
) -> dict[Path, list[KustomizeApp]]:
    """The folders among ``folders`` Applications render, each with every such Application."""
    roots = {(place.root if place.root.is_absolute() else cwd / place.root).resolve() for place in folders}
    out: dict[Path, list[KustomizeApp]] = {}
    for local in local_sources(loaded, cwd, repos):
        source, folder, app = local.source, local.folder, local.app
        if folder not in roots or source.helm is not None or source.directory is not None:
            continue
        edits = _edits(local, source.kustomize, cwd) if source.kustomize is not None else None
        entry = KustomizeApp(folder, edits, f"Application/{app.name}", app_label(app, local.doc))
        out.setdefault(folder, []).append(entry)
    return out


def _edits(local: LocalSource, block: KustomizeSource, cwd: Path) -> AppKustomize | None:
    fields = kustomization_fields(block)
    if not fields:
        return None
    return AppKustomize(
        fields,
        force_labels=block.force_common_labels,
        force_annotations=block.force_common_annotations,
        labels_without_selector=block.label_without_selector,
        labels_include_templates=block.label_include_templates,
        ignore_missing_components=block.ignore_missing_components,
        origin=_origin(local.doc, local.source.at, cwd),
    )


def _origin(doc: Document, at: YamlPath, cwd: Path) -> AppOrigin | None:
    """Where the block is written, for a raw Application file (not one a render made)."""
    steps = position_steps(doc.positions, (*at, "kustomize"))
    positions = steps[-1][2] if len(steps) == len(at) + 1 else None
    if isinstance(positions, PosMap) and doc.provenance is None:
        return AppOrigin((cwd / doc.file.path).absolute(), positions)
    return None
