"""Jobs Argo CD applies, hook or not: HL203 job-restart-policy, HL206 job-ttl-under-argocd."""

from __future__ import annotations

from hooklint.argocd.version import ArgoVersion
from hooklint.check import CheckContext, DocumentCheck, Violation
from hooklint.checks.job_hooks import is_batch_job
from hooklint.model import Document

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Iterator

JOB_RESTART_POLICIES = ("Never", "OnFailure")
#: First Argo CD release whose hooks carry argocd.argoproj.io/hook-finalizer (gitops-engine#646).
HOOK_FINALIZER_SINCE = ArgoVersion(3, 0, 0)


def case_hint(value: str, choices: tuple[str, ...]) -> str:
    """' (did you mean "Never"?)' when ``value`` matches a choice ignoring case and spaces."""
    folded = value.strip().lower()
    for choice in choices:
        if choice.lower() == folded:
            return f' (did you mean "{choice}"?)'
    return ""


class JobRestartPolicy(DocumentCheck):
    key = "job-restart-policy"

    def check_document(self, doc: Document, context: CheckContext) -> Iterator[Violation]:
        if not is_batch_job(doc):
            return
        pod_spec = doc.get(("spec", "template", "spec"))
        if not isinstance(pod_spec, dict):
            return  # no pod template to judge
        value = pod_spec.get("restartPolicy")
        if value in JOB_RESTART_POLICIES:
            return
        hook = context.manifests.plan.of(doc).hook
        if hook.never_applied:
            return  # never applied: HL003/HL106 say so
        if value is None:
            problem = "sets no spec.template.spec.restartPolicy, so its pods default to Always"
        elif value == "Always":
            problem = 'sets spec.template.spec.restartPolicy "Always"'
        else:
            hint = case_hint(value, JOB_RESTART_POLICIES) if isinstance(value, str) else ""
            problem = f'sets spec.template.spec.restartPolicy "{value}"{hint}'
        if hook.never_synced:  # a PreDelete/PostDelete hook
            outcome = "Argo CD cannot create the hook and the Application's deletion fails"
        else:
            outcome = "Argo CD's apply fails and so does the sync"
        yield Violation(
            doc,
            ("spec", "template", "spec", "restartPolicy"),
            f"{doc.ref} {problem}: the API server accepts only Never or OnFailure for a Job "
            f"and rejects it, so {outcome}; set restartPolicy: Never",
        )


class JobTtlUnderArgocd(DocumentCheck):
    key = "job-ttl-under-argocd"

    def check_document(self, doc: Document, context: CheckContext) -> Iterator[Violation]:
        if not is_batch_job(doc):
            return
        ttl = doc.get(("spec", "ttlSecondsAfterFinished"))
        if ttl is None:
            return
        version = context.manifests.version
        hook = context.manifests.plan.of(doc).hook
        if hook.never_applied:
            return  # never applied: HL003/HL106 say so
        if not hook.types:
            message = (
                f"{doc.ref} is not a hook and sets spec.ttlSecondsAfterFinished {ttl}: once it "
                "finishes Kubernetes deletes it, Argo CD then shows it Missing and the app "
                "OutOfSync, and the next sync (at once with self-heal) re-creates the Job and "
                "runs it again; make it a hook with hook-delete-policy HookSucceeded instead of "
                "a TTL, or drop the TTL"
            )
        elif hook.sync_phases and version < HOOK_FINALIZER_SINCE:
            message = (
                f"hook {doc.ref} ({', '.join(hook.types)}) sets spec.ttlSecondsAfterFinished "
                f"{ttl}: before Argo CD 3.0 (argocd-version is {version}) hooks carry no hook "
                "finalizer, so Kubernetes can delete the finished Job before Argo CD reads its "
                "result, and the hook stays Running or goes missing (argo-cd#21055); use "
                "hook-delete-policy HookSucceeded instead of a TTL, or upgrade to 3.0"
            )
        else:
            return  # 3.0+ hooks keep a finalizer until Argo CD has read them; delete-only hooks
        yield Violation(doc, ("spec", "ttlSecondsAfterFinished"), message)
