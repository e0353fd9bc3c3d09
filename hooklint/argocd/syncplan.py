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

from bisect import bisect_right
from dataclasses import dataclass
from typing import Callable, Iterable

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


@dataclass(frozen=True)
class SyncTask:
    """One apply Argo CD performs: a resource in one phase."""

    doc: Document
    phase: str
    wave: int
    is_hook: bool
    pulled_forward: bool = False  # a Namespace/CRD moved in front of its first dependent

    @property
    def step(self) -> tuple[int, int]:
        return (PHASE_ORDER[self.phase], self.wave)

    @property
    def sort_name(self) -> str:
        return self.doc.name or self.doc.generate_name


@dataclass(frozen=True)
class ResourcePlan:
    """Everything the plan knows about one document."""

    doc: Document
    hook: HookInfo
    wave: Wave
    tasks: tuple[SyncTask, ...]
    gated: bool  # Argo CD waits for its health in at least one task


class SyncPlan:
    """The computed sync of one manifest set (targets and context alike)."""

    def __init__(
        self,
        documents: Iterable[Document],
        version: ArgoVersion = LATEST,
        namespace: str | None = None,
    ) -> None:
        self.version = version
        self.namespace = namespace
        infos: list[tuple[Document, HookInfo, Wave]] = [
            (doc, hook_info(doc, version), wave_of(doc)) for doc in documents
        ]
        tasks: list[SyncTask] = []
        for doc, hook, wave in infos:
            for phase in hook.sync_phases:
                tasks.append(SyncTask(doc, phase, wave.value, hook.is_hook))
        tasks.sort(key=lambda t: (t.step, KIND_RANK.get(t.doc.kind, 0), t.sort_name))
        self.tasks: list[SyncTask] = _adjust_dependencies(tasks, namespace)

        self.multi_step = bool(self.tasks) and self.tasks[0].step != self.tasks[-1].step
        main = [t for t in self.tasks if t.phase != SYNC_FAIL]
        self.final_step = main[-1].step if main else None
        self.final_has_hooks = any(t.is_hook and t.step == self.final_step for t in main)
        self.steps: list[tuple[int, int]] = sorted({t.step for t in main})
        self._first_of_step: dict[tuple[int, int], SyncTask] | None = None

        by_doc: dict[int, list[SyncTask]] = {}
        for task in self.tasks:
            by_doc.setdefault(id(task.doc), []).append(task)
        self._resources: dict[int, ResourcePlan] = {}
        for doc, hook, wave in infos:
            own = tuple(by_doc.get(id(doc), ()))
            gated = any(self.waits_on(t) for t in own)
            self._resources[id(doc)] = ResourcePlan(doc, hook, wave, own, gated)
        self.post_sync_hooks = [t for t in main if t.phase == POST_SYNC]

    def of(self, doc: Document) -> ResourcePlan:
        plan = self._resources.get(id(doc))
        if plan is None:  # a document added after the plan was made
            plan = ResourcePlan(doc, hook_info(doc, self.version), wave_of(doc), (), False)
        return plan

    def waits_on(self, task: SyncTask) -> bool:
        """Does Argo CD wait for this task's health before moving on?"""
        if task.is_hook:
            return True
        if not self.multi_step or task.phase == SYNC_FAIL:
            return False
        return task.step != self.final_step or self.final_has_hooks

    def next_task(self, task: SyncTask) -> SyncTask | None:
        """The first task of the step after ``task``'s (SyncFail aside), or None at the end."""
        if self._first_of_step is None:
            first: dict[tuple[int, int], SyncTask] = {}
            for t in self.tasks:
                if t.phase != SYNC_FAIL:
                    first.setdefault(t.step, t)
            self._first_of_step = first
        index = bisect_right(self.steps, task.step)
        return self._first_of_step[self.steps[index]] if index < len(self.steps) else None

    def blocked_by(self, task: SyncTask) -> str:
        """What cannot happen while ``task`` is not Healthy: 'starting wave 2', ..."""
        following = bisect_right(self.steps, task.step)  # steps are sorted: no scan per task
        if following == len(self.steps):
            return "finishing the sync (the sync never completes)"
        phase_order, wave = self.steps[following]
        phase = _PHASE_BY_ORDER[phase_order]
        if phase == task.phase:
            text = f"starting wave {wave}"
            if task.phase in (PRE_SYNC, SYNC) and self.post_sync_hooks:
                text += " and running the PostSync hooks"
            return text
        if phase == POST_SYNC:
            return "running the PostSync hooks"
        return f"starting the {phase} phase"


_PHASE_BY_ORDER = {order: phase for phase, order in PHASE_ORDER.items()}


def describe_step(task: SyncTask) -> str:
    """'wave 2' for Sync-phase tasks, 'PreSync wave 0' for hooks' phases."""
    return f"wave {task.wave}" if task.phase == SYNC else f"{task.phase} wave {task.wave}"


def _adjust_dependencies(tasks: list[SyncTask], namespace: str | None) -> list[SyncTask]:
    """syncTasks.Sort's adjustDeps, for Namespaces then CRDs."""

    def namespace_key(task: SyncTask) -> str | None:
        doc = task.doc
        if doc.kind == "Namespace" and doc.group == "":
            return None
        return doc.namespace or namespace or None

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

    tasks = _bubble(tasks, is_namespace, namespace_key)
    return _bubble(tasks, is_crd, group_kind)


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
                    SyncTask(task.doc, anchor.phase, anchor.wave, task.is_hook, True)
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
