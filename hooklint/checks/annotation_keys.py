"""HL007 unknown-argocd-annotation-key."""

from __future__ import annotations

from hooklint.argocd.keys import (
    ARGOCD_KEYS,
    ARGOCD_PREFIX,
    HELM_HOOK_KEYS,
    HELM_HOOK_PREFIX,
    HELM_ONLY_HOOK_KEYS,
    OPERATOR_KEYS,
)
from hooklint.argocd.version import LATEST, ArgoVersion
from hooklint.check import CheckContext, DocumentCheck, Violation
from hooklint.memo import BoundedMemo
from hooklint.model import Document
from hooklint.suggest import closest, unique_closest

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Iterator

_KNOWN_HELM = frozenset(HELM_HOOK_KEYS + HELM_ONLY_HOOK_KEYS)
_HELM_PREFIX = "helm.sh/"


def _closest(key: str, prefix: str, full_keys: tuple[str, ...]) -> str:
    """The closest full key, comparing only what follows the prefix ("" when none is close);
    else the longest known key the name starts with (``hook-type`` -> ``hook``)."""
    name, names = key[len(prefix) :], [k[len(prefix) :] for k in full_keys]
    guess = closest(name, names) or max((n for n in names if name.startswith(n + "-")), key=len, default="")
    return prefix + guess if guess else ""


def closest_known_key(key: str) -> str | None:
    """The known key ``key`` most likely meant: None when ``key`` is known, "" when no
    known key is close, and always None outside the two prefixes."""
    if key.startswith(ARGOCD_PREFIX):
        name = key[len(ARGOCD_PREFIX) :]
        if name in ARGOCD_KEYS or name in OPERATOR_KEYS:
            return None
        return _closest(key, ARGOCD_PREFIX, tuple(ARGOCD_PREFIX + k for k in ARGOCD_KEYS))
    if key.startswith(HELM_HOOK_PREFIX):
        if key in _KNOWN_HELM:
            return None
        return _closest(key, _HELM_PREFIX, HELM_HOOK_KEYS)
    return None


def unique_known_key(key: str) -> str | None:
    """The one known key a misspelt ``key`` can be renamed to (``--fix``): the key the
    finding names, when no other known key is as close; else None (``key`` is known,
    nothing is close, two keys fit, or the guess is only a known key ``key`` extends)."""
    guess = closest_known_key(key)
    if not guess:
        return None
    prefix = ARGOCD_PREFIX if key.startswith(ARGOCD_PREFIX) else _HELM_PREFIX
    full_keys = tuple(ARGOCD_PREFIX + k for k in ARGOCD_KEYS) if prefix == ARGOCD_PREFIX else HELM_HOOK_KEYS
    names = [k[len(prefix) :] for k in full_keys]
    unique = unique_closest(key[len(prefix) :], names)
    return guess if unique is not None and prefix + unique == guess else None


def _key_facts(key: str) -> tuple[str | None, ArgoVersion | None]:
    """(closest_known_key, the release the key came in)."""
    since = ARGOCD_KEYS.get(key[len(ARGOCD_PREFIX) :]) if key.startswith(ARGOCD_PREFIX) else None
    return closest_known_key(key), since


#: _key_facts of each key seen: the same keys are on every object
_KEY_FACTS: BoundedMemo[str, tuple[str | None, ArgoVersion | None]] = BoundedMemo(_key_facts)


def key_problem(doc: Document, key: str, version: ArgoVersion) -> str | None:
    """Why Argo CD ``version`` ignores the key on ``doc``, or None."""
    guess, since = _KEY_FACTS[key]
    if guess is not None:
        if guess in doc.annotations:
            return None  # the real key is there too: this one changes nothing
        text = "is not a key Argo CD knows, so it does nothing"
        return f'{text}; did you mean "{guess}"?' if guess else text
    if since is not None and version != LATEST and version < since:
        return (
            f"is not known to Argo CD {version.major}.{version.minor} (it came in "
            f"{since.major}.{since.minor}), so it does nothing there"
        )
    return None


class UnknownArgocdAnnotationKey(DocumentCheck):
    key = "unknown-argocd-annotation-key"

    def check_document(self, doc: Document, context: CheckContext) -> Iterator[Violation]:
        version = context.manifests.version
        for field, what in (("annotations", "annotation"), ("labels", "label")):
            entries = doc.metadata.get(field)
            if not isinstance(entries, dict):
                continue
            for key in entries:
                if not isinstance(key, str):
                    continue
                facts = _KEY_FACTS[key]
                if facts[0] is None and facts[1] is None:
                    continue  # a known key for every release, or not Argo CD's (most keys)
                problem = key_problem(doc, key, version)
                if problem is not None:
                    yield Violation(
                        doc, ("metadata", field, key), f'{what} "{key}" on {doc.ref} {problem}', key=True
                    )
