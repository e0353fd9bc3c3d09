"""The Source abstraction: a place -> the Documents Argo CD would sync, with provenance.

A Source takes one place (a folder of manifests, a Helm chart; later a Kustomize
folder or an Argo CD Application) and yields ``LoadedFile``s: one per repository
file that findings can point at, each holding Documents whose ``positions`` (and
``provenance``) point into that file.  ``group`` names the application the files
belong to, so whole-set rules see a chart as one app whatever folders its templates
are in.  A Source never raises: what fails becomes an HL000 problem on the file
that failed, or a notice.

``SourceInput`` is what discovery hands over for a folder that is not plain files:
the folder, how to show it, and (pre-commit) which of its files were named.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from hooklint.sources.detect import SourceInput

if TYPE_CHECKING:
    from hooklint.sources.files import LoadedFile

__all__ = ["Source", "SourceInput"]


class Source(Protocol):
    """Turns one place into loaded files (see the module doc)."""

    def load(self) -> list[LoadedFile]: ...
