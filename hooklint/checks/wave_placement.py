"""HL008 wave-outside-annotations."""

from __future__ import annotations

from functools import lru_cache

from hooklint.argocd.annotations import DELETE_POLICY, HELM_WEIGHT, HOOK, SYNC_OPTIONS, SYNC_WAVE
from hooklint.argocd.resources import POD_SPEC_PATHS
from hooklint.check import CheckContext, DocumentCheck, Violation
from hooklint.checks.misplaced_annotations import is_sync_annotation
from hooklint.memo import BoundedMemo
from hooklint.model import Document, YamlPath

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Iterator

#: Field names (lower case, separators dropped) that mean a wave or a hook, and the
#: annotation Argo CD reads instead.
_SPEC_FIELDS = {
    "syncwave": SYNC_WAVE,
    "syncwaves": SYNC_WAVE,
    "argocdsyncwave": SYNC_WAVE,
    "argocdhook": HOOK,
    "hookweight": HELM_WEIGHT,
    "hookdeletepolicy": DELETE_POLICY,
}
#: metadata has a fixed set of fields, so a bare ``hook`` there is a hook too.
_METADATA_FIELDS = {**_SPEC_FIELDS, "hook": HOOK, "syncoptions": SYNC_OPTIONS}


#: In a non-workload's template only the keys that place a resource in the sync are
#: meaningless: the object it makes is never in the sync's target set.  Sync and compare
#: options do act on such an object once a controller copies Argo CD's tracking label onto it
#: (``compare-options: IgnoreExtraneous``, ``sync-options: Prune=false``).
_PLACEMENT_KEYS = frozenset((SYNC_WAVE, HOOK, DELETE_POLICY))


def is_placement_key(key: object) -> bool:
    return isinstance(key, str) and (key in _PLACEMENT_KEYS or key.startswith("helm.sh/hook"))


@lru_cache(maxsize=4096)  # the same keys in every object
def _compact(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _meant(key: object, fields: dict[str, str]) -> str | None:
    """The annotation a misplaced field ``key`` stands for, or None."""
    if not isinstance(key, str):
        return None
    if is_sync_annotation(key):
        return key
    return fields.get(_compact(key))


#: _meant of each key seen, for metadata and for spec fields: the same keys are in every object
_METADATA_MEANT: BoundedMemo[object, str | None] = BoundedMemo(lambda key: _meant(key, _METADATA_FIELDS))
_SPEC_MEANT: BoundedMemo[object, str | None] = BoundedMemo(lambda key: _meant(key, _SPEC_FIELDS))


class WaveOutsideAnnotations(DocumentCheck):
    key = "wave-outside-annotations"

    def check_document(self, doc: Document, context: CheckContext) -> Iterator[Violation]:
        memo = _METADATA_MEANT
        for key in doc.metadata:
            if key in ("annotations", "labels"):
                continue
            meant = memo[key]
            if meant is not None:
                yield self._violation(doc, ("metadata", key), "a metadata field", meant)
        spec = doc.root.get("spec")
        if isinstance(spec, dict):
            memo = _SPEC_MEANT
            for key in spec:
                meant = memo[key]
                if meant is not None:
                    yield self._violation(doc, ("spec", key), "a spec field", meant)
        if doc.kind in POD_SPEC_PATHS:
            return  # a workload's pod template: HL006 (misplaced-argocd-annotation) reports it
        for field in ("annotations", "labels"):
            entries = doc.get(("spec", "template", "metadata", field))
            if isinstance(entries, dict):
                for key in entries:
                    if is_placement_key(key):
                        where = f"in spec.template.metadata.{field}"
                        yield self._violation(doc, ("spec", "template", "metadata", field, key), where, key)

    @staticmethod
    def _violation(doc: Document, path: YamlPath, where: str, meant: str) -> Violation:
        step = path[-1]
        name = ".".join(str(p) for p in path[:-1]) + (f'["{step}"]' if "/" in str(step) else f".{step}")
        if where.startswith("in "):
            text = f'"{step}" on {doc.ref} is {where}, a template Argo CD never reads'
        else:
            text = f"{name} on {doc.ref} is {where}, which Argo CD never reads"
        return Violation(
            doc,
            path,
            f'{text}; it reads only metadata.annotations["{meant}"], so this has no effect',
            key=True,
        )
