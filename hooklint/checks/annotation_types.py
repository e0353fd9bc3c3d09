"""HL001 annotation-not-string."""

from __future__ import annotations

from hooklint.argocd.annotations import HOOK, SYNC_WAVE, annotations_readable
from hooklint.argocd.resources import POD_SPEC_PATHS
from hooklint.check import CheckContext, DocumentCheck, Violation
from hooklint.model import Document, YamlPath

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Any, Iterator


def yaml_type(value: Any) -> str:
    """How YAML typed a non-string value, in the user's words."""
    if value is None:
        return "null (no value)"
    if isinstance(value, bool):
        return f"a boolean ({'true' if value else 'false'})"
    if isinstance(value, int):
        return f"an integer ({value})"
    if isinstance(value, float):
        return f"a float ({value})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _null_effect(key: str, doc: Document, context: CheckContext) -> str:
    resource = context.manifests.plan.of(doc)
    if key == HOOK and resource.hook.dropped:
        return " (a hook of no type: Argo CD never applies it)"
    if key == SYNC_WAVE:
        return f" (not a number: wave {resource.wave.value})"
    return ""


class AnnotationNotString(DocumentCheck):
    key = "annotation-not-string"

    def check_document(self, doc: Document, context: CheckContext) -> Iterator[Violation]:
        if doc.string_annotations is not doc.annotations:  # the same mapping when all are strings
            yield from self._non_strings(doc, context)
        if doc.kind in POD_SPEC_PATHS:
            yield from self._template_annotations(doc)

    def _non_strings(self, doc: Document, context: CheckContext) -> Iterator[Violation]:
        annotations = doc.annotations
        # The repo-server sets its tracking annotation on every object but CRDs (AE
        # reposerver/repository/repository.go, `!kube.IsCRD(target)` before SetAppInstance);
        # util/kube/kube.go SetAppInstanceAnnotation reads the map with NestedStringMap, which
        # fails on any non-string value, null included: manifest generation fails.
        crd = doc.kind == "CustomResourceDefinition" and doc.group == "apiextensions.k8s.io"
        readable = annotations_readable(doc, context.manifests.version)
        for key, value in annotations.items():
            if isinstance(value, str):
                continue
            if value is None:
                effect = f'Argo CD reads it as ""{_null_effect(str(key), doc, context)}'
                if not readable:
                    effect = "Argo CD ignores every annotation of the object"
                if not crd:
                    effect += (
                        ", and with annotation-based tracking (the default) the repo-server "
                        "refuses the object (failed to set app instance tracking info), so "
                        "nothing syncs"
                    )
                message = f'annotation "{key}" on {doc.ref} has no value (null): {effect}; write a value'
            elif crd:
                message = (
                    f'annotation "{key}" on {doc.ref} is {yaml_type(value)}, not a string: kubectl '
                    "cannot decode the object, and Argo CD ignores every annotation of it; quote the value"
                )
            else:
                message = (
                    f'annotation "{key}" on {doc.ref} is {yaml_type(value)}, not a string: '
                    "kubectl cannot decode the object, and Argo CD fails to generate the app's "
                    "manifests (ComparisonError) so nothing syncs; quote the value "
                    "(Kustomize quotes it silently, which hides this)"
                )
            yield Violation(doc, ("metadata", "annotations", key), message)

    def _template_annotations(self, doc: Document) -> Iterator[Violation]:
        spec_path = POD_SPEC_PATHS.get(doc.kind)
        if spec_path is None:
            return
        template: YamlPath = spec_path[:-1]
        template_annotations = doc.get((*template, "metadata", "annotations"))
        if not isinstance(template_annotations, dict):
            return
        for key, value in template_annotations.items():
            if not isinstance(value, str):
                yield Violation(
                    doc,
                    (*template, "metadata", "annotations", key),
                    f'pod template annotation "{key}" on {doc.ref} is {yaml_type(value)}, not a '
                    "string: the API server rejects the object when Argo CD applies it "
                    "(Helm renders it without complaint); quote the value",
                )
