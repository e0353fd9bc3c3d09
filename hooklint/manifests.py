"""The whole input as one set of Kubernetes objects, with indexes rules share."""

from __future__ import annotations

from functools import cached_property
from typing import Any, Callable, Sequence, TypeVar

from hooklint.argocd.syncplan import SyncPlan
from hooklint.argocd.version import LATEST, ArgoVersion
from hooklint.model import Document

_T = TypeVar("_T")


class ManifestSet:
    """Every document read (targets and ``--context`` alike), indexed once."""

    def __init__(
        self,
        documents: Sequence[Document],
        version: ArgoVersion = LATEST,
        namespace: str | None = None,
        health_checks: frozenset[str] = frozenset(),
    ) -> None:
        self.documents = list(documents)
        self.version = version
        self.namespace = namespace
        #: ``group/Kind`` health checks the run's argocd-cm (or chart values) adds, anywhere
        #: in the linted tree or its context.
        self.health_checks = health_checks
        self._shared: dict[str, Any] = {}

    def shared(self, key: str, compute: Callable[[ManifestSet], _T]) -> _T:
        """``compute(self)``, run once per set: a whole-set index several rules share."""
        if key not in self._shared:
            self._shared[key] = compute(self)
        result: _T = self._shared[key]
        return result

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

    def namespace_of(self, doc: Document) -> str | None:
        """The object's namespace: its own, else the configured one, else unknown (None)."""
        return doc.namespace or self.namespace or None

    @cached_property
    def by_name(self) -> dict[tuple[str, str, str], list[Document]]:
        """(group, kind, name) -> documents, in input order; generateName-only objects left out."""
        index: dict[tuple[str, str, str], list[Document]] = {}
        for doc in self.documents:
            if doc.name:
                index.setdefault((doc.group, doc.kind, doc.name), []).append(doc)
        return index

    def find(self, group: str, kind: str, name: str, namespace: str | None) -> list[Document]:
        """The documents an object in ``namespace`` means by ``kind``/``name``.

        A side whose namespace is unknown (none written, none configured) matches any.
        """
        candidates = self.by_name.get((group, kind, name), [])
        if namespace is None:
            return list(candidates)
        return [doc for doc in candidates if self.namespace_of(doc) in (None, namespace)]
