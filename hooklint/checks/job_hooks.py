"""HL201 hook-job-without-backoff-limit."""

from __future__ import annotations

from typing import Iterator

from hooklint.check import CheckContext, DocumentCheck, Violation
from hooklint.model import Document
from hooklint.syncplan import describe_step


class HookJobWithoutBackoffLimit(DocumentCheck):
    key = "hook-job-without-backoff-limit"

    def check_document(self, doc: Document, context: CheckContext) -> Iterator[Violation]:
        if doc.group != "batch":
            return
        spec = doc.get(("spec",))
        if isinstance(spec, dict) and "backoffLimit" in spec:
            return
        plan = context.manifests.plan
        resource = plan.of(doc)
        if resource.hook.is_hook:
            if resource.hook.dropped:
                return  # never applied: HL003/HL106 say so
            what = f"hook {doc.ref} ({', '.join(resource.hook.types)})"
        elif resource.gated:
            task = resource.tasks[0]
            what = f"{doc.ref} in {describe_step(task)} (Argo CD waits for it before {plan.blocked_by(task)})"
        else:
            return
        yield Violation(
            doc,
            ("spec", "backoffLimit"),
            f"{what} sets no spec.backoffLimit: Kubernetes retries a failing pod 6 times with "
            "growing back-off, over 11 minutes, before the Job fails and Argo CD reports it; "
            "set backoffLimit (0 or 1 for most hooks)",
        )
