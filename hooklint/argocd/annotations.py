"""How Argo CD reads a manifest's annotations: hook types, delete policies, waves.

Every function here mirrors a named piece of Argo CD / gitops-engine source,
cited in ``argocd-semantics.md`` (GE = gitops-engine, AE = argo-cd).
"""

from __future__ import annotations

from hooklint.argocd.version import LATEST, ArgoVersion
from hooklint.model import Document
from hooklint.values import cached_property, dataclass

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
#: First Argo CD release with each delete hook (AE controller/hook.go).
DELETE_HOOK_SINCE = {POST_DELETE: ArgoVersion(2, 10, 0), PRE_DELETE: ArgoVersion(3, 3, 0)}
#: A delete type is found in a comma-separated, trimmed list (argo-cd#26420, 956a6a1352,
#: back-ported to 3.3.3); before, the whole annotation value had to equal it.
DELETE_TYPE_IN_LIST_SINCE = ArgoVersion(3, 3, 3)
#: From 3.3.0 delete hooks are taken out of the sync (AE controller/state.go) ...
DELETE_HOOKS_LEAVE_SYNC_SINCE = ArgoVersion(3, 3, 0)
#: ... unless they also have a sync-phase type (hasGitOpsEngineSyncPhaseHook, argo-cd#26996,
#: 269e0b850b, back-ported to 3.3.5 and 3.4.0).
DELETE_AND_SYNC_HOOK_SINCE = ArgoVersion(3, 3, 5)
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

_ARGO_DELETE_POLICIES = {p: p for p in DELETE_POLICIES}
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
    sign = value[:1] if value[:1] in ("+", "-") else ""
    digits = value[len(sign) :]
    if not (digits.isdigit() and digits.isascii()):  # [+-]?[0-9]+, without compiling a regex
        return None
    digits = digits.lstrip("0") or "0"  # Go accepts any number of leading zeros
    if len(digits) > 19:  # out of range (and Python refuses to convert thousands of digits)
        return None
    number = -int(digits) if sign == "-" else int(digits)
    return number if _INT64_MIN <= number <= _INT64_MAX else None


#: apimachinery 0.33 (8d8a7acdf9, "Coerce null label and annotation values to empty string")
#: reads a null annotation as ""; Argo CD moved to it in 3.1.0 (1df47e9aa4, k8s 1.33.1).
#: Before, a null value made the whole map unreadable, like a number does.
NULL_ANNOTATION_AS_EMPTY_SINCE = ArgoVersion(3, 1, 0)


def argocd_annotations(doc: Document, version: ArgoVersion = LATEST) -> dict[str, str]:
    """The annotations Argo CD's controller reads (``Unstructured.GetAnnotations``): null
    values as "" (from 3.1), none at all when a value is a number, boolean, list or mapping."""
    strings = doc.string_annotations
    if strings is doc.annotations or version is LATEST:  # every value a string, or nulls read as ""
        return strings
    if version < NULL_ANNOTATION_AS_EMPTY_SINCE and doc.null_annotations:
        return {}
    return strings


