"""The whole input as one set of Kubernetes objects, with indexes rules share."""

from __future__ import annotations

from functools import cached_property
from typing import Sequence

from hooklint.model import Document
from hooklint.syncplan import SyncPlan
from hooklint.version import LATEST, ArgoVersion


class ManifestSet:
    """Every document read (targets and ``--context`` alike), indexed once."""

    def __init__(
        self,
        documents: Sequence[Document],
        version: ArgoVersion = LATEST,
        namespace: str | None = None,
    ) -> None:
        self.documents = list(documents)
        self.version = version
        self.namespace = namespace

    @cached_property
    def targets(self) -> list[Document]:
        return [doc for doc in self.documents if doc.is_target]

    @cached_property
    def plan(self) -> SyncPlan:
        """The sync Argo CD will run for this set (computed on first use)."""
        return SyncPlan(self.documents, self.version, self.namespace)

    @cached_property
    def by_kind(self) -> dict[str, list[Document]]:
        index: dict[str, list[Document]] = {}
        for doc in self.documents:
            index.setdefault(doc.kind, []).append(doc)
        return index
