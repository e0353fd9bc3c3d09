"""HL009 unknown-suppression.

Only the engine can tell which suppressions matched a finding, so it reports this
rule itself after every other rule ran (``hooklint.suppress.audit``); the check is
the binding the registry needs and yields nothing.
"""

from __future__ import annotations

from hooklint.check import Check, CheckContext, Violation

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Iterator


class UnknownSuppression(Check):
    key = "unknown-suppression"

    def run(self, context: CheckContext) -> Iterator[Violation]:
        return iter(())
