"""generateName where it does not do what the author wants: HL110
generate-name-in-pod-template, HL111 name-and-generate-name."""

from __future__ import annotations

from hooklint.check import CheckContext, DocumentCheck, Violation
from hooklint.model import Document

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Iterator


class GenerateNameInPodTemplate(DocumentCheck):
    key = "generate-name-in-pod-template"

    def check_document(self, doc: Document, context: CheckContext) -> Iterator[Violation]:
        if doc.kind != "Job" or doc.group != "batch" or doc.generate_name or not doc.name:
            return
        template_name = doc.get(("spec", "template", "metadata", "generateName"))
        if not isinstance(template_name, str):
            return
        hook = context.manifests.plan.of(doc).hook
        if not hook.is_hook or hook.never_applied:
            return
        yield Violation(
            doc,
            ("spec", "template", "metadata", "generateName"),
            f'generateName "{template_name}" on hook {doc.ref} is in the pod template, where it '
            f'names pods, not the Job: the hook keeps its fixed name "{doc.name}"; move it to the '
            "Job's metadata.generateName (and drop metadata.name)",
            key=True,
        )


def exported_from_cluster(doc: Document) -> bool:
    """The object was read back from a cluster: the API server filled the name in."""
    meta = doc.metadata
    return "uid" in meta or "resourceVersion" in meta


class NameAndGenerateName(DocumentCheck):
    key = "name-and-generate-name"

    def check_document(self, doc: Document, context: CheckContext) -> Iterator[Violation]:
        if not doc.name or not doc.generate_name or exported_from_cluster(doc):
            return
        hook = context.manifests.plan.of(doc).hook
        what = f"hook {doc.kind}/{doc.name}" if hook.is_hook else f"{doc.kind}/{doc.name}"
        yield Violation(
            doc,
            ("metadata", "generateName"),
            f'{what} sets both metadata.name and metadata.generateName "{doc.generate_name}": '
            "the name wins and generateName is ignored, so no new object is made per sync; "
            "keep only one",
            key=True,
        )
