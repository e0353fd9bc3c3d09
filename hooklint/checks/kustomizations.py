"""HL011 hook-annotation-in-common-annotations."""

from __future__ import annotations

from hooklint.argocd.annotations import HELM_HOOK, HOOK, SYNC_WAVE
from hooklint.check import CheckContext, DocumentCheck, Violation
from hooklint.model import Document, Severity

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Iterator

KUSTOMIZE_GROUP = "kustomize.config.k8s.io"
KUSTOMIZE_KINDS = ("Kustomization", "Component")
#: kustomize reads a kustomization file without apiVersion/kind as a Kustomization.
KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")


def is_kustomization(doc: Document) -> bool:
    if doc.group == KUSTOMIZE_GROUP and doc.kind in KUSTOMIZE_KINDS:
        return True
    name = doc.file.path.rpartition("/")[2]
    return name in KUSTOMIZATION_FILES and not doc.kind


class HookAnnotationInCommonAnnotations(DocumentCheck):
    key = "hook-annotation-in-common-annotations"

    def check_document(self, doc: Document, context: CheckContext) -> Iterator[Violation]:
        if not is_kustomization(doc):
            return
        common = doc.root.get("commonAnnotations")
        if not isinstance(common, dict):
            return
        what = "Component" if doc.kind == "Component" else "kustomization"
        for key in (HOOK, HELM_HOOK):
            if key in common:
                yield Violation(
                    doc,
                    ("commonAnnotations", key),
                    f'{key}: "{common[key]}" in the {what}\'s commonAnnotations makes every resource it '
                    "renders a hook, deleted and re-created on each sync (argo-cd#21939); annotate the "
                    "hook resources themselves, or use a patch with a target",
                    key=True,
                )
        if SYNC_WAVE in common:
            yield Violation(
                doc,
                ("commonAnnotations", SYNC_WAVE),
                f'{SYNC_WAVE}: "{common[SYNC_WAVE]}" in the {what}\'s commonAnnotations overwrites the wave '
                "of every resource it renders, flattening the waves below it into one",
                key=True,
                severity=Severity.INFO,  # sometimes what an aggregate wants: worth knowing, not wrong
            )
