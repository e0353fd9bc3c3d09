"""How Argo CD reads a manifest's annotations: hook types, delete policies, waves.

Every function here mirrors a named piece of Argo CD / gitops-engine source,
cited in ``argocd-semantics.md`` (GE = gitops-engine, AE = argo-cd).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

from hooklint.model import Document, YamlPath
from hooklint.version import LATEST, ArgoVersion

HOOK = "argocd.argoproj.io/hook"
DELETE_POLICY = "argocd.argoproj.io/hook-delete-policy"
SYNC_WAVE = "argocd.argoproj.io/sync-wave"
SYNC_OPTIONS = "argocd.argoproj.io/sync-options"
HELM_HOOK = "helm.sh/hook"
HELM_WEIGHT = "helm.sh/hook-weight"
HELM_DELETE_POLICY = "helm.sh/hook-delete-policy"

PRE_SYNC, SYNC, POST_SYNC, SYNC_FAIL, SKIP = "PreSync", "Sync", "PostSync", "SyncFail", "Skip"
PRE_DELETE, POST_DELETE = "PreDelete", "PostDelete"
#: gitops-engine's hook types (GE pkg/sync/common/types.go NewHookType).
ENGINE_HOOK_TYPES = (PRE_SYNC, SYNC, POST_SYNC, SYNC_FAIL, SKIP)
#: Argo CD's own delete hooks (AE controller/hook.go).
DELETE_HOOK_TYPES = (PRE_DELETE, POST_DELETE)
ALL_HOOK_TYPES = ENGINE_HOOK_TYPES + DELETE_HOOK_TYPES
#: Sync phases in execution order (GE sync_tasks.go syncPhaseOrder).
PHASE_ORDER = {PRE_SYNC: -1, SYNC: 0, POST_SYNC: 1, SYNC_FAIL: 2}

#: helm.sh/hook values gitops-engine maps to sync phases (GE pkg/sync/hook/helm/type.go).
HELM_SYNC_TYPES = {
    "pre-install": PRE_SYNC,
    "pre-upgrade": PRE_SYNC,
    "post-install": POST_SYNC,
    "post-upgrade": POST_SYNC,
}
#: helm.sh/hook values Argo CD maps to its delete hooks (AE controller/hook.go).
HELM_DELETE_TYPES = {"pre-delete": PRE_DELETE, "post-delete": POST_DELETE}

BEFORE_HOOK_CREATION, HOOK_SUCCEEDED, HOOK_FAILED = (
    "BeforeHookCreation",
    "HookSucceeded",
    "HookFailed",
)
DELETE_POLICIES = (BEFORE_HOOK_CREATION, HOOK_SUCCEEDED, HOOK_FAILED)
#: helm.sh/hook-delete-policy -> Argo CD policy (GE pkg/sync/hook/helm/delete_policy.go).
HELM_DELETE_POLICIES = {
    "before-hook-creation": BEFORE_HOOK_CREATION,
    "hook-succeeded": HOOK_SUCCEEDED,
    "hook-failed": HOOK_FAILED,
}

_ATOI_RE = re.compile(r"[+-]?[0-9]+", re.ASCII)
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def csv_items(value: str) -> list[str]:
    """GetAnnotationCSVs: split on ',', trim, drop empty items and duplicates (order kept)."""
    out: list[str] = []
    for item in value.split(","):
        item = item.strip()
        if item and item not in out:
            out.append(item)
    return out


def atoi(value: str) -> int | None:
    """Go's strconv.Atoi on a 64-bit platform: the int, or None for a syntax or range error."""
    if not _ATOI_RE.fullmatch(value):
        return None
    digits = value.lstrip("+-").lstrip("0") or "0"  # Go accepts any number of leading zeros
    if len(digits) > 19:  # out of range (and Python refuses to convert thousands of digits)
        return None
    number = -int(digits) if value.startswith("-") else int(digits)
    return number if _INT64_MIN <= number <= _INT64_MAX else None


def _annotation_text(doc: Document, key: str) -> str | None:
    """The annotation as Argo CD sees it: None when absent, or when any annotation value is
    not a string (apimachinery's GetAnnotations then returns nil for the whole map)."""
    annotations = doc.annotations
    if key not in annotations:
        return None
    if not all(isinstance(v, str) for v in annotations.values()):
        return None
    value = annotations[key]
    return value if isinstance(value, str) else None


