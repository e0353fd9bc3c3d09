"""A process that ends right after its one run (the console script) frees nothing it built.

Freeing what a big run built takes time for nothing when the process ends next: the values
and positions of 10,000 documents took 0.10-0.15 s to free (a twentieth of the run), and
the interpreter's own teardown (every module, every object left) costs more still.  The
console script (:func:`hooklint.cli.launch.entry`) says so with :func:`keep_until_exit`; the
engine hands what it built to :func:`keep`, which holds it only then; and the script ends
with :func:`exit_now`, which flushes the output and leaves with ``os._exit``.  Library users
(the API, tests calling ``main``) never call :func:`keep_until_exit`, and the language
server, started by the console script but living on, calls :func:`keep_nothing`: their
runs free everything as usual.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import NoReturn

_KEPT: list[object] | None = None  # what runs built, while the process ends after its run


def keep_until_exit() -> None:
    """This process ends right after its run: from now on, :func:`keep` holds what it is given."""
    global _KEPT
    if _KEPT is None:
        _KEPT = []


def keep_nothing() -> None:
    """This process lives on after its runs (the language server): :func:`keep` holds nothing
    from now on, and lets go of what it held."""
    global _KEPT
    _KEPT = None


def keep(value: object) -> None:
    """Hold ``value`` until the process ends, when it ends right after its run (else nothing)."""
    if _KEPT is not None:
        _KEPT.append(value)


def keeping() -> bool:
    """Whether :func:`keep` holds what it is given."""
    return _KEPT is not None


def exit_now(code: int) -> NoReturn:
    """Flush standard output and error, reap forked workers, and end the process with ``code``
    without tearing the interpreter down (no atexit handler of hooklint's needs to run; a
    reader that has left the pipe changes nothing: the code still says what was found)."""
    for stream in (sys.stdout, sys.stderr):
        try:  # not contextlib.suppress: contextlib is not imported on a plain run
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream
            continue
    forked = sys.modules.get("hooklint.forked")
    if forked is not None:  # workers not waited for once their results came: gone by now
        forked.reap_exited(wait=True)  # (so a timing of the command counts their time)
    os._exit(code)
