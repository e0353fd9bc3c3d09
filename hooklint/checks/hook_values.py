"""Hook annotation values Argo CD misreads or ignores.

HL003 unknown-hook-type, HL004 unknown-delete-policy, HL104 skip-combined-with-hook-types,
HL106 unsupported-helm-hook, HL107 mixed-helm-and-argocd-hooks.
"""

from __future__ import annotations

from hooklint.argocd.annotations import (
    ALL_HOOK_TYPES,
    DELETE_AND_SYNC_HOOK_SINCE,
    DELETE_HOOK_SINCE,
    DELETE_HOOK_TYPES,
    DELETE_HOOKS_LEAVE_SYNC_SINCE,
    DELETE_POLICIES,
    DELETE_POLICY,
    DELETE_TYPE_IN_LIST_SINCE,
    ENGINE_HOOK_TYPES,
    HELM_DELETE_POLICIES,
    HELM_DELETE_POLICY,
    HELM_DELETE_TYPES,
    HELM_HOOK,
    HELM_SYNC_TYPES,
    HELM_WEIGHT,
    HOOK,
    SKIP,
    HookInfo,
    annotations_readable,
    csv_items,
)
from hooklint.argocd.version import LATEST, ArgoVersion
from hooklint.check import CheckContext, DocumentCheck, Violation
from hooklint.model import Document
from hooklint.suggest import closest

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Iterable, Iterator


def quoted(items: Iterable[str]) -> str:
    return ", ".join(f'"{item}"' for item in items)


def role(hook: HookInfo) -> str:
    """What Argo CD does with the resource, in a few words: 'a PreSync hook'."""
    if hook.skip and not hook.delete_types:
        return "skipped (Skip), never applied"
    if not hook.is_hook:
        return "a normal resource"
    kinds = [*hook.sync_phases, *hook.delete_types]
    return f"a {' and '.join(kinds)} hook"


def policy_list(policies: Iterable[str]) -> str:
    return ", ".join(p for p in DELETE_POLICIES if p in set(policies))


def version_note(version: ArgoVersion) -> str:
    return "" if version == LATEST else f" (argocd-version is {version})"


def version_text(version: ArgoVersion) -> str:
    return f"{version.major}.{version.minor}" + (f".{version.patch}" if version.patch else "")


def delete_type_problem(item: str, raw: str, version: ArgoVersion) -> str | None:
    """Why this Argo CD version ignores a delete hook type (``PreDelete`` or Helm's
    ``pre-delete``) found in the annotation value ``raw``, or None when it reads it."""
    since = DELETE_HOOK_SINCE[HELM_DELETE_TYPES.get(item, item)]
    if version < since:
        return f'"{item}" needs Argo CD {version_text(since)} or later{version_note(version)}'
    if version < DELETE_TYPE_IN_LIST_SINCE and raw != item:
        return (
            f'before Argo CD {version_text(DELETE_TYPE_IN_LIST_SINCE)} "{item}" counts only as the '
            f"whole value, not in a list or with spaces{version_note(version)}"
        )
    return None


