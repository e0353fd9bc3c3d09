"""The ``hooklint`` entry point: plain ``check`` command lines run without typer.

typer (and the pydantic it may bring) costs more to import than linting a small
file takes, and pre-commit starts hooklint on every commit.  A command line made
only of ``check``'s own options and paths is parsed by ``hooklint.cli.fastargs``
against a static copy of the typer declarations (a test keeps them equal) and
run directly; anything else (``--help``, other commands, an unknown option, an
odd value) goes to typer, which parses and reports it as always.
"""

from __future__ import annotations

import sys

from hooklint.cli.commands import guarded, run_check
from hooklint.cli.fastargs import parse_check

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import NoReturn


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    fast = parse_check(args)
    if fast is not None:
        return guarded(lambda: run_check(**fast))
    from hooklint.cli.app import run_typer

    return run_typer(args)


def entry() -> NoReturn:
    """The console script: one run, then the process ends (see :mod:`hooklint.lifetime`)."""
    from hooklint import lifetime

    lifetime.keep_until_exit()
    lifetime.exit_now(main())
