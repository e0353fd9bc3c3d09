"""HL000 parse-error: reported by the engine from the loader's problems."""

from __future__ import annotations

from hooklint.check import Check, CheckContext, Violation

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Iterator


class ParseError(Check):
    """Placeholder binding the HL000 spec; the engine turns parse problems into findings."""

    whole_set = False  # one file's text

    key = "parse-error"

    def run(self, context: CheckContext) -> Iterator[Violation]:
        return iter(())
