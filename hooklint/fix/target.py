"""A finding as a fixer sees it (:class:`Target`), and the two safeties a fix may have.

Kept apart from the edit machinery (:mod:`hooklint.fix.changes`): deciding whether a finding
can be fixed (:mod:`hooklint.fix.verdicts`, run for every finding of a fixable rule) needs only
these.
"""

from __future__ import annotations

from hooklint.model import Document, YamlPath
from hooklint.values import dataclass, field

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Any

SAFE, UNSAFE = "safe", "unsafe"
SCALARS = (str, int, float, bool, type(None))


@dataclass(frozen=True)
class Target:
    """One finding, with what its fixer needs: the document, the finding's YAML path,
    its message and the rule's params."""

    doc: Document
    path: YamlPath
    message: str = ""
    params: dict[str, Any] = field(default_factory=dict)
