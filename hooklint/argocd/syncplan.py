"""The sync Argo CD will run for a manifest set: tasks, their order, and what it waits on.

Mirrors gitops-engine's ``getSyncTasks`` / ``syncTasks.Sort`` (phase, wave, kind
order, name; then Namespaces and CRDs pulled in front of their first dependent)
and ``syncContext.Sync``'s waiting rules:

- hooks are always waited on;
- a non-hook resource is waited on only when the task list is *multi-step*
  (its first and last tasks differ in phase or wave; SyncFail hooks count) and
  the resource is not in the final (phase, wave) -- or that final step also
  holds hooks.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import pairwise

from hooklint.argocd.annotations import (
    PHASE_ORDER,
    POST_SYNC,
    PRE_SYNC,
    SYNC,
    SYNC_FAIL,
    HookInfo,
    Wave,
    hook_info,
    wave_of,
)
from hooklint.argocd.version import LATEST, ArgoVersion
from hooklint.model import Document
from hooklint.values import dataclass, replace

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Callable, Iterable, Iterator

#: GE sync_tasks.go kindOrder (Helm's install order); every other kind sorts after these.
KIND_ORDER: tuple[str, ...] = (
    "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy",
    "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList", "ConfigMap",
    "StorageClass", "PersistentVolume", "PersistentVolumeClaim", "CustomResourceDefinition",
    "ClusterRole", "ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList",
    "Role", "RoleList", "RoleBinding", "RoleBindingList", "Service", "DaemonSet", "Pod",
    "ReplicationController", "ReplicaSet", "Deployment", "HorizontalPodAutoscaler",
    "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService",
)  # fmt: skip
KIND_RANK = {kind: index - len(KIND_ORDER) for index, kind in enumerate(KIND_ORDER)}


#: Go's sort.Sort (pdqsort, src/sort/zsortinterface.go) insertion-sorts up to 12 elements,
#: which keeps ties in input order; longer lists are not sorted stably.
STABLE_SORT_MAX = 12
_U64 = 2**64
_HALF = 2**63
#: A concrete stand-in for the "<revision>-<phase>-<time>" Argo CD appends to a hook's
#: generateName: every order the plan calls determined holds for any suffix.
_GENERATED_SUFFIX = "0000000-phase-0"

TIE_REASON = (
    "same phase, wave, kind and name: Argo CD's order among these is not determined "
    "(its task list comes from Go maps)"
)
UNSTABLE_REASON = (
    "same phase, wave, kind and name: Argo CD's order among these is not determined "
    "(Go's sort.Sort is not stable for more than 12 tasks)"
)
REVISION_REASON = (
    "order among these depends on the revision: Argo CD names a generateName hook "
    "<generateName><revision>-<phase>-<time> before sorting"
)
WAVE_WRAP_REASON = (
    "waves 2^63 or more apart: Go's int64 wave subtraction wraps, so Argo CD's sort has no "
    "defined wave order here"
)
COLLAPSED_REASON = (
    "Argo CD keeps only one of the generateName-only {ref}s{where}: they share one resource "
    "key (name \"\"), and which one is kept depends on Go map order"
)


@dataclass(frozen=True)
class SyncTask:
    """One apply Argo CD performs: a resource in one phase."""

    doc: Document
    phase: str
    wave: int
    is_hook: bool
    pulled_forward: bool = False  # a Namespace/CRD moved in front of its first dependent
    name: str = ""  # GetName() as Argo CD sorts on it; for a generated hook, its generateName
    generated: bool = False  # a hook Argo CD names generateName + "<revision>-<phase>-<time>"
    wave_rank: int = 0  # the wave's rank in Argo CD's wave order of the phase (see wave_ranks)

    @property
    def step(self) -> tuple[int, int]:
        """(phase order, wave rank): one per (phase, wave) step, ordered as Argo CD runs them
        (the wave's rank, not the wave: int64 wave comparisons wrap, see wave_ranks)."""
        return (PHASE_ORDER[self.phase], self.wave_rank)

    @property
    def sort_name(self) -> str:
        return self.name + _GENERATED_SUFFIX if self.generated else self.name


@dataclass(frozen=True)
class ResourcePlan:
    """Everything the plan knows about one document."""

    doc: Document
    hook: HookInfo
    wave: Wave
    tasks: tuple[SyncTask, ...]
    gated: bool  # Argo CD waits for its health in at least one task


@dataclass(frozen=True)
class Unordered:
    """Tasks whose relative order Argo CD does not fix: ``group`` numbers the run."""

    group: int
    reason: str


class SyncPlan:
    """The computed sync of one manifest set (what Argo CD keeps of targets and context).

    ``namespace`` is the Application's destination namespace ("" when unknown, as Argo CD
    itself does with none); ``namespace_of`` gives each object's namespace as Argo CD sets
    it (cluster-scoped kinds cleared, empty ones the destination), by default its own.
    """

    def __init__(
        self,
        documents: Iterable[Document],
        version: ArgoVersion = LATEST,
        namespace: str = "",
        namespace_of: Callable[[Document], str] | None = None,
    ) -> None:
        self.version = version
        self.namespace = namespace or ""
        own_namespace = namespace_of or (lambda doc: doc.namespace or self.namespace)
        infos: list[tuple[Document, HookInfo, Wave]] = [
            (doc, hook_info(doc, version), wave_of(doc, version)) for doc in documents
        ]
        #: id(doc) -> every generateName-only resource sharing its key (the one planned last)
        self.collapsed: dict[int, tuple[Document, ...]] = {}
        #: id(doc) -> the generateName-only resource planned in its place
        self.collapsed_into: dict[int, Document] = {}
        self._collapse(infos, own_namespace)

        planned = [info for info in infos if id(info[0]) not in self.collapsed_into]
        waves: dict[str, set[int]] = {phase: set() for phase in PHASE_ORDER}
        for _, hook, wave in planned:
            for phase in hook.sync_phases:
                waves[phase].add(wave.value)
        #: phase -> why Argo CD's wave order in it is not determined
        self.wave_order_unknown: dict[str, str] = {}
        ranks: dict[str, dict[int, int]] = {}
        for phase, values in waves.items():
            ranks[phase], known = wave_ranks(values)
            if not known:
                self.wave_order_unknown[phase] = WAVE_WRAP_REASON
        # syncTasks.Less (GE sync_tasks.go): phase, wave (int64 difference, wrapping), kind
        # order, GetName(); then the input order for ties, which Argo CD builds with the
        # resources before the hooks (sync_context.go getSyncTasks: resourceTasks + hookTasks).
        keyed: list[tuple[_SortKey, SyncTask]] = []
        for doc, hook, wave in planned:
            is_hook = hook.is_hook
            name = doc.name
            generated = is_hook and not name
            if generated:
                name = doc.generate_name
            sort_name = name + _GENERATED_SUFFIX if generated else name
            kind_rank = KIND_RANK.get(doc.kind, 0)
            for phase in hook.sync_phases:
                rank = ranks[phase][wave.value]
                task = SyncTask(doc, phase, wave.value, is_hook, False, name, generated, rank)
                keyed.append(((PHASE_ORDER[phase], rank, kind_rank, sort_name, is_hook, len(keyed)), task))
        keyed.sort(key=_first)
        self.task_count = len(keyed)
        tasks = [task for _, task in keyed]
        #: id(task) -> its run of tasks in no determined order
        self.unordered: dict[int, Unordered] = _unordered_runs(keyed)
        dest = self.namespace
        self.tasks: list[SyncTask] = _adjust_dependencies(tasks, lambda doc: own_namespace(doc) or dest)

        self.multi_step = bool(self.tasks) and self.tasks[0].step != self.tasks[-1].step
        main = [t for t in self.tasks if t.phase != SYNC_FAIL]
        self.final_step = main[-1].step if main else None
        self.final_has_hooks = any(t.is_hook and t.step == self.final_step for t in main)
        first: dict[tuple[int, int], SyncTask] = {}
        for t in main:
            first.setdefault(t.step, t)
        self._first_of_step = first
        #: the (phase, wave) steps in the order Argo CD runs them (SyncFail aside)
        self.steps: list[tuple[int, int]] = list(first)
        self._step_index = {step: i for i, step in enumerate(self.steps)}

        by_doc: dict[int, list[SyncTask]] = {}
        for task in self.tasks:
            by_doc.setdefault(id(task.doc), []).append(task)
        self._resources: dict[int, ResourcePlan] = {}
        waits_on = self.waits_on
        for doc, hook, wave in infos:
            own = tuple(by_doc.get(id(doc), ()))
            gated = False
            for t in own:  # any(), without a generator per document
                if waits_on(t):
                    gated = True
                    break
            self._resources[id(doc)] = ResourcePlan(doc, hook, wave, own, gated)
        self.post_sync_hooks = [t for t in main if t.phase == POST_SYNC]

    def _collapse(
        self, infos: list[tuple[Document, HookInfo, Wave]], namespace_of: Callable[[Document], str]
    ) -> None:
        """GE sync_context.go groupResources keys the non-hook resources by GetResourceKey: all
        generateName-only ones of one group, kind and namespace share the name "" and one
        survives, whichever Go's map order put last."""
        groups: dict[tuple[str, str, str], list[Document]] = {}
        for doc, hook, _ in infos:
            if not hook.is_hook and not doc.name and doc.generate_name and doc.kind:
                groups.setdefault((doc.group, doc.kind, namespace_of(doc)), []).append(doc)
        for docs in groups.values():
            if len(docs) > 1:
                kept = docs[-1]
                self.collapsed[id(kept)] = tuple(docs)
                for doc in docs[:-1]:
                    self.collapsed_into[id(doc)] = kept

    def of(self, doc: Document) -> ResourcePlan:
        plan = self._resources.get(id(doc))
        if plan is None:  # a document added after the plan was made, or a dropped duplicate
            version = self.version
            plan = ResourcePlan(doc, hook_info(doc, version), wave_of(doc, version), (), False)
            # kept, as rules ask again (the entry holds the document: its id stays its own)
            self._resources[id(doc)] = plan
        return plan

    def waits_on(self, task: SyncTask) -> bool:
        """Does Argo CD wait for this task's health before moving on?"""
        if task.is_hook:
            return True
        if not self.multi_step or task.phase == SYNC_FAIL:
            return False
        return task.step != self.final_step or self.final_has_hooks

    def step_index(self, task: SyncTask) -> int:
        """The rank of the task's step in the order Argo CD runs the steps (SyncFail: -1)."""
        return self._step_index.get(task.step, -1)

    def next_task(self, task: SyncTask) -> SyncTask | None:
        """The first task of the step after ``task``'s (SyncFail aside), or None at the end."""
        index = self.step_index(task) + 1
        if task.phase == SYNC_FAIL or index >= len(self.steps):
            return None
        return self._first_of_step[self.steps[index]]

    def blocked_by(self, task: SyncTask) -> str:
        """What cannot happen while ``task`` is not Healthy: 'starting wave 2', ..."""
        following = self.step_index(task) + 1
        if task.phase == SYNC_FAIL or following >= len(self.steps):
            return "finishing the sync (the sync never completes)"
        following_task = self._first_of_step[self.steps[following]]
        phase, wave = following_task.phase, following_task.wave
        if phase == task.phase:
            text = f"starting wave {wave}"
            if task.phase in (PRE_SYNC, SYNC) and self.post_sync_hooks:
                text += " and running the PostSync hooks"
            return text
        if phase == POST_SYNC:
            return "running the PostSync hooks"
        return f"starting the {phase} phase"


def wave_ranks(waves: Iterable[int]) -> tuple[dict[int, int], bool]:
    """Rank waves as syncTasks.Less does: ``d := tA.wave() - tB.wave(); d < 0`` in int64
    (GE sync_tasks.go), which wraps, so 1 sorts before -9223372036854775808.

    That comparison orders a set of waves exactly when they fit in less than half the int64
    circle (some gap between neighbours on it exceeds 2^63): then it is the circular order
    starting after that gap.  Otherwise (waves 2^63 or more apart every way round) Less is not
    an order and the result depends on the sort's input: numeric order, and False.
    """
    values = sorted({w % _U64 for w in waves})
    if not values:
        return {}, True
    count = len(values)
    best, widest = 0, -1
    for i, value in enumerate(values):
        gap = (values[(i + 1) % count] - value) % _U64 or _U64
        if gap > widest:
            best, widest = i, gap
    if widest <= _HALF:
        ordered = sorted(v - _U64 if v >= _HALF else v for v in values)
        return {w: i for i, w in enumerate(ordered)}, False
    start = (best + 1) % count
    rotated = values[start:] + values[:start]
    return {(v - _U64 if v >= _HALF else v): i for i, v in enumerate(rotated)}, True


def _name_relation(a: SyncTask, b: SyncTask) -> str:
    """Do a's and b's names fix their order: "known", "tie" (equal) or "revision" (it depends
    on the suffix Argo CD appends to generateName hooks, the same for both in one phase)."""
    if a.generated and b.generated:
        if a.name == b.name:
            return "tie"
        return "revision" if a.name.startswith(b.name) or b.name.startswith(a.name) else "known"
    if a.generated or b.generated:
        fixed, prefix = (a.name, b.name) if b.generated else (b.name, a.name)
        return "revision" if fixed.startswith(prefix) and len(fixed) > len(prefix) else "known"
    return "tie" if a.name == b.name else "known"


_SortKey = tuple[int, int, int, str, bool, int]


def _first(item: tuple[_SortKey, SyncTask]) -> _SortKey:
    return item[0]


def _unordered_runs(keyed: list[tuple[_SortKey, SyncTask]]) -> dict[int, Unordered]:
    """Runs of sorted neighbours whose relative order Argo CD leaves open.

    The input of sort.Sort comes from Go maps (AE controller/state.go NormalizeTargetObjects
    ranges over targetByKey; GE getSyncTasks over sc.resources), so ties among resources,
    and among hooks, have no defined order.  Up to 12 tasks Go insertion-sorts, stably: a
    resource tied with a hook comes first (resourceTasks precede hookTasks).  Above that the
    sort is not stable and no tie is determined.
    """
    small = len(keyed) <= STABLE_SORT_MAX
    #: reason why sorted neighbours i and i + 1 have no determined order
    links: dict[int, str] = {}
    for i, ((key_a, a), (key_b, b)) in enumerate(pairwise(keyed)):
        if key_a[:3] != key_b[:3]:
            continue
        if key_a[3] != key_b[3] and not (a.generated or b.generated):
            continue  # the common case: two different fixed names
        relation = _name_relation(a, b)
        if relation == "known" or (relation == "tie" and small and a.is_hook != b.is_hook):
            continue
        links[i] = REVISION_REASON if relation == "revision" else TIE_REASON if small else UNSTABLE_REASON
    for i in _revision_links(keyed):
        previous = links.get(i)
        if previous is None:
            links[i] = REVISION_REASON
        elif REVISION_REASON not in previous:
            links[i] = f"{previous}; {REVISION_REASON}"
    out: dict[int, Unordered] = {}
    group = -1
    members: list[int] = []
    reasons: list[str] = []
    for i in sorted(links):
        if i - 1 not in links:  # a new run starts at task i
            if members:
                _close_run(out, group, members, reasons)
            group += 1
            members, reasons = [id(keyed[i][1])], []
        members.append(id(keyed[i + 1][1]))
        for reason in links[i].split("; "):
            if reason not in reasons:
                reasons.append(reason)
    if members:
        _close_run(out, group, members, reasons)
    return out


def _close_run(out: dict[int, Unordered], group: int, members: list[int], reasons: list[str]) -> None:
    unordered = Unordered(group, "; ".join(reasons))
    for member in members:
        out[member] = unordered


def _revision_links(keyed: list[tuple[_SortKey, SyncTask]]) -> Iterator[int]:
    """Neighbour links (i, i + 1) inside the span of names a generateName hook's name may
    fall anywhere in: every name that starts with its prefix and is longer (AE names it
    ``<generateName><revision>-<phase>-<time>`` before sorting, GE sync_context.go).

    Those names are one contiguous span of the sorted block (same phase, wave and kind), so
    each span is found by bisection and the spans are merged with a difference array: linear
    after the sort, even for thousands of hooks that share one prefix.
    """
    start = 0
    while start < len(keyed):
        block = keyed[start][0][:3]
        end = start
        while end < len(keyed) and keyed[end][0][:3] == block:
            end += 1
        if end - start > 1 and any(task.generated for _, task in keyed[start:end]):
            names = [key[3] for key, _ in keyed[start:end]]
            cover = [0] * (len(names) + 1)
            for _, task in keyed[start:end]:
                if not task.generated:
                    continue
                lo = bisect_right(names, task.name)  # a fixed name equal to the prefix sorts first
                hi = bisect_left(names, task.name + "\U0010ffff")
                if hi - lo > 1:
                    cover[lo] += 1
                    cover[hi - 1] -= 1
            depth = 0
            for i in range(len(names) - 1):
                depth += cover[i]
                if depth > 0:
                    yield start + i
        start = end


def describe_step(task: SyncTask) -> str:
    """'wave 2' for Sync-phase tasks, 'PreSync wave 0' for hooks' phases."""
    return f"wave {task.wave}" if task.phase == SYNC else f"{task.phase} wave {task.wave}"


def _adjust_dependencies(tasks: list[SyncTask], namespace_of: Callable[[Document], str]) -> list[SyncTask]:
    """syncTasks.Sort's adjustDeps, for Namespaces then CRDs.  ``namespace_of`` is the
    namespace a task's object has by then: getSyncTasks sets the destination namespace on
    every object without one, cluster-scoped ones included (GE sync_context.go)."""

    def namespace_key(task: SyncTask) -> str | None:
        doc = task.doc
        if doc.kind == "Namespace" and doc.group == "":
            return None
        return namespace_of(doc) or None

    def is_namespace(task: SyncTask) -> str | None:
        doc = task.doc
        return doc.name if doc.kind == "Namespace" and doc.group == "" and doc.name else None

    def is_crd(task: SyncTask) -> str | None:
        doc = task.doc
        if doc.kind != "CustomResourceDefinition" or doc.group != "apiextensions.k8s.io":
            return None
        group, kind = doc.get(("spec", "group")), doc.get(("spec", "names", "kind"))
        if isinstance(group, str) and isinstance(kind, str):
            return f"{group}/{kind}"
        return None

    def group_kind(task: SyncTask) -> str | None:
        return f"{task.doc.group}/{task.doc.kind}"

    # Only a Namespace or a CRD moves: without one (most sets) the order stands as it is.
    kinds = {task.doc.kind for task in tasks}
    if "Namespace" in kinds:
        tasks = _bubble(tasks, is_namespace, namespace_key)
    if "CustomResourceDefinition" in kinds:
        tasks = _bubble(tasks, is_crd, group_kind)
    return list(tasks)


def _bubble(
    tasks: list[SyncTask],
    is_dep: Callable[[SyncTask], str | None],
    refers_to: Callable[[SyncTask], str | None],
) -> list[SyncTask]:
    """adjustDeps: move each dependency just before the first task that refers to it.

    gitops-engine shifts the slice and every recorded index on each move, which
    is quadratic (hostile input with thousands of Namespaces hung here).  The
    recorded indexes always follow the same referring task, so each moved
    dependency simply lands right before that task, after the ones moved there
    earlier: one pass to decide, one to build.
    """
    first_referrer: dict[str, SyncTask] = {}
    moved_before: dict[int, list[SyncTask]] = {}
    moved: set[int] = set()
    for task in tasks:
        key = is_dep(task)
        if key is not None:
            anchor = first_referrer.get(key)
            if anchor is not None:
                moved_before.setdefault(id(anchor), []).append(
                    replace(
                        task,
                        phase=anchor.phase,
                        wave=anchor.wave,
                        wave_rank=anchor.wave_rank,
                        pulled_forward=True,
                    )
                )
                moved.add(id(task))
            continue
        ref = refers_to(task)
        if ref is not None and ref not in first_referrer:
            first_referrer[ref] = task
    if not moved:
        return list(tasks)
    out: list[SyncTask] = []
    for task in tasks:
        if id(task) in moved:
            continue
        out.extend(moved_before.get(id(task), ()))
        out.append(task)
    return out
