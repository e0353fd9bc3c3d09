"""Hover text: a rule's summary and remediation, or what an Argo CD annotation does.

The annotation texts say what Argo CD and gitops-engine do with each key (see
``argocd-semantics.md``), with the valid values spelled exactly, since every
comparison Argo CD makes on them is exact and case-sensitive.
"""

from __future__ import annotations

import re

from hooklint.argocd import annotations as ann
from hooklint.spec import RuleSpec
from hooklint.suppress import ANNOTATION_PREFIX
from hooklint.values import dataclass

RULE_DOC_URI = "https://github.com/hooklint/hooklint/blob/main/rules/{name}.md"

#: ``key:`` at the start of a line (block mapping, maybe a ``- `` item) or after ``{``/``,`` (flow).
_KEY_RE = re.compile(
    r"""(?:^[ \t]*(?:-[ \t]+)*|[{,][ \t]*)(?P<q>["']?)(?P<key>[\w.\-/]+)(?P=q)[ \t]*:(?=\s|$)"""
)


@dataclass(frozen=True)
class AnnotationDoc:
    summary: str
    values: str
    source: str


ANNOTATION_DOCS: dict[str, AnnotationDoc] = {
    ann.HOOK: AnnotationDoc(
        "Makes the object a resource hook: Argo CD applies it in the named sync phase(s) instead of "
        "as a normal resource, never prunes it, and waits for it to be Healthy (a Job: Complete).",
        "comma-separated, exact case: `PreSync`, `Sync`, `PostSync`, `SyncFail`, `Skip` (never "
        "applied), `PostDelete` (Argo CD 2.10+), `PreDelete` (3.3+). An unknown value (`Presync`) "
        "leaves a hook with no type, which Argo CD drops silently.",
        "gitops-engine pkg/sync/hook/hook.go (Types, IsHook); argo-cd controller/hook.go",
    ),
    ann.DELETE_POLICY: AnnotationDoc(
        "When Argo CD deletes a hook object. With none, the default is `BeforeHookCreation`. "
        "Meaningless on objects that are not hooks.",
        "comma-separated, exact case: `BeforeHookCreation` (delete the old object before creating "
        "the hook again), `HookSucceeded` (delete when the whole sync succeeds), `HookFailed` "
        "(delete when the sync fails). Unknown items are dropped silently.",
        "gitops-engine pkg/sync/hook/delete_policy.go, pkg/sync/sync_task.go",
    ),
    ann.SYNC_WAVE: AnnotationDoc(
        "The object's wave: inside a phase, Argo CD applies wave by wave, lowest first, and waits "
        "for every object of a wave to be Healthy before the next one.",
        'a quoted integer, such as `"-1"` or `"5"` (strconv.Atoi; keep it within int32). Anything '
        'else (`"1.5"`, `" 2"`) silently counts as `helm.sh/hook-weight`, else 0; an unquoted '
        "number is not a string and fails the whole application.",
        "gitops-engine pkg/sync/syncwaves/waves.go (Wave)",
    ),
    ann.SYNC_OPTIONS: AnnotationDoc(
        "Per-resource sync options.",
        "comma-separated, exact: `Prune=false`, `Prune=confirm`, `Delete=false`, `Delete=confirm`, "
        "`Validate=false`, `SkipDryRunOnMissingResource=true`, `PruneLast=true`, `Replace=true`, "
        "`Force=true`, `ServerSideApply=true`, `ServerSideApply=false`. Application-level options "
        "(`CreateNamespace=true`, ...) mean nothing here and are ignored.",
        "gitops-engine pkg/sync/sync_context.go; argo-cd controller/state.go",
    ),
    "argocd.argoproj.io/compare-options": AnnotationDoc(
        "How Argo CD compares this resource.",
        "`IgnoreExtraneous`: an extraneous live object does not make the app OutOfSync. "
        "(`ServerSideDiff`, `IncludeMutationWebhook` are read from the Application only.)",
        "argo-cd controller/state.go",
    ),
    "argocd.argoproj.io/ignore-healthcheck": AnnotationDoc(
        "Leaves the resource out of the application's aggregated health (read from the live "
        "object). Sync waves still wait for it to be Healthy: the sync gets only the Lua health "
        "overrides.",
        '`"true"` (exactly).',
        "argo-cd controller/health.go (setApplicationHealth), controller/sync.go (WithHealthOverride)",
    ),
    ann.HELM_HOOK: AnnotationDoc(
        "A Helm hook, which Argo CD maps to its own hook types when the object has no valid "
        "`argocd.argoproj.io/hook` type.",
        "comma-separated: `pre-install`, `pre-upgrade` (PreSync), `post-install`, `post-upgrade` "
        "(PostSync), `post-delete` (PostDelete, 2.10+), `pre-delete` (PreDelete, 3.3+); "
        "`crd-install` alone is not a hook. Others (`test`, `pre-rollback`, ...) leave a hook with "
        "no type, which Argo CD drops.",
        "gitops-engine pkg/sync/hook/helm/type.go; argo-cd controller/hook.go",
    ),
    ann.HELM_WEIGHT: AnnotationDoc(
        "The object's wave when `argocd.argoproj.io/sync-wave` is absent or not an integer "
        "(for every object, hook or not).",
        "a quoted integer (strconv.Atoi); anything else counts as 0.",
        "gitops-engine pkg/sync/hook/helm/weight.go",
    ),
    ann.HELM_DELETE_POLICY: AnnotationDoc(
        "Helm delete policies, merged with `argocd.argoproj.io/hook-delete-policy`.",
        "comma-separated: `before-hook-creation`, `hook-succeeded`, `hook-failed`.",
        "gitops-engine pkg/sync/hook/helm/delete_policy.go",
    ),
}


def annotation_key_at(line: str, column: int) -> tuple[str, int, int] | None:
    """The mapping key under 0-based ``column`` of ``line``, with its start and end columns."""
    for match in _KEY_RE.finditer(line):
        start, end = match.start("key"), match.end("key")
        if match.group("q"):
            start, end = start - 1, end + 1
        if start <= column <= end:
            return match.group("key"), start, end
    return None


def annotation_hover(key: str, specs: dict[str, RuleSpec]) -> str | None:
    """Markdown for an annotation key Argo CD (or hooklint) reads, or None."""
    doc = ANNOTATION_DOCS.get(key)
    if doc is not None:
        return f"**`{key}`**\n\n{doc.summary}\n\n**Values:** {doc.values}\n\n*Source:* {doc.source}"
    if key.startswith(ANNOTATION_PREFIX):
        name = key[len(ANNOTATION_PREFIX) :]
        target = "every hooklint rule" if name == "all" else None
        spec = specs.get(name)
        if spec is not None:
            target = f"{spec.code} {spec.name}"
        if target is None:
            return f"**`{key}`**\n\nNo hooklint rule is named `{name}`: this suppresses nothing."
        return (
            f"**`{key}`**\n\nSuppresses {target} on this object; the value is the reason shown "
            "with `--include-suppressed`."
        )
    return None


def rule_hover(spec: RuleSpec, message: str, severity: str) -> str:
    """Markdown for one finding: the message, the rule's summary, the fix and the doc link."""
    link = RULE_DOC_URI.format(name=spec.name)
    return (
        f"**{spec.code}** `{spec.name}` ({severity})\n\n{message}\n\n{spec.summary}.\n\n"
        f"**Fix:** {spec.remediation}\n\n[Rule documentation]({link})"
    )
