"""HL302 wave-dependency-inversion and HL303 pvc-gated-before-consumer.

Both compare the (phase, wave) step of objects that depend on each other, so they
index the manifest set once (``ManifestSet.find``) and never compare all pairs.
"""

from __future__ import annotations

from hooklint.argocd.resources import POD_SPEC_PATHS, placement_path, pod_references
from hooklint.argocd.syncplan import SyncTask, describe_step
from hooklint.check import Check, CheckContext, Related, Violation
from hooklint.manifests import ManifestSet
from hooklint.model import Document
from hooklint.values import dataclass

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Iterator

#: What goes wrong while a pod's dependency does not exist yet, by how the pod uses it.
_EFFECTS = {
    "ServiceAccount": "the API server refuses to create its pods until it exists",
    "PersistentVolumeClaim": "its pods stay Pending until it exists",
    "imagePullSecrets": "pulls of a private image fail until it exists",
    "envFrom": "its containers fail with CreateContainerConfigError until it exists",
    "env": "its containers fail with CreateContainerConfigError until it exists",
    "volume": "its pods stay in ContainerCreating until it exists",
    "projected": "its pods stay in ContainerCreating until it exists",
}


def _effect(kind: str, field: str) -> str:
    if kind in ("ServiceAccount", "PersistentVolumeClaim"):
        return _EFFECTS[kind]
    return _EFFECTS.get(field.split(" ")[0], "its pods cannot start until it exists")


def _step_pair(a: SyncTask, b: SyncTask) -> tuple[str, str]:
    """Both steps as text, naming the Sync phase when the other step is in another phase."""
    if a.phase == b.phase:
        return describe_step(a), describe_step(b)
    return f"{a.phase} wave {a.wave}", f"{b.phase} wave {b.wave}"


def _first_task(manifests: ManifestSet, doc: Document) -> SyncTask | None:
    tasks = manifests.plan.of(doc).tasks
    return tasks[0] if tasks else None


class WaveDependencyInversion(Check):
    key = "wave-dependency-inversion"

    def run(self, context: CheckContext) -> Iterator[Violation]:
        manifests = context.manifests
        plan = manifests.plan
        for doc in manifests.documents:
            if doc.kind not in POD_SPEC_PATHS:
                continue  # no pod spec, so no reference (pod_references yields none)
            first = _first_task(manifests, doc)
            if first is None:
                continue
            namespace = manifests.namespace_of(doc)
            for ref in pod_references(doc):
                providers = [
                    (task, provider)
                    for provider in manifests.find("", ref.kind, ref.name, namespace)
                    if provider is not doc and (task := _first_task(manifests, provider)) is not None
                ]
                if not providers:
                    continue  # not part of this set (or never applied): not ours to judge
                task, provider = min(providers, key=lambda p: p[0].step)
                if task.step <= first.step:
                    continue
                mine, theirs = _step_pair(first, task)
                message = (
                    f"{doc.ref} in {mine} needs {ref.kind}/{ref.name} "
                    f"({ref.field}), which Argo CD applies only later, in {theirs}: "
                    f"{_effect(ref.kind, ref.field)}"
                )
                if plan.waits_on(first) and doc.kind != "CronJob":
                    message += (
                        f", and Argo CD waits for {doc.ref} to turn Healthy before "
                        f"{plan.blocked_by(first)}, so the sync hangs"
                    )
                message += f"; move {ref.kind}/{ref.name} to {mine} or earlier"
                yield Violation(
                    doc,
                    ref.path,
                    message,
                    (Related(provider, placement_path(provider), f"{provider.ref} is applied in {theirs}"),),
                )


@dataclass(frozen=True)
class PvcDeadlock:
    """A health-gated PVC whose every consumer comes later."""

    task: SyncTask  # the PVC's gated task
    consumers: tuple[tuple[Document, SyncTask, tuple[str | int, ...]], ...]  # doc, first task, claim path
    storage_class: str  # "" when unknown
    certain: bool  # the storage class in this set says WaitForFirstConsumer


