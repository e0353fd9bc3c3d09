"""A manifest set's sync, as the plan command shows it: phases, waves, resources.

Everything comes from :class:`hooklint.syncplan.SyncPlan` (task order, waiting) and
from the checks' own logic for what can block (HL301 ``hang_reason``, HL303
``pvc_deadlocks``), so the plan and the rules never disagree.
"""

from __future__ import annotations

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
    annotations_readable,
)
from hooklint.argocd.syncplan import COLLAPSED_REASON, KIND_RANK, SyncTask
from hooklint.checks.wave_dependencies import pvc_deadlock_reason, pvc_deadlocks
from hooklint.checks.wave_gating import hang_reason
from hooklint.manifests import ManifestSet
from hooklint.model import Document
from hooklint.values import dataclass, replace

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
    namespace: str  # as Argo CD sets it: "" if cluster-scoped, else its own or the destination
    path: str
    line: int
    hook: bool
    waited: bool
    pulled_forward_from: int | None = None  # a Namespace/CRD moved in front of a dependent
    delete_policy: tuple[str, ...] | None = None  # hooks only: the effective policies
    delete_policy_default: bool = False  # no policy written: BeforeHookCreation by default
    blocker: Blocker | None = None
    note: str = ""  # never-applied resources: why
    pulled_forward_phase: str | None = None  # the phase it was pulled from
    unordered: int | None = None  # a run (numbered per step) whose order Argo CD does not fix
    unordered_reason: str = ""
    warnings: tuple[str, ...] = ()  # what else Argo CD does with it (null annotations, ...)

    @property
    def ref(self) -> str:
        return f"{self.kind}/{self.name}"


@dataclass(frozen=True)
class PlanStep:
    """One (phase, wave) step; ``wave`` is None for the delete hooks (no waves)."""

    wave: int | None
    entries: tuple[PlanEntry, ...]
    phase: str = SYNC

    @property
    def waited(self) -> bool:
        return any(e.waited for e in self.entries)

    @property
    def unordered(self) -> tuple[tuple[int, int, str], ...]:
        """(first, last, reason) index ranges of ``entries`` in no order Argo CD fixes."""
        runs: dict[int, list[int]] = {}
        reasons: dict[int, str] = {}
        for index, entry in enumerate(self.entries):
            if entry.unordered is not None:
                runs.setdefault(entry.unordered, []).append(index)
                reasons[entry.unordered] = entry.unordered_reason
        return tuple((r[0], r[-1], reasons[g]) for g, r in runs.items())


@dataclass(frozen=True)
class PlanPhase:
    name: str
    note: str
    steps: tuple[PlanStep, ...]
    wave_order: str = ""  # why Argo CD's wave order in this phase is not determined, if it is not


@dataclass(frozen=True)
class SetPlan:
    """The plan of one manifest set (one folder with the default scope)."""

    folder: str
    multi_step: bool
    phases: tuple[PlanPhase, ...]
    never_applied: tuple[PlanEntry, ...]
    replaced: tuple[PlanEntry, ...] = ()  # copies Argo CD drops for a later one (note: which)


