"""HL308 hook-resource-used-by-app."""

from __future__ import annotations

from hooklint.argocd.annotations import BEFORE_HOOK_CREATION, HELM_HOOK, HOOK, HOOK_SUCCEEDED
from hooklint.argocd.resources import POD_SPEC_PATHS, placement_path, pod_references
from hooklint.check import Check, CheckContext, Related, Violation
from hooklint.model import Document

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Iterator

#: The kinds a pod spec names (see pod_references), all in the core group.
_PROVIDED_KINDS = ("ServiceAccount", "ConfigMap", "Secret", "PersistentVolumeClaim")


def _fate(policies: frozenset[str]) -> str | None:
    """What the delete policies do to a hook during syncs, or None when they keep it."""
    if HOOK_SUCCEEDED in policies:
        return "deletes it as soon as the hooks of its phase succeed"
    if BEFORE_HOOK_CREATION in policies:
        return "deletes and re-creates it at every sync"
    return None  # HookFailed alone: kept after a successful sync


class HookResourceUsedByApp(Check):
    key = "hook-resource-used-by-app"

    def run(self, context: CheckContext) -> Iterator[Violation]:
        manifests = context.manifests
        providers: dict[int, Document] = {}
        for kind in _PROVIDED_KINDS:
            for doc in manifests.by_kind.get(kind, ()):
                annotations = doc.annotations
                if HOOK not in annotations and HELM_HOOK not in annotations:
                    continue  # not a hook: no need to compute the plan
                hook = manifests.plan.of(doc).hook
                if doc.group == "" and hook.is_hook and hook.sync_phases and _fate(hook.delete_policies):
                    providers[id(doc)] = doc
        if not providers:
            return
        plan = manifests.plan
        users: dict[int, list[Related]] = {}
        for doc in manifests.documents:
            if doc.kind not in POD_SPEC_PATHS:
                continue  # nothing to depend with
            hook = plan.of(doc).hook
            if hook.is_hook or hook.never_applied:
                continue  # a hook using a hook is fine: both live only for the sync
            namespace = manifests.namespace_of(doc)
            for ref in pod_references(doc):
                for provider in manifests.find("", ref.kind, ref.name, namespace):
                    if id(provider) in providers:
                        users.setdefault(id(provider), []).append(
                            Related(doc, ref.path, f"{doc.ref} uses it ({ref.field})")
                        )
        for key, related in users.items():
            provider = providers[key]
            hook = plan.of(provider).hook
            names = ", ".join(r.doc.ref for r in related[:3]) + (", ..." if len(related) > 3 else "")
            users_text = "which is not a hook" if len(related) == 1 else "which are not hooks"
            effect = "it breaks or flaps" if len(related) == 1 else "they break or flap"
            yield Violation(
                provider,
                placement_path(provider),
                f"hook {provider.ref} ({', '.join(hook.types)}) is used by {names}, {users_text}: its "
                f"delete policy {_fate(hook.delete_policies)}, so {effect}; make it a normal resource "
                "in an earlier wave",
                tuple(related),
            )
