"""Which kind of source a folder is, decided as Argo CD's repo-server decides it.

``discovery.Discover`` (argo-cd ``util/app/discovery/discovery.go``) walks the app
path in lexical order and looks only at files *directly* in it: a name ending in
``Chart.yaml`` makes it Helm, ``kustomization.yaml``, ``kustomization.yml`` or
``Kustomization`` makes it Kustomize, and the file visited last wins (both assign
the same map key).  In byte order ``Chart.yaml`` sorts before the kustomization
names, so Kustomize normally wins; a ``...Chart.yaml`` sorting later makes it Helm.
Anything else is a Directory source.  (Plugins, and an Application's explicit
type, come before this in Argo CD; they are the Application source's business.)
"""

from __future__ import annotations

import os
from pathlib import Path

from hooklint.values import dataclass

HELM, KUSTOMIZE, DIRECTORY = "helm", "kustomize", "directory"
KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
#: suffix of the group holding a Kustomize tree's kustomization files, read for HL011 (no app)
KUSTOMIZATION_GROUP = "#kustomizations"


def source_type(folder: Path, names: list[str] | None = None) -> str:
    """``helm``, ``kustomize`` or ``directory`` for this folder (``names``: its entries, if known)."""
    if names is None:
        try:
            names = os.listdir(folder)
        except OSError:
            return DIRECTORY
    found = DIRECTORY
    for name in sorted(names):  # filepath.Walk's lexical (byte) order
        if not (name.endswith("Chart.yaml") or name in KUSTOMIZATION_NAMES):
            continue
        if not os.path.isfile(os.path.join(folder, name)):
            continue
        found = HELM if name.endswith("Chart.yaml") else KUSTOMIZE
    return found


@dataclass(frozen=True)
class SourceInput:
    """A folder that renders (type ``helm``; ``kustomize`` and ``application`` to come)."""

    type: str
    root: Path
    display: str
    is_target: bool = True
    #: display paths of the files named on the command line inside it; None: all of it
    named: frozenset[str] | None = None


def enclosing_chart(file: Path) -> Path | None:
    """The chart a file belongs to (the outermost, for a file of a subchart in ``charts/``)."""
    for folder in file.absolute().parents:
        if source_type(folder) == HELM:
            while folder.parent.name == "charts" and source_type(folder.parent.parent) == HELM:
                folder = folder.parent.parent
            return folder
    return None
