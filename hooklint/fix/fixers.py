"""One fixer per fixable rule, keyed by rule code (:data:`FIXERS`).

A fixer answers two questions.  ``applicability`` (cheap, from the Document's values
only, run for every finding of a fixable rule): can this finding be fixed, and is it
``safe`` or ``unsafe``?  That is its rule's verdict (:mod:`hooklint.fix.verdicts`), which
each fixer here subclasses, so that a run that fixes nothing imports none of this.
``changes`` (only under --fix/--diff, with the file's text): the edits, best first, each
with the values the document must have afterwards.

Adding a rule's fix is a verdict class there, a class here subclassing it, their entries in
VERDICTS and FIXERS, and ``fix:`` in the rule's front matter (tests/test_fix_rules.py checks
that they agree); the shared building blocks are in :mod:`hooklint.fix.changes`.
"""

from __future__ import annotations

from hooklint.fix import verdicts
from hooklint.fix.blocks import entry_lines, indent_step, insert_entry, key_offset, mapping_indent, posmap_at
from hooklint.fix.changes import (
    Change,
    Fixer,
    add_entry,
    remove_entry_changes,
    rename_key_changes,
    replace_items,
    set_at,
    string_changes,
    value_span,
)
from hooklint.fix.scalars import plain_token, safe_in_style
from hooklint.fix.target import Target
from hooklint.fix.text import Edit, SourceText
from hooklint.model import Document, YamlPath

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Any, Iterator


class _ItemFixer(verdicts.ItemVerdict, Fixer):
    """Replace misspelt items of a comma-separated annotation with their unique spelling
    (the verdict's ``replacements``)."""

    def changes(self, target: Target, src: SourceText) -> Iterator[Change]:
        value = target.doc.get(target.path)
        found = self.replacements(target)
        if isinstance(value, str) and found:
            yield from string_changes(target, src, replace_items(value, found))


class UnknownHookTypeFix(verdicts.UnknownHookType, _ItemFixer):
    pass


class UnknownDeletePolicyFix(verdicts.UnknownDeletePolicy, _ItemFixer):
    pass


class UnknownSyncOptionFix(verdicts.UnknownSyncOption, _ItemFixer):
    pass


# -- HL001: quote a value ---------------------------------------------------------------------
def _colon_after_key(src: SourceText, doc: Document, path: YamlPath) -> int | None:
    """The offset just after the ``:`` of the entry at ``path``, on the key's line."""
    key = key_offset(src, doc, path)
    name = path[-1]
    if key is None or not isinstance(name, str):
        return None
    text = src.text
    for written in (name, f'"{name}"', f"'{name}'"):
        if text.startswith(written, key):
            at = key + len(written)
            while at < src.line_end(key) and text[at] in " \t":
                at += 1
            if text[at : at + 1] == ":":
                return at + 1
    return None


class AnnotationNotStringFix(verdicts.AnnotationNotString, Fixer):
    def changes(self, target: Target, src: SourceText) -> Iterator[Change]:
        doc, path = target.doc, target.path
        colon = _colon_after_key(src, doc, path)
        if colon is None:
            yield from self._key_alone(target, src)
            return
        rest = src.text[colon : src.line_end(colon)]
        if not rest.strip() or rest.lstrip().startswith("#"):  # `key:` with no value
            if target.doc.get(path) is None:
                yield Change((Edit(colon, colon, ' ""'),), set_at(path, ""))
            return
        offset = src.offset(doc.locate(path))
        span = plain_token(src, offset) if offset is not None else None
        if span is None:
            return
        written = src.text[span.start : span.end]
        if safe_in_style(written, '"'):
            yield Change((Edit(span.start, span.end, f'"{written}"'),), set_at(path, written))
        if safe_in_style(written, "'"):
            yield Change((Edit(span.start, span.end, f"'{written}'"),), set_at(path, written))

    def _key_alone(self, target: Target, src: SourceText) -> Iterator[Change]:
        """A key with no ``:`` in a flow mapping (``{a: b, c}``): give it ``: ""``."""
        key = key_offset(src, target.doc, target.path)
        name = target.path[-1]
        if key is None or not isinstance(name, str) or target.doc.get(target.path) is not None:
            return
        end = key + len(name)
        if src.text[key:end] != name or src.text[end:].lstrip(" ")[:1] not in (",", "}"):
            return
        yield Change((Edit(end, end, ': ""'),), set_at(target.path, ""))


# -- HL101: add BeforeHookCreation --------------------------------------------------------------
class BeforeHookCreationFix(verdicts.BeforeHookCreation, Fixer):
    def changes(self, target: Target, src: SourceText) -> Iterator[Change]:
        new = self._new(target)
        if new is not None:
            yield from string_changes(target, src, new)


class _AddJobSpecField(verdicts.AddJobSpecField, Fixer):
    def changes(self, target: Target, src: SourceText) -> Iterator[Change]:
        value = self._value(target)
        if value is not None:
            yield from add_entry(target, src, ("spec",), self.field_name, value, str(value))


class BackoffLimitFix(verdicts.BackoffLimit, _AddJobSpecField):
    pass


class ActiveDeadlineFix(verdicts.ActiveDeadline, _AddJobSpecField):
    pass