def pvc_deadlocks(manifests: ManifestSet) -> dict[int, PvcDeadlock]:
    """id(PVC document) -> why it deadlocks, for every such PVC in the set (one pass)."""
    plan = manifests.plan
    pvcs = [doc for doc in manifests.by_kind.get("PersistentVolumeClaim", ()) if doc.group == ""]
    if not pvcs:
        return {}
    consumers: dict[int, list[tuple[Document, SyncTask, tuple[str | int, ...]]]] = {}
    for doc in manifests.documents:
        refs = [r for r in pod_references(doc) if r.kind == "PersistentVolumeClaim"]
        first = _first_task(manifests, doc) if refs else None
        if first is None:
            continue
        for ref in refs:
            for pvc in manifests.find("", ref.kind, ref.name, manifests.namespace_of(doc)):
                consumers.setdefault(id(pvc), []).append((doc, first, ref.path))
    out: dict[int, PvcDeadlock] = {}
    for pvc in pvcs:
        users = consumers.get(id(pvc))
        gated = [t for t in plan.of(pvc).tasks if plan.waits_on(t)]
        if not users or not gated or pvc.get(("spec", "volumeName")):
            continue  # no consumer here, not waited on, or pre-bound to a volume
        task = gated[0]
        if any(step.step <= task.step for _, step, _ in users):
            continue
        storage_class = _storage_class(pvc)
        if storage_class == "":
            continue  # no class: static binding, never WaitForFirstConsumer
        certain = False
        if storage_class is not None:
            classes = manifests.find("storage.k8s.io", "StorageClass", storage_class, None)
            if classes:
                if classes[-1].get(("volumeBindingMode",)) != "WaitForFirstConsumer":
                    continue  # Immediate binding: it binds without a pod
                certain = True
        out[id(pvc)] = PvcDeadlock(task, tuple(users), storage_class or "", certain)
    return out


def _storage_class(pvc: Document) -> str | None:
    """spec.storageClassName (or the beta annotation); None when unset (the cluster default)."""
    name = pvc.get(("spec", "storageClassName"))
    if name is None:
        name = pvc.annotations.get("volume.beta.kubernetes.io/storage-class")
    return name if isinstance(name, str) else None


def pvc_deadlock_reason(pvc: Document, deadlock: PvcDeadlock) -> str:
    """Why the PVC can stay Pending forever (shared by HL303 and ``hooklint plan``)."""
    if deadlock.certain:
        binding = f"its storage class {deadlock.storage_class} is WaitForFirstConsumer, so it stays Pending"
    elif deadlock.storage_class:
        binding = (
            f"if its storage class {deadlock.storage_class} is WaitForFirstConsumer "
            "(as most cloud default classes are), it stays Pending"
        )
    else:
        binding = (
            "with the cluster's default storage class, WaitForFirstConsumer on most clouds, it stays Pending"
        )
    return f"{binding} until a pod that mounts it is scheduled, and every such pod comes later"


class PvcGatedBeforeConsumer(Check):
    key = "pvc-gated-before-consumer"

    def run(self, context: CheckContext) -> Iterator[Violation]:
        manifests = context.manifests
        plan = manifests.plan
        for pvc in manifests.by_kind.get("PersistentVolumeClaim", ()):
            deadlock = manifests.shared("pvc-deadlocks", pvc_deadlocks).get(id(pvc))
            if deadlock is None:
                continue
            task = deadlock.task
            first_user, user_task, _ = min(deadlock.consumers, key=lambda c: c[1].step)
            mine, theirs = _step_pair(task, user_task)
            yield Violation(
                pvc,
                placement_path(pvc),
                f"{pvc.ref} in {mine} is waited on until it is Bound, but "
                f"{pvc_deadlock_reason(pvc, deadlock)} ({first_user.ref} in "
                f"{theirs}): Argo CD never gets to {plan.blocked_by(task)}; "
                f"put {pvc.ref} in {theirs} with its first consumer",
                tuple(
                    Related(user, path, f"{user.ref} mounts it in {describe_step(step)}")
                    for user, step, path in deadlock.consumers
                ),
            )