@dataclass(frozen=True)
class HookInfo:
    """What Argo CD makes of one object's hook annotations."""

    is_hook: bool  # hook.IsHook: never a normal managed resource
    engine_types: tuple[str, ...]  # gitops-engine types (Argo first, Helm as fallback)
    delete_types: tuple[str, ...]  # PreDelete / PostDelete (Argo CD's app-deletion hooks)
    source: str  # "argocd", "helm" or "" (where the types came from)
    explicit_policies: frozenset[str]  # valid policies written on the object (Argo + Helm)

    @property
    def skip(self) -> bool:
        """hook.Skip: Skip is the only valid type."""
        return self.engine_types == (SKIP,)

    @property
    def sync_phases(self) -> tuple[str, ...]:
        """The sync phases Argo CD creates a task in (syncPhases), in phase order."""
        if not self.is_hook:
            return (SYNC,)
        return tuple(t for t in (PRE_SYNC, SYNC, POST_SYNC, SYNC_FAIL) if t in self.engine_types)

    @property
    def dropped(self) -> bool:
        """Argo CD never applies it: Skip, or a hook with no type it knows (ignore.Ignore)."""
        return self.is_hook and not self.sync_phases and not self.delete_types

    @property
    def never_synced(self) -> bool:
        """Not part of a sync at all (dropped, or only a delete hook)."""
        return self.is_hook and not self.sync_phases

    @property
    def delete_policies(self) -> frozenset[str]:
        """hook.DeletePolicies: the explicit ones, else BeforeHookCreation."""
        return self.explicit_policies or frozenset((BEFORE_HOOK_CREATION,))

    @property
    def types(self) -> tuple[str, ...]:
        return tuple(t for t in self.engine_types if t != SKIP) + self.delete_types


NOT_A_HOOK = HookInfo(False, (), (), "", frozenset())


def hook_info(doc: Document, version: ArgoVersion = LATEST) -> HookInfo:
    """hook.IsHook / hook.Types / hook.DeletePolicies, plus Argo CD's delete hooks."""
    annotations = doc.annotations
    if not annotations:
        return NOT_A_HOOK
    argo = _annotation_text(doc, HOOK)
    helm = _annotation_text(doc, HELM_HOOK)
    if argo is None and helm is None:
        return NOT_A_HOOK
    argo_items = csv_items(argo) if argo is not None else []
    helm_items = csv_items(helm) if helm is not None else []

    engine = tuple(t for t in argo_items if t in ENGINE_HOOK_TYPES)
    source = "argocd" if engine else ""
    if not engine:
        engine = tuple(dict.fromkeys(HELM_SYNC_TYPES[h] for h in helm_items if h in HELM_SYNC_TYPES))
        source = "helm" if engine else ""

    delete = tuple(t for t in DELETE_HOOK_TYPES if _has_delete_type(t, argo, argo_items, helm_items, version))
    if delete and not source:
        source = "argocd" if any(t in argo_items for t in delete) else "helm"

    # IsHook: the Argo CD key decides when present (Skip aside); else any Helm hook but crd-install
    is_hook = engine != (SKIP,) if argo is not None else helm != "crd-install"

    policies: set[str] = set()
    for text, mapping in (
        (_annotation_text(doc, DELETE_POLICY), {p: p for p in DELETE_POLICIES}),
        (_annotation_text(doc, HELM_DELETE_POLICY), HELM_DELETE_POLICIES),
    ):
        if text is not None:
            policies.update(mapping[p] for p in csv_items(text) if p in mapping)
    return HookInfo(is_hook, engine, delete, source, frozenset(policies))


def _has_delete_type(
    hook_type: str, argo: str | None, argo_items: list[str], helm_items: list[str], version: ArgoVersion
) -> bool:
    """AE controller/hook.go isHookOfType, by Argo CD version."""
    introduced = ArgoVersion(3, 3, 0) if hook_type == PRE_DELETE else ArgoVersion(2, 10, 0)
    if version < introduced:
        return False
    helm_name = "pre-delete" if hook_type == PRE_DELETE else "post-delete"
    if version >= ArgoVersion(3, 5, 0):
        return hook_type in argo_items or helm_name in helm_items
    # before 3.5 the whole value had to be exactly the type
    return argo == hook_type or helm_items == [helm_name]


@dataclass(frozen=True)
class Wave:
    """syncwaves.Wave: the wave and where it came from."""

    value: int
    source: str  # "sync-wave", "hook-weight" or "default"


def wave_of(doc: Document) -> Wave:
    """sync-wave if Atoi accepts it, else helm.sh/hook-weight if Atoi accepts it, else 0."""
    text = _annotation_text(doc, SYNC_WAVE)
    if text is not None:
        value = atoi(text)
        if value is not None:
            return Wave(value, "sync-wave")
    text = _annotation_text(doc, HELM_WEIGHT)
    if text is not None:
        value = atoi(text)
        if value is not None:
            return Wave(value, "hook-weight")
    return Wave(0, "default")


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
