"""HL307 duplicate-resource."""

from __future__ import annotations

from hooklint.argocd.resources import is_cluster_scoped
from hooklint.check import Check, CheckContext, Related, Violation
from hooklint.manifests import ManifestSet
from hooklint.model import Document

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Iterator


def _cluster_scoped_custom_kinds(manifests: ManifestSet) -> frozenset[str]:
    """group/Kind of the custom resources whose CRD in this set says ``scope: Cluster``."""
    out = set()
    for crd in manifests.by_kind.get("CustomResourceDefinition", ()):
        group, kind = crd.get(("spec", "group")), crd.get(("spec", "names", "kind"))
        if crd.get(("spec", "scope")) == "Cluster" and isinstance(group, str) and isinstance(kind, str):
            out.add(f"{group}/{kind}")
    return frozenset(out)


def _cluster_note(cluster: bool, doc: Document, first: Document) -> str:
    if cluster and doc.namespace != first.namespace:
        return f" ({doc.kind} is cluster-scoped: Argo CD ignores metadata.namespace)"
    return ""


def _where(namespace: str | None) -> str:
    return f" in namespace {namespace}" if namespace else ""


class DuplicateResource(Check):
    key = "duplicate-resource"

    def run(self, context: CheckContext) -> Iterator[Violation]:
        manifests = context.manifests
        plan = manifests.plan
        seen: dict[tuple[str, str, str, str], Document] = {}
        generated: dict[tuple[str, str, str, str, str], Document] = {}
        cluster_kinds = _cluster_scoped_custom_kinds(manifests)
        for doc in manifests.all_documents:  # the copies Argo CD drops too
            if not doc.kind:
                continue
            cluster = is_cluster_scoped(doc) or f"{doc.group}/{doc.kind}" in cluster_kinds
            namespace = None if cluster else manifests.namespace_of(doc)
            if doc.name:
                key = (doc.group, doc.kind, namespace or "", doc.name)
                first = seen.get(key)
                if first is None:
                    seen[key] = doc
                    continue
                yield Violation(
                    doc,
                    ("metadata", "name"),
                    f"{doc.ref}{_where(namespace)} ({doc.api_version}) is defined again in this "
                    f"manifest set{_cluster_note(cluster, doc, first)}: Argo CD reports "
                    "RepeatedResourceWarning and silently keeps only the last definition; "
                    "remove or rename one of them",
                    (Related(first, ("metadata", "name"), f"first definition of {first.ref}"),),
                )
                continue
            if not doc.generate_name:
                continue
            resource = plan.of(doc)
            if not resource.hook.is_hook:
                continue
            for task in resource.tasks:
                gkey = (doc.group, doc.kind, namespace or "", doc.generate_name, task.phase)
                other = generated.get(gkey)
                if other is None:
                    generated[gkey] = doc
                    continue
                yield Violation(
                    doc,
                    ("metadata", "generateName"),
                    f"{task.phase} hook {doc.ref}{_where(namespace)} has the same kind and "
                    f"generateName as {other.ref}: Argo CD names both "
                    f'"{doc.generate_name}<revision>-{task.phase.lower()}-<time>" in the same sync, so '
                    'the second is applied over the first (a Job fails with "field is immutable") '
                    "and only one of them runs; give each hook its own generateName",
                    (Related(other, ("metadata", "generateName"), f"{other.ref} gets the same name"),),
                )
