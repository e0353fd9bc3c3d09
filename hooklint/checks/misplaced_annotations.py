"""HL006 misplaced-argocd-annotation."""

from __future__ import annotations

from hooklint.argocd.annotations import DELETE_POLICY, HOOK, SYNC_OPTIONS, SYNC_WAVE
from hooklint.argocd.resources import POD_SPEC_PATHS
from hooklint.check import CheckContext, DocumentCheck, Violation
from hooklint.model import Document, YamlPath

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Iterator

#: Annotations Argo CD reads from the object itself to decide how to sync it.
#: (argocd.argoproj.io/instance, secret-type and friends are real labels, so the rule
#: names the annotation keys instead of the whole prefix.)
ARGOCD_OBJECT_ANNOTATIONS = frozenset(
    {
        HOOK,
        DELETE_POLICY,
        SYNC_WAVE,
        SYNC_OPTIONS,
        "argocd.argoproj.io/compare-options",
        "argocd.argoproj.io/ignore-healthcheck",
    }
)
HELM_HOOK_PREFIX = "helm.sh/hook"


def is_sync_annotation(key: object) -> bool:
    return isinstance(key, str) and (key in ARGOCD_OBJECT_ANNOTATIONS or key.startswith(HELM_HOOK_PREFIX))


def template_metadata_paths(doc: Document) -> list[YamlPath]:
    """The metadata of the templates an object stamps out (pods, and a CronJob's Jobs)."""
    spec_path = POD_SPEC_PATHS.get(doc.kind)
    if spec_path is None:
        return []
    paths: list[YamlPath] = []
    if doc.kind == "CronJob":
        paths.append(("spec", "jobTemplate", "metadata"))
    paths.append((*spec_path[:-1], "metadata"))
    return paths


def reader(key: str) -> str:
    return "Helm (and Argo CD)" if key.startswith(HELM_HOOK_PREFIX) else "Argo CD"


def _where(path: YamlPath) -> str:
    if path[:2] == ("spec", "jobTemplate") and len(path) == 3:
        return "the Job template's metadata"
    return "the pod template's metadata"


class MisplacedArgocdAnnotation(DocumentCheck):
    key = "misplaced-argocd-annotation"

    def check_document(self, doc: Document, context: CheckContext) -> Iterator[Violation]:
        found: list[Violation] = []  # the plan is asked only when there is something to say
        own = doc.annotations
        labels = doc.metadata.get("labels")
        if isinstance(labels, dict):
            for key in labels:
                # is_sync_annotation, inline: this runs for every label of every object
                if (
                    key in ARGOCD_OBJECT_ANNOTATIONS
                    or (isinstance(key, str) and key.startswith(HELM_HOOK_PREFIX))
                ) and key not in own:
                    found.append(
                        Violation(
                            doc,
                            ("metadata", "labels", key),
                            f'"{key}" on {doc.ref} is a label, but {reader(key)} reads it only from '
                            "metadata.annotations, so it has no effect; move it to metadata.annotations",
                            key=True,
                        )
                    )
        for meta_path in template_metadata_paths(doc):
            meta = doc.get(meta_path)
            if not isinstance(meta, dict):
                continue
            for field in ("annotations", "labels"):
                entries = meta.get(field)
                if not isinstance(entries, dict):
                    continue
                for key in entries:
                    if is_sync_annotation(key) and key not in own:
                        found.append(
                            Violation(
                                doc,
                                (*meta_path, field, key),
                                f'"{key}" on {doc.ref} is in {_where(meta_path)} ({field}), but '
                                f"{reader(key)} reads it only from the object's own "
                                "metadata.annotations, so it has no effect; move it there",
                                key=True,
                            )
                        )
        if found and not context.manifests.plan.of(doc).hook.dropped:  # dropped: never applied,
            yield from found  # HL003 / HL106 say so
