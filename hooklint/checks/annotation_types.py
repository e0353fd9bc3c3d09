"""HL001 annotation-not-string."""

from __future__ import annotations

from typing import Any, Iterator

from hooklint.argocd.resources import POD_SPEC_PATHS
from hooklint.check import CheckContext, DocumentCheck, Violation
from hooklint.model import Document, YamlPath


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


class AnnotationNotString(DocumentCheck):
    key = "annotation-not-string"

    def check_document(self, doc: Document, context: CheckContext) -> Iterator[Violation]:
        annotations = doc.annotations
        for key, value in annotations.items():
            if not isinstance(value, str):
                yield Violation(
                    doc,
                    ("metadata", "annotations", key),
                    f'annotation "{key}" on {doc.ref} is {yaml_type(value)}, not a string: '
                    "kubectl cannot decode the object, and Argo CD fails to generate the app's "
                    "manifests (ComparisonError) so nothing syncs; quote the value "
                    "(Kustomize quotes it silently, which hides this)",
                )
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
