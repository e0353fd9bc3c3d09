"""A manifest set's sync, as the plan command shows it: phases, waves, resources.

Everything comes from :class:`hooklint.syncplan.SyncPlan` (task order, waiting) and
from the checks' own logic for what can block (HL301 ``hang_reason``, HL303
``pvc_deadlocks``), so the plan and the rules never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from hooklint.argocd.annotations import (
    DELETE_HOOK_TYPES,
    DELETE_POLICIES,
    HELM_HOOK,
    HOOK,
    POST_SYNC,
    PRE_SYNC,
    SYNC,
    SYNC_FAIL,
    HookInfo,
)
from hooklint.argocd.syncplan import KIND_RANK, SyncTask
from hooklint.checks.wave_dependencies import pvc_deadlock_reason, pvc_deadlocks
from hooklint.checks.wave_gating import hang_reason
from hooklint.manifests import ManifestSet
from hooklint.model import Document

#: When each phase runs, for the reader.
PHASE_NOTES = {
    PRE_SYNC: "before the Sync phase",
    SYNC: "the application's resources",
    POST_SYNC: "after every Sync-phase resource is Healthy",
    SYNC_FAIL: "only when the sync fails; all at once, waves only order creation",
    "PreDelete": "when the Application is deleted, before its resources; all at once, no waves",
    "PostDelete": "when the Application is deleted, after its resources; all at once, no waves",
}


@dataclass(frozen=True)
class Blocker:
    """Why a waited-on resource can keep the sync from going on, and the rule that says so."""

    rule: str
    reason: str


@dataclass(frozen=True)
class PlanEntry:
    """One resource in one step of the plan."""

    kind: str
    api_version: str
    name: str  # name, or generateName + "*"
    namespace: str  # its own, else the configured one, else ""
    path: str
    line: int
    hook: bool
    waited: bool
    pulled_forward_from: int | None = None  # a Namespace/CRD moved in front of a dependent
    delete_policy: tuple[str, ...] | None = None  # hooks only: the effective policies
    delete_policy_default: bool = False  # no policy written: BeforeHookCreation by default
    blocker: Blocker | None = None
    note: str = ""  # never-applied resources: why

    @property
    def ref(self) -> str:
        return f"{self.kind}/{self.name}"


@dataclass(frozen=True)
class PlanStep:
    """One (phase, wave) step; ``wave`` is None for the delete hooks (no waves)."""

    wave: int | None
    entries: tuple[PlanEntry, ...]

    @property
    def waited(self) -> bool:
        return any(e.waited for e in self.entries)


@dataclass(frozen=True)
class PlanPhase:
    name: str
    note: str
    steps: tuple[PlanStep, ...]


@dataclass(frozen=True)
class SetPlan:
    """The plan of one manifest set (one folder with the default scope)."""

    folder: str
    multi_step: bool
    phases: tuple[PlanPhase, ...]
    never_applied: tuple[PlanEntry, ...]


def build(folder: str, manifests: ManifestSet, custom_kinds: Iterable[str] = ()) -> SetPlan:
    """The plan of a manifest set; ``custom_kinds`` is HL301's ``kinds`` param."""
    plan = manifests.plan
    kinds = frozenset(custom_kinds)
    deadlocks = manifests.shared("pvc-deadlocks", pvc_deadlocks)

    def entry(task: SyncTask) -> PlanEntry:
        doc = task.doc
        waited = plan.waits_on(task)
        blocker = None
        if waited:
            deadlock = deadlocks.get(id(doc))
            if deadlock is not None and deadlock.task is task:
                blocker = Blocker("HL303", pvc_deadlock_reason(doc, deadlock))
            elif doc.kind != "PersistentVolumeClaim" or doc.group != "":
                hang = hang_reason(doc, kinds)
                if hang is not None:
                    blocker = Blocker("HL301", f"can stay {hang[0]}: {hang[1]}")
        original = plan.of(doc).wave.value if task.pulled_forward else None
        return _entry(manifests, doc, plan.of(doc).hook, waited, original, blocker)

    phases: list[PlanPhase] = []
    for phase in (PRE_SYNC, SYNC, POST_SYNC, SYNC_FAIL):
        steps: list[PlanStep] = []
        current: list[PlanEntry] = []
        wave: int | None = None
        for task in plan.tasks:
            if task.phase != phase:
                continue
            if current and task.wave != wave:
                steps.append(PlanStep(wave, tuple(current)))
                current = []
            wave = task.wave
            current.append(entry(task))
        if current:
            steps.append(PlanStep(wave, tuple(current)))
        if steps:
            phases.append(PlanPhase(phase, PHASE_NOTES[phase], tuple(steps)))

    never: list[PlanEntry] = []
    deleting: dict[str, list[Document]] = {t: [] for t in DELETE_HOOK_TYPES}
    for doc in manifests.documents:
        resource = plan.of(doc)
        hook = resource.hook
        for hook_type in hook.delete_types:
            deleting[hook_type].append(doc)
        if resource.tasks or hook.delete_types:
            continue
        note = _never_applied_reason(doc, hook)
        if note:
            never.append(_entry(manifests, doc, hook, False, None, None, note))
    for hook_type in DELETE_HOOK_TYPES:
        docs = sorted(
            deleting[hook_type], key=lambda d: (KIND_RANK.get(d.kind, 0), d.name or d.generate_name)
        )
        if docs:
            step = PlanStep(
                None, tuple(_entry(manifests, d, plan.of(d).hook, True, None, None) for d in docs)
            )
            phases.append(PlanPhase(hook_type, PHASE_NOTES[hook_type], (step,)))
    return SetPlan(folder, plan.multi_step, tuple(phases), tuple(never))


def _entry(
    manifests: ManifestSet,
    doc: Document,
    hook: HookInfo,
    waited: bool,
    pulled_from: int | None,
    blocker: Blocker | None,
    note: str = "",
) -> PlanEntry:
    policies = None
    if hook.is_hook and not note:  # a dropped resource has no lifecycle to show
        policies = tuple(p for p in DELETE_POLICIES if p in hook.delete_policies)
    return PlanEntry(
        kind=doc.kind,
        api_version=doc.api_version,
        name=doc.display_name,
        namespace=manifests.namespace_of(doc) or "",
        path=doc.file.path,
        line=doc.start.line,
        hook=hook.is_hook,
        waited=waited,
        pulled_forward_from=pulled_from,
        delete_policy=policies,
        delete_policy_default=policies is not None and not hook.explicit_policies,
        blocker=blocker,
        note=note,
    )


def _never_applied_reason(doc: Document, hook: HookInfo) -> str:
    if hook.skip:
        return "hook type Skip: Argo CD never applies it"
    if hook.dropped:
        value = doc.annotation(HOOK)
        key = HOOK
        if value is None:
            value, key = doc.annotation(HELM_HOOK), HELM_HOOK
        return f'{key} "{value}" names no hook type Argo CD knows: it silently drops the resource'
    return ""
