"""The code half of a rule: checks yield Violations, located by YAML path."""

from __future__ import annotations

from hooklint.manifests import ManifestSet
from hooklint.model import Document, Severity, YamlPath
from hooklint.spec import RuleSpec
from hooklint.values import dataclass, field

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Any, ClassVar, Iterable, Iterator


@dataclass(frozen=True)
class Related:
    """The other end of a whole-set violation."""

    doc: Document
    path: YamlPath
    message: str


@dataclass(frozen=True)
class Violation:
    """What a check reports: a document, *where in its tree* (never a line), and why.

    ``key=True`` points at the key of the last path step instead of its value.
    ``severity`` overrides the rule's default severity for this case (None: the rule's).
    """

    doc: Document
    path: YamlPath
    message: str
    related: tuple[Related, ...] = ()
    key: bool = False
    severity: Severity | None = None


@dataclass(frozen=True)
class CheckContext:
    """What a check gets to work with for one run."""

    manifests: ManifestSet
    spec: RuleSpec
    params: dict[str, Any] = field(default_factory=dict)


class Check:
    """A rule's logic.  ``key`` binds it to a RuleSpec's ``check`` field."""

    key: ClassVar[str]
    #: Whether a finding may depend on documents other than the one it is on (the sync
    #: plan's steps, another object it names).  A run given only some of an app's files
    #: (pre-commit's staged files) may then miss a finding, so HL009 does not call such a
    #: rule's suppressions unused there.  True unless a check says otherwise.
    whole_set: ClassVar[bool] = True

    def run(self, context: CheckContext) -> Iterable[Violation]:
        raise NotImplementedError


class DocumentCheck(Check):
    """A check of one document at a time: implement ``check_document``.

    Only target documents of the spec's ``kinds`` (all kinds when empty) are
    checked, unless ``related_ends`` is set: a check whose violations name a related
    document runs over context documents too, since the engine reports a violation
    whose related end is a target (pre-commit stages only one end).
    """

    related_ends: ClassVar[bool] = False
    whole_set: ClassVar[bool] = False  # one document at a time; set True if it asks the plan more
    #: Annotation keys of which an object must have one (in ``metadata.annotations``, whatever
    #: their values) for ``check_document`` to say anything: other objects are skipped without
    #: calling it.  Empty: every object is checked.  (Most objects carry no hook annotation, and
    #: a call per object and check was most of what such checks cost.)
    annotation_keys: ClassVar[frozenset[str]] = frozenset()

    def run(self, context: CheckContext) -> Iterator[Violation]:
        check = self.check_document
        manifests = context.manifests
        for doc in manifests.checked(context.spec.kinds, self.annotation_keys, self.related_ends):
            yield from check(doc, context)

    def check_document(self, doc: Document, context: CheckContext) -> Iterable[Violation]:
        raise NotImplementedError


def sees_other_documents(check: Check) -> bool:
    """A check whose findings may depend on other documents (see ``Check.whole_set``)."""
    return check.whole_set or bool(getattr(check, "related_ends", False))
