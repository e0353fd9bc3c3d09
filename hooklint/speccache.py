"""The bundled rule specs, read once and kept like bytecode.

Parsing the front matter of every ``rules/*.md`` file costs more than linting a
small file (and imports the YAML parser).  The specs are pickled under
``specs/`` in hooklint's cache root, keyed by hooklint's own code and each rule
file's name, size and modification time, as ``__pycache__`` is keyed by its
source: editing a rule file reads it again.  A missing, damaged or unwritable
cache just means the files are parsed.
"""

from __future__ import annotations

import os
from pathlib import Path

from hooklint.cachedir import (
    PICKLE_PROTOCOL,
    PicklingError,
    atomic_write,
    blake2b,
    cache_folder,
    code_version,
    dumps,
    make_private,
    read_pickle,
)
from hooklint.spec import RuleSpec

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Callable

FORMAT = "hooklint-spec-cache-1"


def rule_files(folder: Path) -> list[Path]:
    """The ``*.md`` rule files of a folder, sorted by name."""
    return [folder / name for name in sorted(os.listdir(folder)) if name.endswith(".md")]


def load_specs(folder: Path, parse: Callable[[Path], RuleSpec]) -> list[RuleSpec]:
    """Every rule file's spec, in file name order, from the cache when nothing changed."""
    paths = rule_files(folder)
    digest = blake2b(f"{FORMAT}\0{code_version()}\0{folder}\0".encode(), digest_size=20)
    try:
        for path in paths:
            info = path.stat()
            digest.update(f"{path.name}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    except OSError:
        return [parse(path) for path in paths]
    entry = cache_folder("specs") / f"{digest.hexdigest()}.specs"
    try:
        found = read_pickle(entry)
        complete = isinstance(found, list) and len(found) == len(paths)
        if complete and all(isinstance(spec, RuleSpec) for spec in found):
            return list(found)
    except Exception:  # missing, damaged, or from another version: parse again
        pass
    specs = [parse(path) for path in paths]
    try:
        make_private(entry.parent)
        atomic_write(entry, dumps(specs, protocol=PICKLE_PROTOCOL))
    except (OSError, PicklingError, TypeError, AttributeError):
        pass
    return specs
