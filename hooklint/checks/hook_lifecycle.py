"""HL101 named-hook-without-before-hook-creation."""

from __future__ import annotations

from typing import Iterator

from hooklint.check import CheckContext, DocumentCheck, Violation
from hooklint.k8s import (
    BEFORE_HOOK_CREATION,
    DELETE_POLICY,
    HELM_DELETE_POLICY,
    HOOK_FAILED,
    HOOK_SUCCEEDED,
)
from hooklint.model import Document, YamlPath


def policy_path(doc: Document) -> YamlPath:
    """Where the delete policy is written (Argo CD's annotation first)."""
    key = DELETE_POLICY if DELETE_POLICY in doc.annotations else HELM_DELETE_POLICY
    return ("metadata", "annotations", key)


class NamedHookWithoutBeforeHookCreation(DocumentCheck):
    key = "named-hook-without-before-hook-creation"

    def check_document(self, doc: Document, context: CheckContext) -> Iterator[Violation]:
        if doc.kind == "Workflow" and doc.group != "argoproj.io":
            return
        if not doc.name:
            return  # generateName hooks get a new name every sync
        hook = context.manifests.plan.of(doc).hook
        if not hook.is_hook or not hook.sync_phases:
            return
        policies = hook.explicit_policies
        if not policies or BEFORE_HOOK_CREATION in policies:
            return  # no policy means BeforeHookCreation
        phases = hook.sync_phases
        fix = f"add {BEFORE_HOOK_CREATION} to the delete policy, or use metadata.generateName"
        if len(phases) > 1:
            message = (
                f"hook {doc.ref} has a fixed name, runs in {', '.join(phases)} and has no "
                f"{BEFORE_HOOK_CREATION} policy: the {phases[1]} task finds the object the "
                f"{phases[0]} run left and reuses its result instead of running again; {fix}"
            )
        elif policies == {HOOK_FAILED}:
            message = (
                f"hook {doc.ref} has a fixed name and delete policy {HOOK_FAILED} only: after "
                "one successful run it is never deleted, so every later sync reuses the "
                f"finished {doc.kind} and the hook never runs again; {fix}"
            )
        elif policies == {HOOK_SUCCEEDED}:
            message = (
                f"hook {doc.ref} has a fixed name and delete policy {HOOK_SUCCEEDED} only: "
                "after a failed sync the failed object stays, the next sync reuses it and "
                f'fails at once, and an edited {doc.kind} spec fails with "field is immutable"; '
                f"{fix}"
            )
        else:
            return  # HookSucceeded and HookFailed: deleted at the end of every operation
        yield Violation(doc, policy_path(doc), message)
