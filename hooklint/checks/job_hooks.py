"""Hook Jobs that keep Argo CD waiting: HL201 hook-job-without-backoff-limit,
HL202 job-without-deadline, HL205 suspended-hook-job."""

from __future__ import annotations

from hooklint.argocd.annotations import PRE_DELETE, HookInfo
from hooklint.argocd.syncplan import describe_step
from hooklint.check import CheckContext, DocumentCheck, Violation
from hooklint.manifests import ManifestSet
from hooklint.model import Document

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Iterator

#: Label (or, on old Kueue releases, annotation) that hands a Job to Kueue, which
#: creates it suspended and resumes it once the workload is admitted.
KUEUE_QUEUE_NAME = "kueue.x-k8s.io/queue-name"


def is_batch_job(doc: Document) -> bool:
    return doc.kind == "Job" and doc.group == "batch"


def deletion_step(hook: HookInfo) -> str:
    """The step of an Application's deletion that runs a delete-only hook."""
    if PRE_DELETE in hook.delete_types:
        return "the Application's deletion (before its resources are deleted)"
    return "the Application's deletion (after its resources are deleted)"


def waited_on(doc: Document, manifests: ManifestSet) -> tuple[str, str] | None:
    """(who the Job is, "<who> waits forever ...") when Argo CD waits for the Job's health.

    Hooks are always waited on (sync hooks by the sync, delete hooks by the
    Application's deletion); a non-hook Job only when it is health-gated.  A
    resource Argo CD never applies (Skip, no known hook type) is never waited on.
    """
    plan = manifests.plan
    resource = plan.of(doc)
    hook = resource.hook
    if hook.never_applied:
        return None  # never applied: HL003/HL106 say so
    if hook.types:
        what = f"hook {doc.ref} ({', '.join(hook.types)})"
        if hook.sync_phases:
            return what, "the sync waits forever"
        return what, f"{deletion_step(hook)} waits forever"
    if resource.gated:
        task = next(t for t in resource.tasks if plan.waits_on(t))
        waiter = f"the sync waits forever before {plan.blocked_by(task)}"
        return f"{doc.ref} in {describe_step(task)} (waited on)", waiter
    return None


class HookJobWithoutBackoffLimit(DocumentCheck):
    key = "hook-job-without-backoff-limit"
    whole_set = True  # a non-hook Job: whether the plan waits on it

    def check_document(self, doc: Document, context: CheckContext) -> Iterator[Violation]:
        if doc.group != "batch":
            return
        spec = doc.get(("spec",))
        if isinstance(spec, dict) and "backoffLimit" in spec:
            return
        plan = context.manifests.plan
        resource = plan.of(doc)
        if resource.hook.is_hook:
            if resource.hook.never_applied:
                return  # never applied: HL003/HL106 say so
            what = f"hook {doc.ref} ({', '.join(resource.hook.types)})"
        elif resource.gated:
            what = f"{doc.ref} in {describe_step(resource.tasks[0])} (waited on)"
        else:
            return
        # First sentence: what and where (short, as it is printed twice with HL202); the
        # why is in the rule doc.
        yield Violation(
            doc,
            ("spec", "backoffLimit"),
            f"{what} sets no spec.backoffLimit. A failing pod is retried 6 times, about "
            "11 minutes, before Argo CD sees the failure; set 0 or 1",
        )


class JobWithoutDeadline(DocumentCheck):
    key = "job-without-deadline"
    whole_set = True  # a non-hook Job: whether the plan waits on it

    def check_document(self, doc: Document, context: CheckContext) -> Iterator[Violation]:
        if not is_batch_job(doc):
            return
        if doc.get(("spec", "activeDeadlineSeconds")) is not None:
            return
        waited = waited_on(doc, context.manifests)
        if waited is None:
            return
        what, waiter = waited
        yield Violation(
            doc,
            ("spec", "activeDeadlineSeconds"),
            f"{what} sets no spec.activeDeadlineSeconds. A pod that never starts is no failure, "
            f"so {waiter}; set the longest run you accept",
        )


class SuspendedHookJob(DocumentCheck):
    key = "suspended-hook-job"

    def check_document(self, doc: Document, context: CheckContext) -> Iterator[Violation]:
        if not is_batch_job(doc) or doc.get(("spec", "suspend")) is not True:
            return
        labels = doc.metadata.get("labels")
        if (isinstance(labels, dict) and KUEUE_QUEUE_NAME in labels) or KUEUE_QUEUE_NAME in doc.annotations:
            return  # Kueue resumes it once admitted
        hook = context.manifests.plan.of(doc).hook
        if hook.never_applied or not hook.types:
            return
        what = f"hook {doc.ref} ({', '.join(hook.types)})"
        if hook.sync_phases:
            message = (
                f"{what} sets spec.suspend: true: the Job starts no pod and stays Suspended, "
                "which Argo CD counts as a running hook, so the sync waits forever"
            )
        else:
            message = (
                f"{what} sets spec.suspend: true: the Job starts no pod, and Argo CD waits only "
                f"for Progressing delete hooks, so {deletion_step(hook)} goes on without the "
                "hook ever running"
            )
        yield Violation(doc, ("spec", "suspend"), f"{message}; remove spec.suspend or set it to false")
