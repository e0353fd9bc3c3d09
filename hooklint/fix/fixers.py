"""One fixer per fixable rule, keyed by rule code (:data:`FIXERS`).

A fixer answers two questions.  ``applicability`` (cheap, from the Document's values
only, run for every finding of a fixable rule): can this finding be fixed, and is it
``safe`` or ``unsafe``?  ``changes`` (only under --fix/--diff, with the file's text):
the edits, best first, each with the values the document must have afterwards.

Adding a rule's fix is a class here plus its entry in FIXERS and ``fix:`` in the
rule's front matter (tests/test_fix_rules.py checks that the two agree); the shared
building blocks are in :mod:`hooklint.fix.changes`.
"""

from __future__ import annotations

from hooklint.argocd.annotations import (
    ALL_HOOK_TYPES,
    BEFORE_HOOK_CREATION,
    DELETE_HOOK_TYPES,
    DELETE_POLICIES,
    DELETE_POLICY,
    ENGINE_HOOK_TYPES,
    HELM_DELETE_POLICIES,
    HELM_DELETE_TYPES,
    HELM_SYNC_TYPES,
    SYNC_OPTIONS,
)
from hooklint.fix.blocks import entry_lines, indent_step, insert_entry, key_offset, mapping_indent, posmap_at
from hooklint.fix.changes import (
    SAFE,
    SCALARS,
    UNSAFE,
    Change,
    Fixer,
    Target,
    add_entry,
    remove_entry_changes,
    rename_key_changes,
    replace_items,
    set_at,
    string_changes,
    value_span,
)
from hooklint.fix.scalars import plain_token, safe_in_style
from hooklint.fix.text import Edit, SourceText
from hooklint.lazyre import lazy
from hooklint.model import Document, YamlPath
from hooklint.suggest import unique_closest

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Any, ClassVar, Iterator


class _ItemFixer(Fixer):
    """Replace misspelt items of a comma-separated annotation with their unique spelling."""

    def replacements(self, target: Target) -> dict[str, str]:
        raise NotImplementedError

    def applicability(self, target: Target) -> str | None:
        return SAFE if self.replacements(target) else None

    def changes(self, target: Target, src: SourceText) -> Iterator[Change]:
        value = target.doc.get(target.path)
        found = self.replacements(target)
        if isinstance(value, str) and found:
            yield from string_changes(target, src, replace_items(value, found))


def _items(target: Target) -> list[str]:
    value = target.doc.get(target.path)
    if not isinstance(value, str):
        return []
    return [part.strip() for part in value.split(",") if part.strip()]


class UnknownHookTypeFix(_ItemFixer):
    code = "HL003"

    def replacements(self, target: Target) -> dict[str, str]:
        out: dict[str, str] = {}
        for item in _items(target):
            if item in ENGINE_HOOK_TYPES or item in DELETE_HOOK_TYPES:
                continue
            if item in HELM_SYNC_TYPES or item in HELM_DELETE_TYPES:
                continue  # a Helm value: which Argo CD type is meant is the user's call
            guess = unique_closest(item, ALL_HOOK_TYPES)
            if guess is not None:
                out[item] = guess
        return out


class UnknownDeletePolicyFix(_ItemFixer):
    code = "HL004"

    def replacements(self, target: Target) -> dict[str, str]:
        valid = DELETE_POLICIES if target.path[-1] == DELETE_POLICY else tuple(HELM_DELETE_POLICIES)
        out: dict[str, str] = {}
        for item in _items(target):
            if item not in valid:
                guess = unique_closest(item, valid)
                if guess is not None:
                    out[item] = guess
        return out


_SYNC_ITEM_RE = lazy(r'^sync option "(.*)" on ')


