"""HL309 wave-gated-on-resource-without-health."""

from __future__ import annotations

from hooklint.argocd.health import APPLICATION, builtin_check, has_builtin_check, pattern_matches
from hooklint.argocd.resources import placement_path
from hooklint.argocd.syncplan import describe_step
from hooklint.check import CheckContext, DocumentCheck, Related, Violation
from hooklint.model import Document

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Iterator

#: API groups Kubernetes itself serves; everything else is a custom resource.
BUILTIN_GROUPS = frozenset(
    (
        "", "apps", "batch", "autoscaling", "policy", "extensions", "networking.k8s.io",
        "rbac.authorization.k8s.io", "storage.k8s.io", "apiextensions.k8s.io",
        "admissionregistration.k8s.io", "apiregistration.k8s.io", "scheduling.k8s.io",
        "coordination.k8s.io", "node.k8s.io", "discovery.k8s.io", "certificates.k8s.io",
        "events.k8s.io", "flowcontrol.apiserver.k8s.io", "resource.k8s.io",
        "authentication.k8s.io", "authorization.k8s.io", "internal.apiserver.k8s.io",
        "storagemigration.k8s.io",
    )
)  # fmt: skip


def _has_health(doc: Document, context: CheckContext) -> bool:
    manifests = context.manifests
    group, kind = doc.group, doc.kind
    if has_builtin_check(group, kind, manifests.version):
        return True
    configured = (*(context.params.get("health-checks") or ()), *manifests.health_checks)
    return any(pattern_matches(p, group, kind) for p in configured)


def _steps_with_health(context: CheckContext) -> frozenset[tuple[int, int]]:
    """The (phase, wave) steps holding a resource Argo CD can wait for (one with a health check)."""
    plan = context.manifests.plan
    return frozenset(t.step for t in plan.tasks if _has_health(t.doc, context))


class WaveGatedOnResourceWithoutHealth(DocumentCheck):
    key = "wave-gated-on-resource-without-health"
    related_ends = True

    def check_document(self, doc: Document, context: CheckContext) -> Iterator[Violation]:
        group, kind = doc.group, doc.kind
        if group in BUILTIN_GROUPS or not kind or f"{group}/{kind}" == APPLICATION:
            return  # built-in kinds; Applications are HL304's (app-of-apps-wave-without-health)
        manifests = context.manifests
        plan = manifests.plan
        resource = plan.of(doc)
        if resource.hook.never_applied:
            return
        if resource.wave.source == "default" and not resource.hook.is_hook:
            return  # no wave written: nothing says the author expects anything to wait for it
        task = next((t for t in resource.tasks if plan.waits_on(t)), None)
        waiting = plan.next_task(task) if task is not None else None
        if task is None or waiting is None:
            return
        if _has_health(doc, context):
            return
        if task.step in manifests.shared(self.key, lambda _: _steps_with_health(context)):
            return  # the step still waits for something else in it, which the author may mean
        later = builtin_check(group, kind)
        since = (
            f" (Argo CD has one from {later.since.major}.{later.since.minor})"
            if later is not None and later.since is not None
            else ""
        )
        yield Violation(
            doc,
            placement_path(doc),
            f"{doc.ref} in {describe_step(task)} is a {group}/{kind}, which Argo CD has no health "
            f"check for{since}, nor has anything else in that step: it counts as Healthy once "
            f"applied, so {plan.blocked_by(task)} waits for nothing; add a health check to argocd-cm "
            "(and to this rule's health-checks), or do not rely on the wave",
            (Related(waiting.doc, placement_path(waiting.doc), f"{waiting.doc.ref} starts without waiting"),)
            if waiting.doc is not doc
            else (),
        )
