"""HL306 wave-on-ungated-hook."""

from __future__ import annotations

from hooklint.argocd.annotations import SYNC_FAIL, SYNC_WAVE
from hooklint.check import CheckContext, DocumentCheck, Violation
from hooklint.model import Document

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Iterator


class WaveOnUngatedHook(DocumentCheck):
    key = "wave-on-ungated-hook"
    annotation_keys = frozenset((SYNC_WAVE,))

    def check_document(self, doc: Document, context: CheckContext) -> Iterator[Violation]:
        if SYNC_WAVE not in doc.annotations:
            return
        hook = context.manifests.plan.of(doc).hook
        if not hook.is_hook:
            return
        phases = hook.sync_phases
        if any(p != SYNC_FAIL for p in phases) or not (phases or hook.delete_types):
            return  # a gated phase uses the wave, or the hook is never run at all
        wave = doc.annotations[SYNC_WAVE]
        shown = f'"{wave}"' if isinstance(wave, str) else str(wave)
        if phases:
            kinds = "SyncFail" + "".join(f"/{t}" for t in hook.delete_types)
            effect = (
                "Argo CD starts every SyncFail hook in one go: the wave only orders their "
                "creation and nothing waits for an earlier wave to finish"
            )
        else:
            kinds = "/".join(hook.delete_types)
            effect = (
                f"Argo CD creates all {kinds} hooks at once when the Application is deleted; "
                "waves play no part"
            )
        yield Violation(
            doc,
            ("metadata", "annotations", SYNC_WAVE),
            f"sync-wave {shown} on {kinds} hook {doc.ref} has no gating effect: {effect}; "
            "remove the annotation, or chain the work in one hook if it must run in order",
            key=True,
        )