def sync_option_spelling(item: str) -> str | None:
    """The one way Argo CD spells a misspelt resource sync option (``prune=False`` ->
    ``Prune=false``), or None (valid, an Application option, a no-op, or no unique guess)."""
    from hooklint.checks.sync_options import APPLICATION_OPTIONS, NO_OP_VALUES, RESOURCE_OPTIONS

    key, sep, value = item.partition("=")
    if not sep or value in RESOURCE_OPTIONS.get(key, ()):
        return None
    bare_key, bare_value = key.strip(), value.strip()
    if bare_key in APPLICATION_OPTIONS or (key in RESOURCE_OPTIONS and NO_OP_VALUES.get(key) == value):
        return None
    canonical = unique_closest(bare_key, (*RESOURCE_OPTIONS, *APPLICATION_OPTIONS))
    if canonical is None or canonical not in RESOURCE_OPTIONS:
        return None
    fixed = [v for v in RESOURCE_OPTIONS[canonical] if v.lower() == bare_value.lower()]
    if len(fixed) != 1:
        return None
    new = f"{canonical}={fixed[0]}"
    return new if new != item else None


class UnknownSyncOptionFix(_ItemFixer):
    code = "HL005"

    def replacements(self, target: Target) -> dict[str, str]:
        if target.path[-1] != SYNC_OPTIONS:
            return {}
        from hooklint.argocd.annotations import hook_info
        from hooklint.checks.sync_options import NO_OP_ON_HOOKS

        match = _SYNC_ITEM_RE.match(target.message)
        items = [match.group(1)] if match else _items(target)
        # a spelling that does nothing on a hook (Prune=false) is still HL005: no fix
        useless = NO_OP_ON_HOOKS if hook_info(target.doc).is_hook else ()
        out: dict[str, str] = {}
        for item in items:
            if item in _items(target):
                new = sync_option_spelling(item)
                if new is not None and new not in useless:
                    out[item] = new
        return out


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


class AnnotationNotStringFix(Fixer):
    code = "HL001"

    def applicability(self, target: Target) -> str | None:
        value = target.doc.get(target.path)
        return SAFE if isinstance(value, SCALARS) and not isinstance(value, str) else None

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
class BeforeHookCreationFix(Fixer):
    code = "HL101"

    def _new(self, target: Target) -> str | None:
        value = target.doc.get(target.path)
        if not isinstance(value, str) or not value.strip():
            return None
        item = BEFORE_HOOK_CREATION if target.path[-1] == DELETE_POLICY else "before-hook-creation"
        sep = ", " if ", " in value else ","
        return value.rstrip(", ") + sep + item if value.rstrip().endswith(",") else value + sep + item

    def applicability(self, target: Target) -> str | None:
        return SAFE if self._new(target) is not None else None

    def changes(self, target: Target, src: SourceText) -> Iterator[Change]:
        new = self._new(target)
        if new is not None:
            yield from string_changes(target, src, new)


class _AddJobSpecField(Fixer):
    field_name: ClassVar[str]
    param: ClassVar[str]
    default: ClassVar[int]

    def _value(self, target: Target) -> int | None:
        doc = target.doc
        if doc.kind != "Job" or doc.group != "batch" or target.path != ("spec", self.field_name):
            return None
        spec = doc.get(("spec",))
        if not isinstance(spec, dict) or not spec or self.field_name in spec:
            return None
        value = target.params.get(self.param, self.default)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def applicability(self, target: Target) -> str | None:
        return UNSAFE if self._value(target) is not None else None

    def changes(self, target: Target, src: SourceText) -> Iterator[Change]:
        value = self._value(target)
        if value is not None:
            yield from add_entry(target, src, ("spec",), self.field_name, value, str(value))


class BackoffLimitFix(_AddJobSpecField):
    code = "HL201"
    field_name = "backoffLimit"
    param = "fix-backoff-limit"
    default = 1


class ActiveDeadlineFix(_AddJobSpecField):
    code = "HL202"
    field_name = "activeDeadlineSeconds"
    param = "fix-active-deadline-seconds"
    default = 600


# -- restartPolicy: Never -----------------------------------------------------------------------
class _RestartPolicyNever(Fixer):
    pod_spec: ClassVar[YamlPath]

    def _usable(self, target: Target) -> bool:
        spec = target.doc.get(self.pod_spec)
        if target.path != (*self.pod_spec, "restartPolicy") or not isinstance(spec, dict):
            return False
        if "restartPolicy" in spec:
            return isinstance(spec["restartPolicy"], SCALARS)
        return bool(spec)

    def applicability(self, target: Target) -> str | None:
        return SAFE if self._usable(target) else None

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


