"""HL000 parse-error: reported by the engine from the loader's problems."""

from __future__ import annotations

from typing import Iterator

from hooklint.check import Check, CheckContext, Violation


class ParseError(Check):
    """Placeholder binding the HL000 spec; the engine turns parse problems into findings."""

    whole_set = False  # one file's text

    key = "parse-error"

    def run(self, context: CheckContext) -> Iterator[Violation]:
        return iter(())
