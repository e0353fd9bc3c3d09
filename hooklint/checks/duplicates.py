"""HL307 duplicate-resource."""

from __future__ import annotations

from typing import Iterator

from hooklint.check import Check, CheckContext, Related, Violation
from hooklint.k8s import is_cluster_scoped
from hooklint.model import Document


def _where(namespace: str | None) -> str:
    return f" in namespace {namespace}" if namespace else ""


class DuplicateResource(Check):
    key = "duplicate-resource"

    def run(self, context: CheckContext) -> Iterator[Violation]:
        manifests = context.manifests
        plan = manifests.plan
        seen: dict[tuple[str, str, str, str], Document] = {}
        generated: dict[tuple[str, str, str, str, str], Document] = {}
        for doc in manifests.documents:
            if not doc.kind:
                continue
            namespace = None if is_cluster_scoped(doc) else manifests.namespace_of(doc)
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
                    "manifest set: Argo CD reports RepeatedResourceWarning and silently keeps only "
                    "the last definition; remove or rename one of them",
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