# -- restartPolicy: Never -----------------------------------------------------------------------
class _RestartPolicyNever(verdicts.RestartPolicyNever, Fixer):
    def changes(self, target: Target, src: SourceText) -> Iterator[Change]:
        if not self._usable(target):
            return
        spec = target.doc.get(self.pod_spec)
        if "restartPolicy" not in spec:
            yield from add_entry(target, src, self.pod_spec, "restartPolicy", "Never", "Never")
            return
        value = spec["restartPolicy"]
        if isinstance(value, str):
            yield from string_changes(target, src, "Never")
            return
        offset = src.offset(target.doc.locate(target.path))
        span = plain_token(src, offset) if offset is not None else None
        if span is not None:
            yield Change((Edit(span.start, span.end, "Never"),), set_at(target.path, "Never"))


class JobRestartPolicyFix(verdicts.JobRestartPolicy, _RestartPolicyNever):
    pass


class PodHookRestartPolicyFix(verdicts.PodHookRestartPolicy, _RestartPolicyNever):
    pass


# -- HL006: a label, or a pod template's key, that is an annotation --------------------------
class MisplacedAnnotationFix(verdicts.MisplacedAnnotation, Fixer):
    """Move the key to the object's own ``metadata.annotations`` (see the verdict for when)."""

    def changes(self, target: Target, src: SourceText) -> Iterator[Change]:
        if self.applicability(target) is None:
            return
        doc, path = target.doc, target.path
        key = path[-1]
        value = doc.get(path)
        span = value_span(src, doc, path)
        start = key_offset(src, doc, path)
        lines = entry_lines(src, doc, path, span.end) if span is not None else None
        if span is None or start is None or lines is None:
            return
        edits = [Edit(lines[0], lines[1], "")]
        # mappings left empty lose their key line too: the field, then a template's metadata
        emptied: list[YamlPath] = []
        container = path[:-1]
        while len(container) >= 2 and container != ("metadata",):
            held = doc.get(container)
            if not isinstance(held, dict) or len(held) != 1:
                break
            cut = _key_line(src, doc, container)
            if cut is None:
                return
            edits.append(Edit(cut[0], cut[1], ""))
            emptied.append(container)
            container = container[:-1]
            if len(container) < len(path) - 2:
                break
        entry = src.text[start : span.end]
        line_rest = src.text[span.end : src.line_end(start)]
        if "annotations" in doc.metadata:
            mapping = posmap_at(doc, ("metadata", "annotations"))
            found = mapping_indent(src, mapping) if mapping is not None else None
            if found is None:
                return
            text = entry + (line_rest.rstrip() if found[1] == "block" else "")
            insert = insert_entry(src, doc, ("metadata", "annotations"), text)
        else:
            step = indent_step(src, doc, ("metadata", "labels")) or indent_step(src, doc, ("metadata",))
            step = step or _metadata_step(src, doc) or 2
            insert = insert_entry(
                src, doc, ("metadata",), "annotations:", " " * step + entry + line_rest.rstrip()
            )
        if insert is None:
            return

        def expect(root: dict[str, Any]) -> None:
            node: Any = root
            for step in path[:-1]:
                node = node[step]
            del node[key]
            for gone in emptied:
                parent: Any = root
                for step in gone[:-1]:
                    parent = parent[step]
                if parent.get(gone[-1]) == {}:
                    del parent[gone[-1]]
            root["metadata"].setdefault("annotations", {})[key] = value

        yield Change((*edits, insert), expect)


def _key_line(src: SourceText, doc: Document, path: YamlPath) -> tuple[int, int] | None:
    """The whole line of a block mapping key written alone (``labels:``, a comment after it)."""
    at = key_offset(src, doc, path)
    name = path[-1]
    if at is None or not isinstance(name, str):
        return None
    head = src.text[at : src.line_end(at)]
    after = head[len(name) :] if head.startswith(name) else None
    nxt = src.next_line_start(at)
    if after is None or not after.lstrip(" ").startswith(":") or nxt is None:
        return None
    rest = after.lstrip(" ")[1:].strip()
    if (rest and not rest.startswith("#")) or src.text[src.line_start(at) : at].strip(" "):
        return None
    return src.line_start(at), nxt


def _metadata_step(src: SourceText, doc: Document) -> int | None:
    """How far ``metadata``'s entries are indented under it (2 for most files)."""
    return indent_step(src, doc, ("metadata",))


# -- HL007: rename a misspelt key -------------------------------------------------------------
class UnknownAnnotationKeyFix(verdicts.UnknownAnnotationKey, Fixer):
    def changes(self, target: Target, src: SourceText) -> Iterator[Change]:
        new = self._new_key(target)
        if new is not None:
            yield from rename_key_changes(target, src, target.path, new)


# -- HL111: drop generateName next to name ----------------------------------------------------
class NameAndGenerateNameFix(verdicts.NameAndGenerateName, Fixer):
    def changes(self, target: Target, src: SourceText) -> Iterator[Change]:
        if self._usable(target):
            yield from remove_entry_changes(target, src, target.path)


FIXERS: dict[str, Fixer] = {
    fixer.code: fixer
    for fixer in (
        AnnotationNotStringFix(),
        UnknownHookTypeFix(),
        UnknownDeletePolicyFix(),
        UnknownSyncOptionFix(),
        MisplacedAnnotationFix(),
        UnknownAnnotationKeyFix(),
        NameAndGenerateNameFix(),
        BeforeHookCreationFix(),
        BackoffLimitFix(),
        ActiveDeadlineFix(),
        JobRestartPolicyFix(),
        PodHookRestartPolicyFix(),
    )
}