class JobRestartPolicyFix(_RestartPolicyNever):
    code = "HL203"
    pod_spec = ("spec", "template", "spec")


class PodHookRestartPolicyFix(_RestartPolicyNever):
    code = "HL204"
    pod_spec = ("spec",)

    def applicability(self, target: Target) -> str | None:
        if not self._usable(target):
            return None
        # OnFailure -> Never: a failing container fails the hook instead of restarting
        return UNSAFE if target.doc.get(target.path) == "OnFailure" else SAFE


# -- HL006: a label, or a pod template's key, that is an annotation --------------------------
def _selector_labels(doc: Document) -> set[str]:
    """Label keys a selector of the object matches on (a pod template label it must keep)."""
    found: set[str] = set()
    selectors = (
        ("spec", "selector"),
        ("spec", "selector", "matchLabels"),
        ("spec", "jobTemplate", "spec", "selector", "matchLabels"),
    )
    for path in selectors:
        value = doc.get(path)
        if isinstance(value, dict):
            found.update(k for k in value if isinstance(k, str))
    return found


class MisplacedAnnotationFix(Fixer):
    """Move the key to the object's own ``metadata.annotations``: from ``metadata.labels``
    (safe: nothing read the label), or from a pod (or CronJob Job) template's annotations or
    labels (unsafe: the pods' template changes, so a Deployment rolls its pods out, and the
    key starts to act: the object becomes a hook, moves to its wave)."""

    code = "HL006"

    def applicability(self, target: Target) -> str | None:
        from hooklint.checks.misplaced_annotations import template_metadata_paths

        path, doc = target.path, target.doc
        if len(path) < 3 or path[-2] not in ("labels", "annotations") or not isinstance(path[-1], str):
            return None
        meta, field, key = path[:-2], path[-2], path[-1]
        if meta == ("metadata",):
            if field != "labels":
                return None
            safety = SAFE
        elif meta in template_metadata_paths(doc):
            if field == "labels" and key in _selector_labels(doc):
                return None  # a selector matches on it: removing it breaks the object
            safety = UNSAFE
        else:
            return None
        annotations = doc.metadata.get("annotations", {})
        if not isinstance(doc.get(path), SCALARS) or not isinstance(annotations, dict):
            return None
        return safety if key not in annotations else None

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
class UnknownAnnotationKeyFix(Fixer):
    code = "HL007"

    def _new_key(self, target: Target) -> str | None:
        from hooklint.checks.annotation_keys import unique_known_key

        path, meta = target.path, target.doc.metadata
        if len(path) != 3 or path[0] != "metadata" or path[1] not in ("annotations", "labels"):
            return None
        key = path[2]
        new = unique_known_key(key) if isinstance(key, str) else None
        if new is None:
            return None
        for field in ("annotations", "labels"):  # the object has the key already: the user's call
            entries = meta.get(field)
            if isinstance(entries, dict) and new in entries:
                return None
        return new

    def applicability(self, target: Target) -> str | None:
        return SAFE if self._new_key(target) is not None else None

    def changes(self, target: Target, src: SourceText) -> Iterator[Change]:
        new = self._new_key(target)
        if new is not None:
            yield from rename_key_changes(target, src, target.path, new)


# -- HL111: drop generateName next to name ----------------------------------------------------
class NameAndGenerateNameFix(Fixer):
    code = "HL111"

    def _usable(self, target: Target) -> bool:
        meta = target.doc.metadata
        return (
            target.path == ("metadata", "generateName")
            and isinstance(meta.get("name"), str)
            and bool(meta.get("name"))
            and isinstance(meta.get("generateName"), SCALARS)
        )

    def applicability(self, target: Target) -> str | None:
        # the object keeps the name it has always had: what the author wanted was a new one per sync
        return UNSAFE if self._usable(target) else None

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


def applicability(code: str, target: Target) -> str | None:
    """``safe``/``unsafe`` when the finding can be fixed, else None (never raises)."""
    fixer = FIXERS.get(code)
    if fixer is None:
        return None
    try:
        return fixer.applicability(target)
    except (KeyError, TypeError, ValueError, IndexError):
        return None
