"""The bundled rule specs, read once and kept like bytecode.

Parsing the front matter of every ``rules/*.md`` file costs more than linting a
small file (and imports the YAML parser).  The specs are pickled under
``specs/`` in hooklint's cache root, keyed by hooklint's own code and each rule
file's name, size and modification time, as ``__pycache__`` is keyed by its
source: editing a rule file reads it again.  A missing, damaged or unwritable
cache just means the files are parsed.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Callable

from hooklint.cachedir import atomic_write, cache_folder, code_version, make_private
from hooklint.spec import RuleSpec

FORMAT = "hooklint-spec-cache-1"


def rule_files(folder: Path) -> list[Path]:
    """The ``*.md`` rule files of a folder, sorted by name."""
    return [folder / name for name in sorted(os.listdir(folder)) if name.endswith(".md")]


def load_specs(folder: Path, parse: Callable[[Path], RuleSpec]) -> list[RuleSpec]:
    """Every rule file's spec, in file name order, from the cache when nothing changed."""
    paths = rule_files(folder)
    digest = hashlib.blake2b(f"{FORMAT}\0{code_version()}\0{folder}\0".encode(), digest_size=20)
    try:
        for path in paths:
            info = path.stat()
            digest.update(f"{path.name}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    except OSError:
        return [parse(path) for path in paths]
    entry = cache_folder("specs") / f"{digest.hexdigest()}.specs"
    try:
        with open(entry, "rb") as handle:
            found = pickle.load(handle)
        complete = isinstance(found, list) and len(found) == len(paths)
        if complete and all(isinstance(spec, RuleSpec) for spec in found):
            return list(found)
    except Exception:  # missing, damaged, or from another version: parse again
        pass
    specs = [parse(path) for path in paths]
    try:
        make_private(entry.parent)
        atomic_write(entry, pickle.dumps(specs, protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        pass
    return specs