def build(folder: str, manifests: ManifestSet, custom_kinds: Iterable[str] = ()) -> SetPlan:
    """The plan of a manifest set; ``custom_kinds`` is HL301's ``kinds`` param."""
    plan = manifests.plan
    kinds = frozenset(custom_kinds)
    deadlocks = manifests.shared("pvc-deadlocks", pvc_deadlocks)

    def entry(task: SyncTask) -> PlanEntry:
        doc = task.doc
        # SyncFail hooks all start together and only end the (failed) sync: no wave waits
        waited = plan.waits_on(task) and task.phase != SYNC_FAIL
        blocker = None
        if waited:
            deadlock = deadlocks.get(id(doc))
            if deadlock is not None and deadlock.task is task:
                blocker = Blocker("HL303", pvc_deadlock_reason(doc, deadlock))
            elif doc.kind != "PersistentVolumeClaim" or doc.group != "":
                hang = hang_reason(doc, kinds)
                if hang is not None:
                    blocker = Blocker("HL301", f"can stay {hang[0]}: {hang[1]}")
        resource = plan.of(doc)
        original = resource.wave.value if task.pulled_forward else None
        made = _entry(manifests, doc, resource.hook, waited, original, blocker)
        run = plan.unordered.get(id(task))
        from_phase = None
        if task.pulled_forward:
            phases = resource.hook.sync_phases
            from_phase = phases[0] if len(phases) == 1 else None
        return replace(
            made,
            pulled_forward_phase=from_phase,
            unordered=run.group if run else None,
            unordered_reason=run.reason if run else "",
        )

    phases: list[PlanPhase] = []
    for phase in (PRE_SYNC, SYNC, POST_SYNC, SYNC_FAIL):
        steps: list[PlanStep] = []
        current: list[PlanEntry] = []
        wave: int | None = None
        for task in plan.tasks:
            if task.phase != phase:
                continue
            if current and task.wave != wave:
                steps.append(PlanStep(wave, tuple(current), phase))
                current = []
            wave = task.wave
            current.append(entry(task))
        if current:
            steps.append(PlanStep(wave, tuple(current), phase))
        if steps:
            wave_order = plan.wave_order_unknown.get(phase, "")
            phases.append(PlanPhase(phase, PHASE_NOTES[phase], tuple(steps), wave_order))

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
        kept = plan.collapsed_into.get(id(doc))
        if kept is not None:
            note = _collapsed_note(manifests, kept) + f"; the plan shows {kept.file.path}:{kept.start.line}"
        if note:
            never.append(_entry(manifests, doc, hook, False, None, None, note))
    replaced = tuple(
        _entry(
            manifests,
            doc,
            plan.of(doc).hook,
            False,
            None,
            None,
            f"defined again at {later.file.path}:{later.start.line}: Argo CD keeps only the last "
            "copy (HL307)",
        )
        for doc in manifests.all_documents
        for later in (manifests.replaced_by.get(id(doc)),)
        if later is not None
    )
    for hook_type in DELETE_HOOK_TYPES:
        docs = sorted(
            deleting[hook_type], key=lambda d: (KIND_RANK.get(d.kind, 0), d.name or d.generate_name)
        )
        if docs:
            step = PlanStep(
                None, tuple(_entry(manifests, d, plan.of(d).hook, True, None, None) for d in docs)
            )
            phases.append(PlanPhase(hook_type, PHASE_NOTES[hook_type], (step,)))
    return SetPlan(folder, plan.multi_step, tuple(phases), tuple(never), replaced)


def _collapsed_note(manifests: ManifestSet, kept: Document) -> str:
    namespace = manifests.argocd_namespace(kept)
    where = f" in namespace {namespace}" if namespace else ""
    return COLLAPSED_REASON.format(ref=kept.kind, where=where)


def _warnings(manifests: ManifestSet, doc: Document) -> tuple[str, ...]:
    """What Argo CD does with the object besides the plan: one of several generateName-only
    resources of one key, a null annotation value."""
    out: list[str] = []
    group = manifests.plan.collapsed.get(id(doc))
    if group is not None:
        out.append(_collapsed_note(manifests, doc) + f" ({len(group)} here): the plan shows this one")
    nulls = doc.null_annotations
    if not nulls or not annotations_readable(doc, manifests.version):
        return tuple(out)
    keys = ", ".join(f'"{key}"' for key in nulls)
    text = f"annotation {keys} has no value: Argo CD reads it as \"\" (HL001)"
    if doc.kind != "CustomResourceDefinition" or doc.group != "apiextensions.k8s.io":
        text += "; with annotation-based tracking (the default) the repo-server refuses the object"
    return (*out, text)


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
    file, start = doc.where(())  # a rendered object's own source line, not the rendered text's
    return PlanEntry(
        kind=doc.kind,
        api_version=doc.api_version,
        name=doc.display_name,
        namespace=manifests.argocd_namespace(doc),
        path=file.path,
        line=start.line,
        hook=hook.is_hook,
        waited=waited,
        pulled_forward_from=pulled_from,
        delete_policy=policies,
        delete_policy_default=policies is not None and not hook.explicit_policies,
        blocker=blocker,
        note=note,
        warnings=_warnings(manifests, doc),
    )


def _never_applied_reason(doc: Document, hook: HookInfo) -> str:
    if hook.skip:
        return "hook type Skip: Argo CD never applies it"
    if hook.dropped:
        annotations = doc.string_annotations
        value = annotations.get(HOOK)
        key = HOOK
        if value is None:
            value, key = annotations.get(HELM_HOOK), HELM_HOOK
        return f'{key} "{value}" names no hook type Argo CD knows: it silently drops the resource'
    return ""
