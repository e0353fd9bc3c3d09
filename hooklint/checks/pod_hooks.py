"""HL204 pod-hook-restart-policy."""

from __future__ import annotations

from hooklint.check import CheckContext, DocumentCheck, Violation
from hooklint.model import Document

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Iterator

POD_RESTART_POLICIES = ("Always", "OnFailure", "Never")


class PodHookRestartPolicy(DocumentCheck):
    key = "pod-hook-restart-policy"

    def check_document(self, doc: Document, context: CheckContext) -> Iterator[Violation]:
        if doc.kind != "Pod" or doc.group != "":
            return
        spec = doc.get(("spec",))
        if not isinstance(spec, dict):
            return
        value = spec.get("restartPolicy")
        if value == "Never":
            return
        hook = context.manifests.plan.of(doc).hook
        if hook.never_applied or not hook.types:
            return
        what = f"hook {doc.ref} ({', '.join(hook.types)})"
        waiter = "the sync" if hook.sync_phases else "the Application's deletion"
        if value is None or value == "Always":
            how = "sets no restartPolicy (the default is Always)" if value is None else (
                'sets restartPolicy "Always"'
            )
            message = (
                f"{what} {how}: Argo CD counts the hook as succeeded as soon as the pod is "
                "Ready, not when its command has finished, and a command that exits is "
                "restarted until CrashLoopBackOff fails the hook, so the outcome depends on "
                "timing; set restartPolicy: Never"
            )
        elif value == "OnFailure":
            message = (
                f'{what} sets restartPolicy "OnFailure": a failing container is restarted in '
                "place, the pod stays Running, and Argo CD reads a Running OnFailure pod as "
                f"Progressing, so {waiter} waits forever instead of failing; set restartPolicy: "
                "Never, or use a Job with a backoffLimit"
            )
        else:
            message = (
                f'{what} sets restartPolicy "{value}", which is none of '
                f"{', '.join(POD_RESTART_POLICIES)}: the API server rejects the Pod; set "
                "restartPolicy: Never"
            )
        yield Violation(doc, ("spec", "restartPolicy"), message)
