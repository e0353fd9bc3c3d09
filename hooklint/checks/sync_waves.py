"""HL002 invalid-sync-wave."""

from __future__ import annotations

import re

from hooklint.argocd.annotations import HELM_WEIGHT, SYNC_WAVE, annotations_readable, atoi
from hooklint.check import CheckContext, DocumentCheck, Violation
from hooklint.lazyre import lazy
from hooklint.model import Document

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Iterator

#: A config-management plugin's placeholder (``${ARGOCD_ENV_WAVE}``, ``$ARGOCD_APP_NAME``,
#: envsubst's ``${VAR}`` / ``${VAR:-1}``): the plugin substitutes it before Argo CD reads the value.
PLACEHOLDER_RE = lazy(r"\$(?:\{[A-Za-z_][A-Za-z0-9_]*(?:[:?+=-][^}]*)?\}|[A-Za-z_][A-Za-z0-9_]*)")
_NUMBER_RE = lazy(r"[+-]?[0-9_]+(\.[0-9]*)?([eE][+-]?[0-9]+)?|[+-]?0[xX][0-9a-fA-F]+")


def why_not_integer(value: str) -> str:
    """A short reason Go's strconv.Atoi rejects ``value``."""
    if value == "":
        return "is empty"
    if value != value.strip() and atoi(value.strip()) is not None:
        return "has spaces around the number"
    if re.fullmatch(r"[+-]?[0-9]+", value, re.ASCII):
        return "is out of the 64-bit integer range"
    if _NUMBER_RE.fullmatch(value.strip()):
        return "is not a whole decimal number"
    return "is not an integer"


class InvalidSyncWave(DocumentCheck):
    key = "invalid-sync-wave"
    annotation_keys = frozenset((SYNC_WAVE, HELM_WEIGHT))

    def check_document(self, doc: Document, context: CheckContext) -> Iterator[Violation]:
        annotations = doc.annotations
        if SYNC_WAVE not in annotations and HELM_WEIGHT not in annotations:
            return
        if not annotations_readable(doc):
            return  # HL001's territory: Argo CD sees no annotations at all
        wave = annotations.get(SYNC_WAVE)
        weight = annotations.get(HELM_WEIGHT)
        wave_int = atoi(wave) if isinstance(wave, str) else None
        weight_int = atoi(weight) if isinstance(weight, str) else None
        # "$" first: most waves hold none, and the pattern is compiled on first use
        if isinstance(wave, str) and "$" in wave and PLACEHOLDER_RE.search(wave):
            wave = None  # rendered by a plugin: hooklint cannot tell what Argo CD will read
        if isinstance(weight, str) and "$" in weight and PLACEHOLDER_RE.search(weight):
            weight = None
        if isinstance(wave, str) and wave_int is None:
            fallback = (
                f"Argo CD silently uses helm.sh/hook-weight {weight_int} instead"
                if weight_int is not None
                else "Argo CD silently reads it as 0"
            )
            yield Violation(
                doc,
                ("metadata", "annotations", SYNC_WAVE),
                f'wave "{wave}" on {doc.ref} {why_not_integer(wave)}; {fallback}',
            )
        if isinstance(weight, str) and weight_int is None:
            if wave_int is not None:
                fallback = f"Argo CD uses sync-wave {wave_int} here, and Helm reads it as 0"
            else:
                fallback = "Argo CD and Helm silently read it as 0"
            yield Violation(
                doc,
                ("metadata", "annotations", HELM_WEIGHT),
                f'helm.sh/hook-weight "{weight}" on {doc.ref} {why_not_integer(weight)}; {fallback}',
            )
