"""HL010 nondeterministic-template: a template prints randAlphaNum, uuidv4, now, genCA, ...

The Helm source records, per rendered document, the calls whose result its template
prints (directly, through a ``$variable`` or through an ``include``d helper); this
check reports each on the document's field written on that template line.
"""

from __future__ import annotations

from hooklint.check import CheckContext, DocumentCheck, Violation
from hooklint.model import Document, PosMap, YamlPath

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Any, ClassVar, Iterator


class NondeterministicTemplate(DocumentCheck):
    key = "nondeterministic-template"
    #: the finding is about the template itself: it stands where an action fills the value
    judges_templates: ClassVar[bool] = True

    def check_document(self, doc: Document, context: CheckContext) -> Iterator[Violation]:
        provenance = doc.provenance
        if provenance is None or not provenance.random_calls:
            return
        doc.where(())  # a source may compute template positions on first use: now
        seen: set[int] = set()
        for call in provenance.random_calls:
            if call.line in seen:
                continue
            seen.add(call.line)
            path = path_at_line(doc.positions, call.line)
            via = f" (through {call.via})" if call.via else ""
            named = path[:2] in (("metadata", "name"), ("metadata", "generateName"))
            hook = " and a hook named with it never matches its previous run" if named else ""
            yield Violation(
                doc,
                path,
                f"{call.function}{via} makes {doc.ref} differ on every render: Argo CD shows the "
                f"application OutOfSync forever{hook}; generate the value once (a values key, a "
                "Secret made outside the chart)",
            )


def path_at_line(positions: PosMap, line: int) -> YamlPath:
    """The deepest path whose key or value is written on ``line`` (0-based), else the last before it."""
    best: tuple[int, int, YamlPath] = (-1, -1, ())  # (exact?, line, path)
    stack: list[tuple[PosMap, YamlPath]] = [(positions, ())]
    while stack:
        node, path = stack.pop()
        items: Any = (
            node.entries.items()
            if isinstance(node.entries, dict)
            else ((index, (mark, mark, child, 0, 0)) for index, (mark, child, _) in enumerate(node.entries))
        )
        for step, (key_mark, value_mark, child, _, _) in items:
            here = (*path, step)
            for mark in (key_mark, value_mark):
                mark_line = (mark >> 24) & 0xFFFFFF
                if mark_line > line:
                    continue
                candidate = (int(mark_line == line), mark_line, here)
                if candidate[:2] > best[:2] or (candidate[:2] == best[:2] and len(here) > len(best[2])):
                    best = candidate
            if child is not None:
                stack.append((child, here))
    return best[2]
