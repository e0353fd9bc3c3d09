"""Template positions computed when a finding first needs them.

Most rendered objects never get a finding, so their template is neither masked nor
matched unless one does: each rendered Document carries a ``TemplateMap`` in its
provenance (a small picklable value) and ``Document.locate`` resolves it on first
use.  Masked reads are shared by every document of the same template.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from hooklint.model import PosMap
from hooklint.sources.provenance import Provenance, TemplateCall, constant
from hooklint.values import dataclass

if TYPE_CHECKING:  # the masked read and the matching are imported when first needed
    from hooklint.model import Document
    from hooklint.sources.helm.mask import MaskedTemplate
    from hooklint.sources.helm.values_files import ValuesLayers
    from hooklint.yaml.reader import ParsedDocument

MAX_TEMPLATE_SIZE = 10 * 1024 * 1024


@dataclass
class MaskedRead:
    """A template's masked text, parsed (documents with a value only)."""

    masked: MaskedTemplate | None
    docs: list[ParsedDocument]
    problem: str | None = None  # why the masked text is not all YAML, if it is not


_READS: dict[str, tuple[tuple[int, int] | None, MaskedRead]] = {}


def _stamp(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def masked_read(path: str, text: str | None = None) -> MaskedRead:
    """The masked read of the template at ``path`` (``text``: its text, when already read);
    read again when the file changed (``--fix`` edits templates; the server runs long)."""
    stamp = _stamp(path)
    found = _READS.get(path)
    if found is not None and found[0] == stamp:
        return found[1]
    from hooklint.sources.helm.mask import mask
    from hooklint.yaml.nesting import too_costly, too_deep
    from hooklint.yaml.reader import parse_yaml

    if text is None:
        try:
            with open(path, "rb") as handle:
                text = handle.read(MAX_TEMPLATE_SIZE).decode("utf-8", "replace")
        except OSError:
            text = ""
    masked = mask(text)
    read = MaskedRead(masked, [])
    if too_deep(masked.text) is None and not too_costly(masked.text):
        docs, problems = parse_yaml(masked.text)
        read.docs = [d for d in docs if d.value is not None]
        fatal = next((p for p in problems if p.fatal), None)
        if fatal is not None and not masked.only_defines:
            read.problem = (
                f"line {(fatal.mark >> 24) + 1}: cannot be read as YAML even with its actions "
                f"masked ({fatal.message}); what follows was not linted without rendering"
            )
    _READS[path] = (stamp, read)
    return read


@dataclass(frozen=True)
class TemplateMap:
    """How to find one rendered object's positions in its template (see the module doc)."""

    path: str  # the template file
    identities: tuple[tuple[Any, Any], ...]  # (kind, name) of each object rendered from it, in order
    number: int  # this object's place among them
    item: bool = False  # an item of a rendered ``kind: List``
    random_calls: tuple[TemplateCall, ...] = ()
    #: the chart's values files, where what ``toYaml .Values.x`` prints is written
    values: ValuesLayers | None = None

    def __call__(self, doc: Document) -> tuple[PosMap, Provenance]:
        from hooklint.sources.helm.mapping import match_documents, remap

        read = masked_read(self.path)
        choice = match_documents(self.identities, read.docs)[self.number]
        template = read.docs[choice] if choice is not None else None
        fallback = template.start if template is not None else 0
        blocks = read.masked.values_blocks if read.masked is not None else {}
        values_map = None
        if blocks and self.values is not None and self.values.files and not self.item:
            from hooklint.sources.helm.values_files import ValuesLookup, ValuesMap

            values_map = ValuesMap(ValuesLookup(self.values), blocks)
        if self.item:
            positions = constant(doc.root, fallback) or PosMap(fallback, {})
        else:
            positions = remap(doc.root, doc.positions, template, fallback, values_map)
        values_keys = read.masked.values_keys if read.masked is not None else {}
        files = values_map.lookup.sources if values_map is not None else ()
        return positions, Provenance(files=files, values_keys=values_keys, random_calls=self.random_calls)


def template_of(path: str, identities: tuple[tuple[Any, Any], ...], number: int) -> ParsedDocument | None:
    """The template document a rendered object comes from (eagerly; for HL010 and problems)."""
    from hooklint.sources.helm.mapping import match_documents

    read = masked_read(path)
    choice = match_documents(identities, read.docs)[number]
    return read.docs[choice] if choice is not None else None


def identity(obj: Any) -> tuple[Any, Any]:
    """(kind, name) of a rendered object, what documents are matched by."""
    if not isinstance(obj, dict):
        return None, None
    meta = obj.get("metadata")
    name = meta.get("name", meta.get("generateName")) if isinstance(meta, dict) else None
    return obj.get("kind"), name
