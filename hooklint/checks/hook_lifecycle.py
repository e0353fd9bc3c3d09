"""Hook lifecycle: HL101 named-hook-without-before-hook-creation, HL105 delete-policy-on-non-hook,
HL109 workload-as-hook."""

from __future__ import annotations

from hooklint.argocd.annotations import (
    BEFORE_HOOK_CREATION,
    DELETE_POLICY,
    HELM_DELETE_POLICY,
    HELM_HOOK,
    HOOK,
    HOOK_FAILED,
    HOOK_SUCCEEDED,
    annotations_readable,
)
from hooklint.check import CheckContext, DocumentCheck, Violation
from hooklint.model import Document, YamlPath

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Iterator


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


class DeletePolicyOnNonHook(DocumentCheck):
    key = "delete-policy-on-non-hook"
    annotation_keys = frozenset((DELETE_POLICY, HELM_DELETE_POLICY))

    def check_document(self, doc: Document, context: CheckContext) -> Iterator[Violation]:
        annotations = doc.annotations
        keys = [k for k in (DELETE_POLICY, HELM_DELETE_POLICY) if k in annotations]
        if not keys or not annotations_readable(doc):
            return
        hook = context.manifests.plan.of(doc).hook
        if hook.is_hook or hook.skip:
            return  # a hook, or never applied (Skip)
        if annotations.get(HELM_HOOK) == "crd-install":
            why = 'helm.sh/hook "crd-install" makes it a normal resource'
        else:
            why = "it is not a hook"
        for key in keys:
            yield Violation(
                doc,
                ("metadata", "annotations", key),
                f'{key} "{annotations[key]}" on {doc.ref} has no effect: {why}, and Argo CD applies '
                "delete policies only to hooks; remove it, or make the resource a hook with "
                "argocd.argoproj.io/hook",
            )


#: Kinds meant to keep running, by API group: as hooks they are never part of the app.
LONG_RUNNING_KINDS = {
    ("apps", "Deployment"),
    ("apps", "StatefulSet"),
    ("apps", "DaemonSet"),
    ("apps", "ReplicaSet"),
    ("", "Service"),
    ("networking.k8s.io", "Ingress"),
    ("extensions", "Ingress"),
}


def hook_lifetime(doc: Document, policies: frozenset[str]) -> str:
    """What Argo CD's delete policies do to this hook object across syncs."""
    if not doc.name:
        if HOOK_SUCCEEDED in policies:
            return "every sync creates a new copy under a new name and deletes it once the sync succeeds"
        return "every sync creates another copy under a new name"
    if BEFORE_HOOK_CREATION in policies:
        return "Argo CD deletes and re-creates it on every sync"
    if HOOK_SUCCEEDED in policies:
        return "Argo CD deletes it at the end of every successful sync"
    return "Argo CD deletes it whenever a sync fails"


class WorkloadAsHook(DocumentCheck):
    key = "workload-as-hook"

    def check_document(self, doc: Document, context: CheckContext) -> Iterator[Violation]:
        if (doc.group, doc.kind) not in LONG_RUNNING_KINDS:
            return
        hook = context.manifests.plan.of(doc).hook
        if not hook.is_hook or not hook.sync_phases:
            return
        key = HOOK if HOOK in doc.annotations else HELM_HOOK
        yield Violation(
            doc,
            ("metadata", "annotations", key),
            f"{doc.ref} is a long-running {doc.kind} annotated as a {', '.join(hook.sync_phases)} "
            f"hook: {hook_lifetime(doc, hook.delete_policies)}, and as a hook it is left out of "
            "the app's sync status and health and never pruned; make it a normal resource and "
            "order it with argocd.argoproj.io/sync-wave",
        )
