"""The Argo CD version whose behaviour hooklint models (``argocd-version``)."""

from __future__ import annotations

from hooklint.lazyre import lazy
from hooklint.values import dataclass

_VERSION_RE = lazy(r"[vV]?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+].*)?")


@dataclass(frozen=True, order=True)
class ArgoVersion:
    major: int
    minor: int = 0
    patch: int = 0

    @classmethod
    def parse(cls, text: str) -> ArgoVersion:
        """Lenient: ``2.10``, ``v2.10.3``, ``3``, ``v3.5.0-rc1``; ``latest`` is the newest."""
        text = str(text).strip()
        if text.lower() == "latest":
            return LATEST
        match = _VERSION_RE.fullmatch(text)
        if match is None:
            raise ValueError(
                f"invalid Argo CD version {text!r}: use 'latest' or a version like 2.10 or v3.5.1"
            )
        major, minor, patch = (int(g) if g else 0 for g in match.groups())
        return cls(major, minor, patch)

    def __str__(self) -> str:
        return "latest" if self == LATEST else f"{self.major}.{self.minor}.{self.patch}"


#: Stands for "the newest Argo CD": every version-gated behaviour is on.
LATEST = ArgoVersion(999, 0, 0)
