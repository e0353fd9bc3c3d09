"""Where hooklint keeps its caches, and how an entry is written.

The root is ``$HOOKLINT_CACHE_DIR``, else ``$XDG_CACHE_HOME/hooklint``, else
``~/.cache/hooklint``; each cache has its own folder under it (``helm/`` for
renders, ``lint/`` for parsed files and findings).  Folders are created private
(0700): only the user's own processes write what is unpickled there.  Writes are
atomic (a temporary file, then a rename), so a reader never sees half an entry.
"""

from __future__ import annotations

import os
from pathlib import Path

# The C module behind hashlib: ``import hashlib`` loads OpenSSL, a few % of a one-file run's
# instructions (callgrind) for nothing the caches use.  It is part of every CPython build; the
# public module is the fallback.  (Pickled entries are the lint cache's: hooklint.lintcache.)
try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - not CPython
    from hashlib import blake2b

__all__ = [
    "atomic_write",
    "blake2b",
    "cache_folder",
    "cache_root",
    "code_version",
    "make_private",
]


def cache_root() -> Path:
    explicit = os.environ.get("HOOKLINT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base, "hooklint")


def cache_folder(name: str) -> Path:
    """The folder of one cache (not created)."""
    return cache_root() / name


def make_private(folder: Path) -> None:
    """Create ``folder`` (and its parents) with mode 0700; raises OSError."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder; raises OSError.

    The temporary name carries the process id: one process writes one entry at a time, and
    ``O_EXCL`` refuses a name some other file already has.
    """
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # left by a killed process of the same id: take its place
        os.unlink(temporary)
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except OSError:
        try:  # noqa: SIM105 - contextlib.suppress: contextlib costs a one-file run 3 M instructions
            os.unlink(temporary)
        except OSError:
            pass
        raise


_CODE: list[str] = []


def code_version() -> str:
    """A digest of hooklint's version and own modules (name, size, mtime): new code, new entries."""
    if not _CODE:
        from hooklint import __version__

        root = Path(__file__).resolve().parent
        digest = blake2b(f"hooklint {__version__}\0".encode(), digest_size=20)
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                if name.endswith((".py", ".json", ".md")):
                    info = os.stat(os.path.join(dirpath, name))
                    digest.update(f"{dirpath}/{name}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
        _CODE.append(digest.hexdigest())
    return _CODE[0]
