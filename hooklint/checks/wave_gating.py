"""HL301 wave-gated-on-unhealthy-prone-resource."""

from __future__ import annotations

from hooklint.argocd.annotations import SYNC, SYNC_WAVE
from hooklint.argocd.resources import placement_path
from hooklint.argocd.syncplan import SyncPlan, SyncTask, describe_step
from hooklint.check import CheckContext, DocumentCheck, Related, Violation
from hooklint.model import Document, YamlPath

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Iterator

_NO_KINDS: frozenset[str] = frozenset()
_PROGRESSING = "Progressing"
_SUSPENDED = "Suspended"


def hang_reason(doc: Document, custom_kinds: frozenset[str]) -> tuple[str, str] | None:
    """(health status it can stay in, why) when the object can block a wave forever."""
    kind, group = doc.kind, doc.group
    if group == "apps" and kind == "StatefulSet":
        return _PROGRESSING, (
            "a StatefulSet has no progress deadline: it stays Progressing until every replica "
            "is Ready, and a crash-looping pod never turns it Degraded"
        )
    if group == "apps" and kind == "DaemonSet":
        return _PROGRESSING, (
            "a DaemonSet has no progress deadline: it stays Progressing until a pod is "
            "available on every node, and a crash-looping pod never turns it Degraded"
        )
    if group == "apps" and kind == "Deployment" and doc.get(("spec", "paused")) is True:
        return _SUSPENDED, "a paused Deployment is Suspended, never Healthy"
    if group == "" and kind == "Service" and doc.get(("spec", "type")) == "LoadBalancer":
        return _PROGRESSING, (
            "a LoadBalancer Service is Progressing until a load balancer address is assigned, "
            "which never happens on clusters without a load-balancer controller"
        )
    if kind == "Ingress" and group in ("networking.k8s.io", "extensions"):
        return _PROGRESSING, (
            "an Ingress is Progressing until its controller publishes "
            "status.loadBalancer.ingress, which many controllers never do"
        )
    if kind == "APIService" and group == "apiregistration.k8s.io" and doc.get(("spec", "service")):
        return _PROGRESSING, (
            "an APIService backed by a Service is Progressing until it is Available, which "
            "needs that Service's pods to serve"
        )
    if kind == "Rollout" and group == "argoproj.io":
        return _SUSPENDED, (
            "an Argo Rollout is Suspended while paused (a 'pause: {}' step waits for a human) "
            "and Progressing until its pods are ready"
        )
    if f"{group}/{kind}" in custom_kinds:
        return _PROGRESSING, (
            f"a {kind} stays Progressing until its controller marks it Ready, forever if the "
            "controller is missing or failing"
        )
    return None


class WaveGatedOnUnhealthyProneResource(DocumentCheck):
    key = "wave-gated-on-unhealthy-prone-resource"
    related_ends = True

    def check_document(self, doc: Document, context: CheckContext) -> Iterator[Violation]:
        if doc.kind == "PersistentVolumeClaim" and doc.group == "":
            return  # a PVC that can block is HL303's (pvc-gated-before-consumer) to report
        added = context.params.get("kinds")  # added to the built-in kinds
        reason = hang_reason(doc, frozenset(added) if added else _NO_KINDS)
        if reason is None:
            return
        plan = context.manifests.plan
        resource = plan.of(doc)
        gated = [t for t in resource.tasks if plan.waits_on(t)]
        if not gated:
            return
        task = gated[0]
        status, why = reason
        path: YamlPath = ("metadata", "annotations", SYNC_WAVE) if SYNC_WAVE in doc.annotations else ("kind",)
        # The first resource that waits is the other end: staging it alone (pre-commit)
        # still reports this resource, which it now waits for.
        waiting = plan.next_task(task)
        if waiting is not None and waiting.doc is doc:
            waiting = None
        related = (
            (Related(waiting.doc, placement_path(waiting.doc), f"{waiting.doc.ref} waits for {doc.ref}"),)
            if waiting is not None
            else ()
        )
        yield Violation(
            doc,
            path,
            f"{doc.ref} in {describe_step(task)} can stay {status} forever, and Argo CD waits "
            f"for it before {plan.blocked_by(task)}: {why}; {advice(plan, task, waiting)}",
            related,
        )


def advice(plan: SyncPlan, task: SyncTask, waiting: SyncTask | None) -> str:
    """What to do: a later wave helps only when nothing but Sync waves follows the resource."""
    if waiting is None:
        return "make sure it turns Healthy"
    who = f"{waiting.phase} hook {waiting.doc.ref}" if waiting.is_hook else waiting.doc.ref
    if task.phase == SYNC and waiting.phase == SYNC:
        if not plan.post_sync_hooks:
            return "move it to the last wave, or make sure it turns Healthy"
        return (
            f"{who} and the PostSync hooks wait for it (in any wave, since PostSync waits for every "
            "Sync-phase resource); make sure it turns Healthy"
        )
    return f"{who} waits for it; make sure it turns Healthy, or do not gate on it"
