"""HL005 unknown-sync-option."""

from __future__ import annotations

from hooklint.argocd.annotations import SYNC_OPTIONS, annotations_readable, csv_items
from hooklint.check import CheckContext, DocumentCheck, Violation
from hooklint.model import Document
from hooklint.suggest import closest

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Iterator

#: Options Argo CD reads from a resource's annotation, with the values that do something
#: (GE pkg/sync/common/types.go; read in GE sync_context.go and AE controller/state.go,
#: controller/appcontroller.go).  ``Prune=true`` / ``Delete=true`` override an
#: Application-level ``Prune=``/``Delete=`` option (v3.4+).
RESOURCE_OPTIONS: dict[str, tuple[str, ...]] = {
    "Prune": ("false", "confirm", "true"),
    "Delete": ("false", "confirm", "true"),
    "Validate": ("false",),
    "SkipDryRunOnMissingResource": ("true",),
    "PruneLast": ("true",),
    "Replace": ("true",),
    "Force": ("true",),
    "ServerSideApply": ("true", "false"),
}
#: Written with their default value, these do nothing at all.
NO_OP_VALUES = {
    "Validate": "true",
    "SkipDryRunOnMissingResource": "false",
    "PruneLast": "false",
    "Replace": "false",
    "Force": "false",
}
#: Options Argo CD reads only from an Application's spec.syncPolicy.syncOptions.
APPLICATION_OPTIONS = (
    "CreateNamespace",
    "ApplyOutOfSyncOnly",
    "PrunePropagationPolicy",
    "RespectIgnoreDifferences",
    "FailOnSharedResource",
    "ClientSideApplyMigration",
)
#: Options about pruning, which Argo CD never does to hooks: getSyncTasks skips hooks
#: among the managed resources (GE sync_context.go "Skipping hook"), so no prune task
#: exists for one.  (Delete=false does act on hooks: app deletion skips them.)
NO_OP_ON_HOOKS = ("Prune=false", "Prune=confirm", "PruneLast=true")
#: Options Argo CD reads by "first item with this key wins" (GetAnnotationOptionValue).
FIRST_WINS = ("Prune", "Delete")


def item_problem(item: str) -> str | None:
    """Why Argo CD does not act on one (trimmed) sync-options item, or None.

    The text follows 'sync option "<item>" on <ref> '.
    """
    key, sep, value = item.partition("=")
    if sep and value in RESOURCE_OPTIONS.get(key, ()):
        return None
    bare_key, bare_value = key.strip(), value.strip()
    if bare_key in APPLICATION_OPTIONS:
        return (
            "is an Application sync option: Argo CD reads it only from the Application's "
            "spec.syncPolicy.syncOptions, never from a resource"
        )
    if key in RESOURCE_OPTIONS and sep and NO_OP_VALUES.get(key) == value:
        return (
            "does nothing: Argo CD never reads it, so it neither changes the default nor "
            f"overrides the Application's {key} option"
        )
    canonical = closest(bare_key, (*RESOURCE_OPTIONS, *APPLICATION_OPTIONS))
    if canonical is None:
        return "is not a sync option Argo CD knows on a resource (it reads " + _known() + ")"
    if canonical in APPLICATION_OPTIONS:
        return (
            f"looks like the Application sync option {canonical}, which Argo CD reads only from "
            "the Application's spec.syncPolicy.syncOptions"
        )
    allowed = ", ".join(f"{canonical}={v}" for v in RESOURCE_OPTIONS[canonical])
    if not sep:
        return f"has no value: Argo CD reads only {allowed}"
    fixed = next((v for v in RESOURCE_OPTIONS[canonical] if v.lower() == bare_value.lower()), None)
    if fixed is None:
        return f"has a value Argo CD does not read: it reads only {allowed}"
    spaces = " (no spaces around '=')" if (key != bare_key or value != bare_value) else ""
    return (
        "is not spelled the way Argo CD compares it (exactly, case-sensitively): "
        f'write "{canonical}={fixed}"{spaces}'
    )


def is_job(doc: Document) -> bool:
    return doc.kind == "Job" and doc.group == "batch"


def _known() -> str:
    return ", ".join(f"{k}={v}" for k, values in RESOURCE_OPTIONS.items() for v in values)


class UnknownSyncOption(DocumentCheck):
    key = "unknown-sync-option"
    annotation_keys = frozenset((SYNC_OPTIONS,))

    def check_document(self, doc: Document, context: CheckContext) -> Iterator[Violation]:
        text = doc.annotation(SYNC_OPTIONS)
        if text is None or not annotations_readable(doc):
            return
        hook = context.manifests.plan.of(doc).hook
        if hook.dropped:
            return  # never applied: HL003 / HL106 say so
        path = ("metadata", "annotations", SYNC_OPTIONS)
        first: dict[str, str] = {}
        items = csv_items(text)
        for item in items:
            problem = item_problem(item)
            if problem is not None:
                yield Violation(
                    doc, path, f'sync option "{item}" on {doc.ref} {problem}; Argo CD ignores it silently'
                )
                continue
            key = item.partition("=")[0]
            if key in FIRST_WINS:
                if key in first:
                    yield Violation(
                        doc,
                        path,
                        f'sync option "{item}" on {doc.ref} is ignored, because Argo CD uses the '
                        f'first {key}= item ("{first[key]}"); keep one',
                    )
                else:
                    first[key] = item
        if hook.is_hook:
            for item in items:
                if item in NO_OP_ON_HOOKS:
                    yield Violation(
                        doc,
                        path,
                        f'sync option "{item}" on hook {doc.ref} does nothing: Argo CD never '
                        "prunes hooks (they are deleted by their delete policy); remove it",
                    )
        elif is_job(doc) and "Replace=true" in items and "Force=true" not in items:
            yield Violation(
                doc,
                path,
                f'sync option "Replace=true" on {doc.ref} without "Force=true": a changed Job '
                "still fails to sync, since kubectl replace cannot change its immutable "
                'spec.template; add "Force=true" (delete and re-create)',
            )
        if "ServerSideApply=true" in items and "ServerSideApply=false" in items:
            yield Violation(
                doc,
                path,
                f'sync option "ServerSideApply=true" on {doc.ref} is ignored, because '
                '"ServerSideApply=false" on the same resource wins; keep one',
            )
