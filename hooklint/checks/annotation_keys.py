"""HL007 unknown-argocd-annotation-key."""

from __future__ import annotations

from typing import Iterator

from hooklint.argocd.keys import ARGOCD_KEYS, ARGOCD_PREFIX, HELM_HOOK_KEYS, HELM_HOOK_PREFIX, HELM_ONLY_HOOK_KEYS
from hooklint.argocd.version import LATEST
from hooklint.check import CheckContext, DocumentCheck, Violation
from hooklint.model import Document
from hooklint.suggest import closest

_KNOWN_HELM = frozenset(HELM_HOOK_KEYS + HELM_ONLY_HOOK_KEYS)
_ARGOCD_FULL = tuple(ARGOCD_PREFIX + name for name in ARGOCD_KEYS)


def unknown_key_problem(key: str) -> str | None:
    """Why Argo CD (and Helm) do not know ``key``, with the closest known key; None if known."""
    if key.startswith(ARGOCD_PREFIX):
        if key[len(ARGOCD_PREFIX) :] in ARGOCD_KEYS:
            return None
        guess = closest(key, _ARGOCD_FULL)
    elif key.startswith(HELM_HOOK_PREFIX):
        if key in _KNOWN_HELM:
            return None
        guess = closest(key, HELM_HOOK_KEYS)
    else:
        return None
    text = "is not a key Argo CD knows, so it does nothing"
    return f'{text}; did you mean "{guess}"?' if guess else text


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
                problem = unknown_key_problem(key)
                if problem is None and version != LATEST and key.startswith(ARGOCD_PREFIX):
                    since = ARGOCD_KEYS[key[len(ARGOCD_PREFIX) :]]
                    if since is not None and version < since:
                        problem = (
                            f"is not known to Argo CD {version.major}.{version.minor} (it came in "
                            f"{since.major}.{since.minor}), so it does nothing there"
                        )
                if problem is not None:
                    yield Violation(
                        doc, ("metadata", field, key), f'{what} "{key}" on {doc.ref} {problem}', key=True
                    )
