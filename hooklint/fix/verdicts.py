"""Whether a finding can be fixed, and how: ``safe``, ``unsafe`` or not at all.

Each fixable rule's verdict is read from the Document's values alone, and is asked for every
finding of a fixable rule (the ``[*]`` of the text output), so it lives apart from the edits
(:mod:`hooklint.fix.fixers`, whose fixer for a rule is its verdict's subclass): a run that fixes
nothing imports none of the edit machinery.
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
from hooklint.fix.target import SAFE, SCALARS, UNSAFE, Target
from hooklint.lazyre import lazy
from hooklint.model import Document, YamlPath
from hooklint.suggest import unique_closest

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import ClassVar


class Verdict:
    """One rule's answer to: can this finding be fixed, and is it ``safe`` or ``unsafe``?"""

    code: ClassVar[str]

    def applicability(self, target: Target) -> str | None:
        raise NotImplementedError


# -- HL003/HL004/HL005: misspelt items of a comma-separated annotation -----------------------
class ItemVerdict(Verdict):
    """Misspelt items with a unique spelling: safe to replace."""

    def replacements(self, target: Target) -> dict[str, str]:
        raise NotImplementedError

    def applicability(self, target: Target) -> str | None:
        return SAFE if self.replacements(target) else None


def _items(target: Target) -> list[str]:
    value = target.doc.get(target.path)
    if not isinstance(value, str):
        return []
    return [part.strip() for part in value.split(",") if part.strip()]


class UnknownHookType(ItemVerdict):
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


class UnknownDeletePolicy(ItemVerdict):
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


class UnknownSyncOption(ItemVerdict):
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
class AnnotationNotString(Verdict):
    code = "HL001"

    def applicability(self, target: Target) -> str | None:
        value = target.doc.get(target.path)
        return SAFE if isinstance(value, SCALARS) and not isinstance(value, str) else None


# -- HL101: add BeforeHookCreation --------------------------------------------------------------
class BeforeHookCreation(Verdict):
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


# -- HL201/HL202: add a Job spec field ---------------------------------------------------------
class AddJobSpecField(Verdict):
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


class BackoffLimit(AddJobSpecField):
    code = "HL201"
    field_name = "backoffLimit"
    param = "fix-backoff-limit"
    default = 1


class ActiveDeadline(AddJobSpecField):
    code = "HL202"
    field_name = "activeDeadlineSeconds"
    param = "fix-active-deadline-seconds"
    default = 600


# -- HL203/HL204: restartPolicy: Never -----------------------------------------------------------
class RestartPolicyNever(Verdict):
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


class JobRestartPolicy(RestartPolicyNever):
    code = "HL203"
    pod_spec = ("spec", "template", "spec")


class PodHookRestartPolicy(RestartPolicyNever):
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


class MisplacedAnnotation(Verdict):
    """Safe from ``metadata.labels`` (nothing read the label); unsafe from a pod (or CronJob
    Job) template's annotations or labels (the pods' template changes, so a Deployment rolls
    its pods out, and the key starts to act: the object becomes a hook, moves to its wave)."""

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


# -- HL007: rename a misspelt key -------------------------------------------------------------
class UnknownAnnotationKey(Verdict):
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


# -- HL111: drop generateName next to name ----------------------------------------------------
class NameAndGenerateName(Verdict):
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


VERDICTS: dict[str, Verdict] = {
    verdict.code: verdict
    for verdict in (
        AnnotationNotString(),
        UnknownHookType(),
        UnknownDeletePolicy(),
        UnknownSyncOption(),
        MisplacedAnnotation(),
        UnknownAnnotationKey(),
        NameAndGenerateName(),
        BeforeHookCreation(),
        BackoffLimit(),
        ActiveDeadline(),
        JobRestartPolicy(),
        PodHookRestartPolicy(),
    )
}


def applicability(code: str, target: Target) -> str | None:
    """``safe``/``unsafe`` when the finding can be fixed, else None (never raises)."""
    verdict = VERDICTS.get(code)
    if verdict is None:
        return None
    try:
        return verdict.applicability(target)
    except (KeyError, TypeError, ValueError, IndexError):
        return None
