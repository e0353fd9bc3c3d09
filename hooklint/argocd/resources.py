"""Kubernetes facts the rules need: where workloads keep pod specs, what pods reference, scope."""

from __future__ import annotations

from hooklint.argocd.annotations import HELM_HOOK, HELM_WEIGHT, HOOK, SYNC_WAVE
from hooklint.model import Document, YamlPath
from hooklint.values import dataclass

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Any, Iterator

#: Where each workload kind keeps its pod spec.
POD_SPEC_PATHS: dict[str, YamlPath] = {
    "Pod": ("spec",),
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "ReplicationController": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
    "Rollout": ("spec", "template", "spec"),
}


def pod_spec(doc: Document) -> tuple[YamlPath, dict[str, Any]] | None:
    """The object's pod spec and its path, when it has one of the right shape."""
    path = POD_SPEC_PATHS.get(doc.kind)
    if path is None:
        return None
    spec = doc.get(path)
    return (path, spec) if isinstance(spec, dict) else None


def containers(spec: dict[str, Any]) -> Iterator[tuple[YamlPath, dict[str, Any]]]:
    """Every container of a pod spec (init, regular, ephemeral), with its path in the spec."""
    for field in ("initContainers", "containers", "ephemeralContainers"):
        items = spec.get(field)
        if isinstance(items, list):
            for index, item in enumerate(items):
                if isinstance(item, dict):
                    yield (field, index), item


@dataclass(frozen=True)
class PodReference:
    """An object a pod spec needs before its pods can run (a core/v1 kind, by name)."""

    kind: str  # ServiceAccount, ConfigMap, Secret or PersistentVolumeClaim
    name: str
    path: YamlPath  # where the name is written, from the document's root
    field: str  # how the pod uses it, for messages: "serviceAccountName", "envFrom", ...


def pod_references(doc: Document) -> Iterator[PodReference]:
    """Every required reference of the object's pod spec; ``optional: true`` ones are left out."""
    found = pod_spec(doc)
    if found is None:
        return
    base, spec = found
    for key in ("serviceAccountName", "serviceAccount"):
        name = spec.get(key)
        if isinstance(name, str) and name and name != "default":
            yield PodReference("ServiceAccount", name, (*base, key), key)
            break
    pulls = spec.get("imagePullSecrets")
    if isinstance(pulls, list):
        for index, item in enumerate(pulls):
            if isinstance(item, dict) and isinstance(item.get("name"), str) and item["name"]:
                path = (*base, "imagePullSecrets", index, "name")
                yield PodReference("Secret", item["name"], path, "imagePullSecrets")
    volumes = spec.get("volumes")
    if isinstance(volumes, list):
        for index, volume in enumerate(volumes):
            if isinstance(volume, dict):
                yield from _volume_references(volume, (*base, "volumes", index))
    for cpath, container in containers(spec):
        yield from _container_references(container, (*base, *cpath))


#: volume source -> (kind, key of the name)
_VOLUME_SOURCES = {
    "configMap": ("ConfigMap", "name"),
    "secret": ("Secret", "secretName"),
    "persistentVolumeClaim": ("PersistentVolumeClaim", "claimName"),
}
_PROJECTED_SOURCES = {"configMap": "ConfigMap", "secret": "Secret"}


def _named(node: Any, key: str) -> str | None:
    """``node[key]`` when node is a mapping not marked ``optional: true`` and the name is set."""
    if not isinstance(node, dict) or node.get("optional") is True:
        return None
    name = node.get(key)
    return name if isinstance(name, str) and name else None


def _volume_references(volume: dict[str, Any], path: YamlPath) -> Iterator[PodReference]:
    for source, (kind, key) in _VOLUME_SOURCES.items():
        name = _named(volume.get(source), key)
        if name:
            yield PodReference(kind, name, (*path, source, key), f"volume {source}")
    projected = volume.get("projected")
    sources = projected.get("sources") if isinstance(projected, dict) else None
    if isinstance(sources, list):
        for index, item in enumerate(sources):
            if not isinstance(item, dict):
                continue
            for source, kind in _PROJECTED_SOURCES.items():
                name = _named(item.get(source), "name")
                if name:
                    where = (*path, "projected", "sources", index, source, "name")
                    yield PodReference(kind, name, where, f"projected {source}")


def _container_references(container: dict[str, Any], path: YamlPath) -> Iterator[PodReference]:
    env_from = container.get("envFrom")
    if isinstance(env_from, list):
        for index, item in enumerate(env_from):
            if not isinstance(item, dict):
                continue
            for source, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                name = _named(item.get(source), "name")
                if name:
                    yield PodReference(kind, name, (*path, "envFrom", index, source, "name"), "envFrom")
    env = container.get("env")
    if isinstance(env, list):
        for index, item in enumerate(env):
            value_from = item.get("valueFrom") if isinstance(item, dict) else None
            if not isinstance(value_from, dict):
                continue
            for source, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
                name = _named(value_from.get(source), "name")
                if name:
                    yield PodReference(
                        kind, name, (*path, "env", index, "valueFrom", source, "name"), f"env {source}"
                    )


def placement_path(doc: Document) -> YamlPath:
    """Where the object's phase or wave is decided: its sync-wave, hook-weight or hook
    annotation, else its ``kind`` (a default wave-0 Sync resource)."""
    annotations = doc.annotations
    for key in (SYNC_WAVE, HELM_WEIGHT, HOOK, HELM_HOOK):
        if key in annotations:
            return ("metadata", "annotations", key)
    return ("kind",)


#: Built-in cluster-scoped kinds (group/Kind): Argo CD clears their namespace when it
#: deduplicates targets (AE controller/state.go DeduplicateTargetObjects).
CLUSTER_SCOPED = frozenset(
    (
        "/Namespace", "/PersistentVolume", "/Node", "storage.k8s.io/StorageClass",
        "storage.k8s.io/CSIDriver", "storage.k8s.io/VolumeAttachment",
        "rbac.authorization.k8s.io/ClusterRole", "rbac.authorization.k8s.io/ClusterRoleBinding",
        "apiextensions.k8s.io/CustomResourceDefinition", "apiregistration.k8s.io/APIService",
        "networking.k8s.io/IngressClass", "scheduling.k8s.io/PriorityClass",
        "node.k8s.io/RuntimeClass", "admissionregistration.k8s.io/ValidatingWebhookConfiguration",
        "admissionregistration.k8s.io/MutatingWebhookConfiguration",
    )
)  # fmt: skip


def is_cluster_scoped(doc: Document) -> bool:
    return f"{doc.group}/{doc.kind}" in CLUSTER_SCOPED