class UnknownHookType(DocumentCheck):
    key = "unknown-hook-type"
    annotation_keys = frozenset((HOOK,))

    def check_document(self, doc: Document, context: CheckContext) -> Iterator[Violation]:
        value = doc.annotation(HOOK)
        if value is None or not annotations_readable(doc):
            return
        version = context.manifests.version
        items = csv_items(value)
        problems: list[str] = []
        ignored: list[str] = []
        for item in items:
            if item in ENGINE_HOOK_TYPES:
                continue
            if item in DELETE_HOOK_TYPES:
                problem = delete_type_problem(item, value, version)
                if problem is not None:
                    problems.append(problem)
                    ignored.append(item)
                continue
            ignored.append(item)
            if item in HELM_SYNC_TYPES or item in HELM_DELETE_TYPES:
                argo = HELM_SYNC_TYPES.get(item) or HELM_DELETE_TYPES[item]
                problems.append(f'"{item}" is a helm.sh/hook value (the Argo CD type is "{argo}")')
                continue
            guess = closest(item, ALL_HOOK_TYPES)
            hint = (
                f'did you mean "{guess}"? types are case-sensitive'
                if guess
                else ("the types are " + ", ".join(ALL_HOOK_TYPES))
            )
            problems.append(f'"{item}" is not a hook type ({hint})')
        hook = context.manifests.plan.of(doc).hook
        lost = [t for t in items if t in ENGINE_HOOK_TYPES and t != SKIP]
        old_release = DELETE_HOOKS_LEAVE_SYNC_SINCE <= version < DELETE_AND_SYNC_HOOK_SINCE
        if hook.delete_types and lost and old_release:
            problems.append(
                f"Argo CD {version_text(DELETE_HOOKS_LEAVE_SYNC_SINCE)} to 3.3.4 takes delete hooks out "
                f"of the sync, so {', '.join(lost)} is ignored{version_note(version)}"
            )
            ignored.extend(lost)
        if items and not problems:
            return
        if not items:
            what = f"argocd.argoproj.io/hook on {doc.ref} is empty"
        else:
            what = f'argocd.argoproj.io/hook "{value}" on {doc.ref}: ' + "; ".join(problems)
        if hook.dropped:
            helm = doc.annotation(HELM_HOOK)
            helm_note = f' (and helm.sh/hook "{helm}" maps to none)' if helm is not None else ""
            consequence = (
                f"no valid type remains{helm_note}, so Argo CD treats it as a hook of no type and "
                "silently never applies it"
            )
        elif hook.source == "helm" and not any(t in ENGINE_HOOK_TYPES for t in items):
            consequence = (
                f"Argo CD ignores {'it' if len(ignored) < 2 else 'them'} and falls back to "
                f'helm.sh/hook "{doc.annotation(HELM_HOOK)}": the resource is {role(hook)}'
            )
        else:
            consequence = (
                f"Argo CD ignores {'it' if len(ignored) < 2 else 'them'}: the resource is {role(hook)}"
            )
        yield Violation(doc, ("metadata", "annotations", HOOK), f"{what}; {consequence}")


class UnknownDeletePolicy(DocumentCheck):
    key = "unknown-delete-policy"
    annotation_keys = frozenset((DELETE_POLICY, HELM_DELETE_POLICY))

    def check_document(self, doc: Document, context: CheckContext) -> Iterator[Violation]:
        annotations = doc.annotations
        if DELETE_POLICY not in annotations and HELM_DELETE_POLICY not in annotations:
            return
        if not annotations_readable(doc):
            return
        hook = context.manifests.plan.of(doc).hook
        if not hook.is_hook or hook.dropped:
            return  # HL105 / HL003 / HL106 speak for these
        families = ((DELETE_POLICY, DELETE_POLICIES), (HELM_DELETE_POLICY, tuple(HELM_DELETE_POLICIES)))
        for key, valid in families:
            text = doc.annotation(key)
            if text is None:
                continue
            bad = [item for item in csv_items(text) if item not in valid]
            if not bad:
                continue
            problems = []
            for item in bad:
                guess = closest(item, valid)
                hint = f'did you mean "{guess}"?' if guess else "known: " + ", ".join(valid)
                problems.append(f'"{item}" is not a delete policy ({hint})')
            if hook.explicit_policies:
                fallback = f"the hook's delete policy is {policy_list(hook.explicit_policies)}"
            else:
                fallback = "nothing valid is left and the hook gets the default, BeforeHookCreation"
            yield Violation(
                doc,
                ("metadata", "annotations", key),
                f'{key} "{text}" on {doc.ref}: {"; ".join(problems)}; Argo CD drops unknown '
                f"policies silently, so {fallback}",
            )


class SkipCombinedWithHookTypes(DocumentCheck):
    key = "skip-combined-with-hook-types"
    annotation_keys = frozenset((HOOK,))

    def check_document(self, doc: Document, context: CheckContext) -> Iterator[Violation]:
        value = doc.annotation(HOOK)
        if value is None or not annotations_readable(doc):
            return
        valid = [item for item in csv_items(value) if item in ENGINE_HOOK_TYPES]
        if SKIP not in valid or len(valid) < 2:
            return
        others = [item for item in valid if item != SKIP]
        hook = context.manifests.plan.of(doc).hook
        yield Violation(
            doc,
            ("metadata", "annotations", HOOK),
            f'hook "{value}" on {doc.ref} combines Skip with {", ".join(others)}: Skip counts only '
            f"when it is the only type, so Argo CD applies the resource as {role(hook)}; write "
            "Skip alone to keep Argo CD from applying it, or remove Skip",
        )


