"""How Argo CD names hooks, and names it cannot apply.

HL102 generate-name-on-non-hook, HL103 generate-name-hook-without-cleanup,
HL108 hook-name-too-long.
"""

from __future__ import annotations

from hooklint.argocd.annotations import (
    DELETE_POLICIES,
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

#: Argo CD names a generateName hook ``generateName + lower(rev7 + "-" + phase + "-" + unix)``
#: (GE sync_context.go getSyncTasks): at most 7 + 1 + len(phase) + 1 + 10 characters.
_SUFFIX_FIXED = 7 + 1 + 1 + 10

#: (group, kind) -> the longest metadata.name the API server accepts, and why.
NAME_LIMITS: dict[tuple[str, str], tuple[int, str]] = {
    ("batch", "Job"): (63, "the name goes into a pod-template label, and labels stop at 63"),
    ("batch", "CronJob"): (52, "Kubernetes keeps 11 characters for the names of the Jobs it creates"),
    ("", "Service"): (63, "a Service name must be a DNS label"),
    ("", "Namespace"): (63, "a Namespace name must be a DNS label"),
}
DEFAULT_LIMIT = (253, "object names are DNS subdomains")
_SHORTEST_LIMIT = min(limit for limit, _ in (*NAME_LIMITS.values(), DEFAULT_LIMIT))


def name_limit(doc: Document) -> tuple[int, str]:
    if doc.kind == "Job" and doc.group == "batch" and doc.get(("spec", "manualSelector")) is True:
        return DEFAULT_LIMIT  # no generated selector, so no job-name label
    return NAME_LIMITS.get((doc.group, doc.kind), DEFAULT_LIMIT)


def suffix_length(phase: str) -> int:
    """The most characters Argo CD appends to a generateName hook in this phase."""
    return _SUFFIX_FIXED + len(phase)


def cleanup_path(doc: Document) -> YamlPath:
    """The delete policy annotation, or else the hook annotation it belongs next to."""
    annotations = doc.annotations
    for key in (DELETE_POLICY, HELM_DELETE_POLICY, HOOK, HELM_HOOK):
        if key in annotations:
            return ("metadata", "annotations", key)
    return ("metadata", "annotations")


class GenerateNameOnNonHook(DocumentCheck):
    key = "generate-name-on-non-hook"

    def check_document(self, doc: Document, context: CheckContext) -> Iterator[Violation]:
        if doc.name or not doc.generate_name or not annotations_readable(doc):
            return
        hook = context.manifests.plan.of(doc).hook
        if hook.is_hook or hook.skip:
            return
        yield Violation(
            doc,
            ("metadata", "generateName"),
            f"{doc.ref} uses metadata.generateName but is not a hook: Argo CD names only hooks, "
            "and kubectl apply refuses an object without a name, so the dry run fails and the "
            "whole sync fails; set metadata.name, or make it a hook with argocd.argoproj.io/hook",
        )


class GenerateNameHookWithoutCleanup(DocumentCheck):
    key = "generate-name-hook-without-cleanup"

    def check_document(self, doc: Document, context: CheckContext) -> Iterator[Violation]:
        if doc.name or not doc.generate_name:
            return
        hook = context.manifests.plan.of(doc).hook
        if not hook.is_hook or not hook.sync_phases:
            return  # not a sync hook (or never applied: HL003/HL106)
        policies = hook.delete_policies
        if HOOK_SUCCEEDED in policies or HOOK_FAILED in policies:
            return
        if (
            doc.group == "batch"
            and doc.kind == "Job"
            and isinstance(doc.get(("spec", "ttlSecondsAfterFinished")), int)
        ):
            return  # the TTL controller deletes each finished copy
        fix = (
            "add hook-succeeded (and hook-failed) to helm.sh/hook-delete-policy"
            if hook.source == "helm" and DELETE_POLICY not in doc.annotations
            else "add HookSucceeded (and HookFailed) to argocd.argoproj.io/hook-delete-policy"
        )
        written = (
            ", ".join(p for p in DELETE_POLICIES if p in policies)
            if hook.explicit_policies
            else "none set, so the default BeforeHookCreation"
        )
        yield Violation(
            doc,
            cleanup_path(doc),
            f"hook {doc.ref} uses generateName, so every sync creates a new {doc.kind or 'object'}, "
            f"and its delete policy ({written}) removes none of them: BeforeHookCreation only "
            f"deletes an object of the same name, so one {doc.kind or 'object'} piles up per sync; "
            f"{fix}",
        )


class HookNameTooLong(DocumentCheck):
    key = "hook-name-too-long"

    def check_document(self, doc: Document, context: CheckContext) -> Iterator[Violation]:
        if doc.name and len(doc.name) <= _SHORTEST_LIMIT:
            return  # within every limit (most objects)
        limit, why = name_limit(doc)
        hook = context.manifests.plan.of(doc).hook
        if hook.dropped or (hook.skip and not hook.delete_types):
            return  # never applied
        if doc.name:
            if len(doc.name) > limit:
                yield Violation(
                    doc,
                    ("metadata", "name"),
                    f'name "{doc.name}" of {doc.kind or "the object"} is {len(doc.name)} characters; '
                    f"the API server rejects more than {limit} ({why}), so the sync fails; shorten it",
                )
            return
        if not doc.generate_name or not hook.is_hook or not hook.sync_phases:
            return  # only sync hooks get their name from Argo CD
        phase = max(hook.sync_phases, key=len)
        extra = suffix_length(phase)
        total = len(doc.generate_name) + extra
        if total <= limit:
            return
        yield Violation(
            doc,
            ("metadata", "generateName"),
            f'hook {doc.ref} has generateName "{doc.generate_name}" ({len(doc.generate_name)} '
            f'characters), and Argo CD appends up to {extra} more ("<revision>-{phase.lower()}-'
            f'<unix time>"), so its name can reach {total} characters; the API server rejects '
            f"more than {limit} ({why}) and the sync fails; keep generateName to "
            f"{limit - extra} characters",
        )