def annotations_readable(doc: Document, version: ArgoVersion = LATEST) -> bool:
    """False when some annotation value is not a string (a null aside, which reads as ""):
    Argo CD then sees no annotations at all (apimachinery's GetAnnotations returns nil), and
    HL001 reports it."""
    return len(argocd_annotations(doc, version)) == len(doc.annotations)


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

    @cached_property  # read for every object by the plan and several rules
    def sync_phases(self) -> tuple[str, ...]:
        """The sync phases Argo CD creates a task in (syncPhases), in phase order: none for Skip."""
        if self.skip:
            return ()
        if not self.is_hook:
            return (SYNC,)
        return tuple(t for t in (PRE_SYNC, SYNC, POST_SYNC, SYNC_FAIL) if t in self.engine_types)

    @property
    def dropped(self) -> bool:
        """Argo CD never applies it: a hook with no type it knows (ignore.Ignore), so it is
        silently left out of the sync, of sync status and of health.

        This is the shared "never applied" test: HL003 and HL106 report such a resource, and
        every other hook rule stays quiet about it.  (Skip is not "dropped": it is not a hook.)
        """
        return self.is_hook and not self.sync_phases and not self.delete_types

    @property
    def never_applied(self) -> bool:
        """Argo CD never applies it at all: dropped, or Skip (and not a delete hook either).

        Rules about how a resource behaves once applied stay quiet about these.
        """
        return not self.sync_phases and not self.delete_types

    @property
    def never_synced(self) -> bool:
        """Not part of a sync at all (dropped, or only a delete hook)."""
        return not self.sync_phases

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
    annotations = argocd_annotations(doc, version)  # none if a value is not a string or null
    if not annotations:
        return NOT_A_HOOK
    argo = annotations.get(HOOK)
    helm = annotations.get(HELM_HOOK)
    if argo is None and helm is None:
        return NOT_A_HOOK
    argo_items = csv_items(argo) if argo is not None else []
    helm_items = csv_items(helm) if helm is not None else []

    engine = tuple(t for t in argo_items if t in ENGINE_HOOK_TYPES)
    source = "argocd" if engine else ""
    if not engine:
        engine = tuple(dict.fromkeys(HELM_SYNC_TYPES[h] for h in helm_items if h in HELM_SYNC_TYPES))
        source = "helm" if engine else ""

    delete = tuple(
        t for t in DELETE_HOOK_TYPES if _has_delete_type(t, argo, helm, argo_items, helm_items, version)
    )
    if delete and not source:
        source = "argocd" if any(t in argo_items for t in delete) else "helm"

    # hook.IsHook: the Argo CD key decides when present (Skip aside); else any Helm hook but
    # crd-install.  Argo CD's isHook (AE controller/hook.go) adds its delete hooks.
    is_hook = (engine != (SKIP,) if argo is not None else helm != "crd-install") or bool(delete)
    if delete and DELETE_HOOKS_LEAVE_SYNC_SINCE <= version < DELETE_AND_SYNC_HOOK_SINCE:
        engine = ()  # 3.3.0-3.3.4 took every delete hook out of the sync, sync types and all

    policies: set[str] = set()
    for text, mapping in (
        (annotations.get(DELETE_POLICY), _ARGO_DELETE_POLICIES),
        (annotations.get(HELM_DELETE_POLICY), HELM_DELETE_POLICIES),
    ):
        if text is not None:
            policies.update(mapping[p] for p in csv_items(text) if p in mapping)
    return HookInfo(is_hook, engine, delete, source, frozenset(policies))


def _has_delete_type(
    hook_type: str,
    argo: str | None,
    helm: str | None,
    argo_items: list[str],
    helm_items: list[str],
    version: ArgoVersion,
) -> bool:
    """AE controller/hook.go isHookOfType, by Argo CD version."""
    if version < DELETE_HOOK_SINCE[hook_type]:
        return False
    helm_name = "pre-delete" if hook_type == PRE_DELETE else "post-delete"
    if version >= DELETE_TYPE_IN_LIST_SINCE:
        return hook_type in argo_items or helm_name in helm_items
    # before that the whole value had to be exactly the type (no list, no spaces)
    return argo == hook_type or helm == helm_name


@dataclass(frozen=True)
class Wave:
    """syncwaves.Wave: the wave and where it came from."""

    value: int
    source: str  # "sync-wave", "hook-weight" or "default"


def wave_of(doc: Document, version: ArgoVersion = LATEST) -> Wave:
    """sync-wave if Atoi accepts it, else helm.sh/hook-weight if Atoi accepts it, else 0
    (GE pkg/sync/syncwaves/waves.go Wave, hook/helm/weight.go Weight)."""
    annotations = argocd_annotations(doc, version)
    text = annotations.get(SYNC_WAVE)
    if text is not None:
        value = atoi(text)
        if value is not None:
            return Wave(value, "sync-wave")
    text = annotations.get(HELM_WEIGHT)
    if text is not None:
        value = atoi(text)
        if value is not None:
            return Wave(value, "hook-weight")
    return DEFAULT_WAVE


#: The wave of an object that sets none (one value shared: most objects set none).
DEFAULT_WAVE = Wave(0, "default")
