"""Provenance: where each part of a Document was written in the repository.

A Document's ``positions`` (a :class:`~hooklint.model.PosMap`) mirror its tree.  For
a plain file the marks are the file's own positions.  A source that renders (Helm,
later Kustomize) builds the same tree shape with the marks of the *repository* text
that produced each part: the template line of a key, the line of the ``{{ include }}``
that produced a block, the patch that set a value.  So ``Document.locate(path)``
stays the one way to get a position, whatever the source.

A mark is ``line << 24 | column`` (0-based, as :func:`hooklint.yaml.reader.pack`);
bits from ``FILE_SHIFT`` up hold an index into ``Provenance.files`` (0 means the
Document's own ``file``), so one document can point into several files (a
Kustomize base and the overlay patch that changed it).  Helm documents use one
file, the template.

``Provenance`` also carries what only a source knows:

- ``values_keys``: template line -> the ``.Values`` key whose value is written there
  (``backoffLimit: {{ .Values.job.backoffLimit }}``), named in the finding's message;
- ``random_calls``: nondeterministic functions whose result the template prints (HL010);
- ``resolve``: positions computed when first asked (most objects never get a finding);
- ``holes``: for templates linted without rendering, the YAML paths whose content
  a Go action produces: a finding about them (a missing ``backoffLimit`` in a
  mapping filled by ``toYaml``, a wave written ``{{ .Values.wave }}``) cannot be
  judged and is dropped.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

from hooklint.model import PosMap, SourceFile, YamlPath
from hooklint.values import dataclass, field

FILE_SHIFT = 48
_LOW = (1 << FILE_SHIFT) - 1

#: How a value produced by a Go action reads in a template linted without rendering.
HOLE_TEXT = "{{…}}"


def in_file(mark: int, file_index: int) -> int:
    """A mark that points into ``Provenance.files[file_index - 1]`` (0: the document's file)."""
    return (mark & _LOW) | (file_index << FILE_SHIFT)


def file_index(mark: int) -> int:
    return mark >> FILE_SHIFT


def constant(shape: Any, mark: int) -> PosMap | None:
    """A PosMap of ``shape`` (a rendered value) whose every mark is ``mark``."""
    if isinstance(shape, dict):
        return PosMap(mark, {k: (mark, mark, constant(v, mark), 0, 0) for k, v in shape.items()})
    if isinstance(shape, list):
        return PosMap(mark, [(mark, constant(v, mark), 0) for v in shape])
    return None


@dataclass(frozen=True)
class TemplateCall:
    """A call in a template whose result reaches the document (HL010: ``randAlphaNum``, ``now``)."""

    line: int  # 0-based line of the template where the result is printed
    column: int
    function: str
    via: str = ""  # ``include "x.password"`` or ``$password`` when it comes through a helper


@dataclass(frozen=True)
class Provenance:
    """What a source knows about a Document beyond its tree (see the module doc)."""

    files: tuple[SourceFile, ...] = ()
    values_keys: Mapping[int, str] = field(default_factory=dict)
    holes: frozenset[YamlPath] = frozenset()
    random_calls: tuple[TemplateCall, ...] = ()
    #: computes ``(positions, provenance)`` on first use (a picklable callable), or None
    resolve: Callable[[Any], tuple[PosMap, Provenance]] | None = None
    #: False for a template linted without rendering (no helm): nothing to verify a fix with
    rendered: bool = True

    def unknown(self, root: Any, path: YamlPath) -> bool:
        """True when a Go action decides what is at ``path``: the finding cannot be judged."""
        if not self.holes:
            return False
        node: Any = root
        for depth in range(len(path) + 1):
            if path[:depth] in self.holes:
                return True
            if depth == len(path):
                break
            step = path[depth]
            in_map = isinstance(node, dict) and isinstance(step, str) and step in node
            in_list = isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)
            if not (in_map or in_list):
                return False
            node = node[step]
        return isinstance(node, str) and HOLE_TEXT in node
