"""HL012 wave-out-of-range."""

from __future__ import annotations

from hooklint.argocd.annotations import HELM_WEIGHT, SYNC_WAVE
from hooklint.argocd.syncplan import SyncPlan, SyncTask
from hooklint.check import CheckContext, DocumentCheck, Violation
from hooklint.model import Document

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Iterator

#: Waves beyond a 32-bit int: almost surely a typo or a sentinel, never a real ordering.
WAVE_LIMIT = 2**31
_WRAP = 2**63


def _extremes(plan: SyncPlan) -> dict[str, tuple[SyncTask, SyncTask]]:
    """phase -> (the task of lowest wave, the task of highest wave)."""
    out: dict[str, tuple[SyncTask, SyncTask]] = {}
    for task in plan.tasks:
        low, high = out.get(task.phase, (task, task))
        out[task.phase] = (task if task.wave < low.wave else low, task if task.wave > high.wave else high)
    return out


class WaveOutOfRange(DocumentCheck):
    key = "wave-out-of-range"
    whole_set = True  # the app's wave extremes
    annotation_keys = frozenset((SYNC_WAVE, HELM_WEIGHT))  # else its wave is the default 0

    def check_document(self, doc: Document, context: CheckContext) -> Iterator[Violation]:
        manifests = context.manifests
        wave = manifests.plan.of(doc).wave
        if -WAVE_LIMIT <= wave.value < WAVE_LIMIT or wave.source == "default":
            return
        key = SYNC_WAVE if wave.source == "sync-wave" else HELM_WEIGHT
        name = "wave" if key == SYNC_WAVE else "helm.sh/hook-weight"
        message = f"{name} {wave.value} on {doc.ref} is outside +-2^31, almost surely a mistake"
        extremes = manifests.shared("wave-extremes", lambda m: _extremes(m.plan))
        for task in manifests.plan.of(doc).tasks:
            low, high = extremes[task.phase]
            other = high if high.wave - task.wave >= _WRAP else low if task.wave - low.wave >= _WRAP else None
            if other is not None:
                first = task if task.wave > other.wave else other
                effect = (
                    "no defined wave order in that phase"
                    if task.phase in manifests.plan.wave_order_unknown
                    else f"{first.doc.ref} (wave {first.wave}) first"
                )
                message += (
                    f": it is 2^63 or more from wave {other.wave} of {other.doc.ref}, so Argo CD's "
                    f"int64 wave subtraction wraps and its sort gives {effect}"
                )
                break
        yield Violation(doc, ("metadata", "annotations", key), message)
