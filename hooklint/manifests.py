"""The whole input as one set of Kubernetes objects, with indexes rules share."""

from __future__ import annotations

from hooklint.argocd.resources import CLUSTER_SCOPED
from hooklint.argocd.syncplan import SyncPlan
from hooklint.argocd.version import LATEST, ArgoVersion
from hooklint.model import Document
from hooklint.values import cached_property

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Any, Callable, Iterable, Sequence, TypeVar

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
        #: every document read, duplicates included (HL307 reports the copies)
        self.all_documents = list(documents)
        self.version = version
        #: the Application's destination namespace; None (unknown) acts as Argo CD's "".
        self.namespace = namespace
        #: ``group/Kind`` health checks the run's argocd-cm (or chart values) adds, anywhere
        #: in the linted tree or its context.
        self.health_checks = health_checks
        self._shared: dict[str, Any] = {}
        self._indexes: dict[bool, tuple[dict[str, list[int]], dict[str, list[int]]]] = {}
        self._namespaces: dict[int, str] = {}
        #: what Argo CD keeps (the plan and every rule but HL307 see only these), and for each
        #: copy it drops, the document that replaces it
        self.documents, self.replaced_by = _deduplicate(self)

    def shared(self, key: str, compute: Callable[[ManifestSet], _T]) -> _T:
        """``compute(self)``, run once per set: a whole-set index several rules share."""
        if key not in self._shared:
            self._shared[key] = compute(self)
        result: _T = self._shared[key]
        return result

    @cached_property
    def targets(self) -> list[Document]:
        """The linted documents, every copy of a duplicate included: per-object rules judge
        each object as written; whole-set rules and the plan see ``documents``."""
        return [doc for doc in self.all_documents if doc.is_target]

    def checked(self, kinds: tuple[str, ...], keys: frozenset[str], context: bool) -> list[Document]:
        """What a per-object rule looks at: the targets (with ``context``, ``documents``: every
        object Argo CD keeps, context included), of one of ``kinds`` and carrying one of the
        annotation ``keys`` (either any when empty), in input order.  Found through indexes of
        the set made once, so that a rule about hooks does not visit every object (28 rules
        over 10,000 objects were 280,000 visits)."""
        base = self.documents if context else self.targets
        if not kinds and not keys:
            return base
        by_kind, by_key = self._index(context)
        if keys:
            found = _union(by_key, keys)
            if kinds:
                found = [i for i in found if base[i].kind in kinds]
        else:
            found = _union(by_kind, kinds)
        return [base[i] for i in found]

    def _index(self, context: bool) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
        """Positions in :meth:`checked`'s base list by kind and by each annotation key."""
        index = self._indexes.get(context)
        if index is None:
            by_kind: dict[str, list[int]] = {}
            by_key: dict[str, list[int]] = {}
            for i, doc in enumerate(self.documents if context else self.targets):
                by_kind.setdefault(doc.kind, []).append(i)
                for key in doc.annotations:
                    by_key.setdefault(key, []).append(i)
            index = self._indexes[context] = (by_kind, by_key)
        return index

    @cached_property
    def plan(self) -> SyncPlan:
        """The sync Argo CD will run for this set (computed on first use)."""
        return SyncPlan(self.documents, self.version, self.namespace or "", self.argocd_namespace)

    @cached_property
    def by_kind(self) -> dict[str, list[Document]]:
        index: dict[str, list[Document]] = {}
        for doc in self.documents:
            index.setdefault(doc.kind, []).append(doc)
        return index

    @cached_property
    def cluster_scoped_custom_kinds(self) -> frozenset[str]:
        """group/Kind of the custom resources whose CRD in this set says ``scope: Cluster``."""
        out = set()
        for crd in self.all_documents:
            if crd.kind != "CustomResourceDefinition" or crd.group != "apiextensions.k8s.io":
                continue
            group, kind = crd.get(("spec", "group")), crd.get(("spec", "names", "kind"))
            if crd.get(("spec", "scope")) == "Cluster" and isinstance(group, str) and isinstance(kind, str):
                out.add(f"{group}/{kind}")
        return frozenset(out)

    def is_cluster_scoped(self, doc: Document) -> bool:
        """A built-in cluster-scoped kind, or a custom kind whose CRD here is ``scope: Cluster``
        (Argo CD asks the cluster: kubeutil.IsNamespacedOrUnknown; unknown kinds are namespaced)."""
        return self._cluster_scoped(f"{doc.group}/{doc.kind}")

    def _cluster_scoped(self, group_kind: str) -> bool:
        return group_kind in CLUSTER_SCOPED or group_kind in self.cluster_scoped_custom_kinds

    def argocd_namespace(self, doc: Document) -> str:
        """The namespace Argo CD gives the object (AE controller/state.go NormalizeTargetObjects):
        "" for cluster-scoped kinds, its own, else the destination namespace ("" when unknown)."""
        known = self._namespaces.get(id(doc))
        if known is None:
            known = "" if self.is_cluster_scoped(doc) else doc.namespace or self.namespace or ""
            self._namespaces[id(doc)] = known
        return known

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


def _union(index: dict[str, list[int]], names: Iterable[str]) -> list[int]:
    """The positions ``index`` lists under any of ``names``, in order, each once."""
    lists = [found for found in (index.get(name) for name in names) if found]
    if len(lists) <= 1:
        return lists[0] if lists else []
    return sorted(set().union(*lists))


def _deduplicate(manifests: ManifestSet) -> tuple[list[Document], dict[int, Document]]:
    """AE controller/state.go NormalizeTargetObjects: objects are keyed by (group, kind,
    namespace as Argo CD sets it, name), and of each key "only the last target object" is kept.
    A generateName-only object gets its generateName plus its index as name, so it never
    collides there.  Objects without a kind (not Kubernetes objects) are all kept.
    """
    last: dict[tuple[str, str, str, str], Document] = {}
    keys: list[tuple[str, str, str, str] | None] = []
    namespaces = manifests._namespaces
    destination = manifests.namespace or ""
    custom = manifests.cluster_scoped_custom_kinds
    for doc in manifests.all_documents:
        kind, group, name = doc.kind, doc.group, doc.name  # computed once per document
        group_kind = f"{group}/{kind}"
        if group_kind in CLUSTER_SCOPED or group_kind in custom:  # _cluster_scoped, inline
            namespace = ""
        else:
            namespace = doc.namespace or destination
        namespaces[id(doc)] = namespace
        if not kind or (not name and doc.generate_name):
            keys.append(None)
            continue
        key = (group, kind, namespace, name)
        keys.append(key)
        last[key] = doc
    if len(last) == len(keys) - keys.count(None):
        return list(manifests.all_documents), {}
    kept: list[Document] = []
    replaced: dict[int, Document] = {}
    for doc, maybe_key in zip(manifests.all_documents, keys, strict=True):
        winner = last[maybe_key] if maybe_key is not None else doc
        if winner is doc:
            kept.append(doc)
        else:
            replaced[id(doc)] = winner
    return kept, replaced