class UnsupportedHelmHook(DocumentCheck):
    key = "unsupported-helm-hook"
    annotation_keys = frozenset((HELM_HOOK,))

    def check_document(self, doc: Document, context: CheckContext) -> Iterator[Violation]:
        value = doc.annotation(HELM_HOOK)
        if value is None or HOOK in doc.annotations or not annotations_readable(doc):
            return  # with an Argo CD hook key, HL003 reports a resource that is never applied
        if not context.manifests.plan.of(doc).hook.dropped:
            return
        version = context.manifests.version
        items = csv_items(value)
        notes: list[str] = []
        unknown: list[str] = []
        for item in items:
            if item in HELM_DELETE_TYPES:
                problem = delete_type_problem(item, value, version)
                if problem is not None:
                    notes.append(problem)
            elif item == "crd-install":
                notes.append('"crd-install" makes a normal resource only as the whole value')
            else:
                unknown.append(item)
        if unknown:
            known = ", ".join((*HELM_SYNC_TYPES, *HELM_DELETE_TYPES))
            verb = "has" if len(unknown) == 1 else "have"
            notes.insert(0, f"{quoted(unknown)} {verb} no Argo CD equivalent (it maps only {known})")
        what = "is empty" if not items else "has no value Argo CD maps to a hook type"
        detail = "".join(f"; {note}" for note in notes)
        yield Violation(
            doc,
            ("metadata", "annotations", HELM_HOOK),
            f'helm.sh/hook "{value}" on {doc.ref} {what}{detail}; Argo CD treats the resource as '
            "a hook of no type and silently never applies it",
        )


class MixedHelmAndArgocdHooks(DocumentCheck):
    key = "mixed-helm-and-argocd-hooks"
    annotation_keys = frozenset((HOOK,))

    def check_document(self, doc: Document, context: CheckContext) -> Iterator[Violation]:
        argo, helm = doc.annotation(HOOK), doc.annotation(HELM_HOOK)
        if argo is None or helm is None or not annotations_readable(doc):
            return
        resource = context.manifests.plan.of(doc)
        hook = resource.hook
        if hook.dropped:
            return
        argo_items = csv_items(argo)
        argo_engine = [t for t in argo_items if t in ENGINE_HOOK_TYPES]
        if not argo_engine and not any(t in hook.delete_types for t in argo_items):
            return  # no valid Argo CD type: HL003 explains the fallback to helm.sh/hook
        helm_types = list(dict.fromkeys(HELM_SYNC_TYPES[h] for h in csv_items(helm) if h in HELM_SYNC_TYPES))
        if argo_engine == [SKIP]:
            head = "Argo CD takes the types from argocd.argoproj.io/hook only, so it skips the resource"
        elif argo_engine:
            agree = " (they agree here)" if set(helm_types) == set(argo_engine) - {SKIP} else ""
            head = (
                "Argo CD takes the types from argocd.argoproj.io/hook only and ignores the Helm "
                f"types{agree}: the resource is {role(hook)}"
            )
        else:
            head = (
                "argocd.argoproj.io/hook has no sync-phase type, so Argo CD also reads helm.sh/hook: "
                f"the resource is {role(hook)}"
            )
        tails: list[str] = []
        helm_policy = doc.annotation(HELM_DELETE_POLICY)
        if helm_policy is not None and hook.is_hook:
            tails.append(
                f'helm.sh/hook-delete-policy "{helm_policy}" still merges into its delete policies '
                f"({policy_list(hook.delete_policies)})"
            )
        if resource.wave.source == "hook-weight":
            tails.append(
                f'helm.sh/hook-weight "{doc.annotation(HELM_WEIGHT)}" still sets its wave '
                f"({resource.wave.value})"
            )
        tail = "".join(f"; {t}" for t in tails)
        yield Violation(
            doc,
            ("metadata", "annotations", HELM_HOOK),
            f'{doc.ref} has both argocd.argoproj.io/hook "{argo}" and helm.sh/hook "{helm}": '
            f"{head}{tail}; keep one family of hook annotations",
        )
