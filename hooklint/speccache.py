"""The bundled rule specs, read once and kept like bytecode.

Parsing the front matter of every ``rules/*.md`` file costs more than linting a
small file (and imports the YAML parser).  The specs are kept under ``specs/`` in
hooklint's cache root, keyed by hooklint's own code and each rule file's name,
size and modification time, as ``__pycache__`` is keyed by its source: editing a
rule file reads it again.  A missing, damaged or unwritable cache just means the
files are parsed.

An entry is the specs as plain values, written with :mod:`marshal` (as bytecode is):
marshal is loaded with the interpreter, where pickle's module is an import a plain run
(``--no-cache``, no lint cache) would make for this alone.
"""

from __future__ import annotations

import marshal
import os
from pathlib import Path

from hooklint.cachedir import atomic_write, blake2b, cache_folder, code_version, make_private
from hooklint.model import Severity
from hooklint.spec import ParamSpec, RuleSpec

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Any, Callable

FORMAT = "hooklint-spec-cache-2"


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
        with open(entry, "rb") as handle:
            found = [to_spec(plain) for plain in marshal.loads(handle.read())]
        if len(found) == len(paths):
            return found
    except Exception:  # missing, damaged, or from another version: parse again
        pass
    specs = [parse(path) for path in paths]
    try:
        data = marshal.dumps([to_plain(spec) for spec in specs])
        make_private(entry.parent)
        atomic_write(entry, data)
    except (OSError, ValueError):  # ValueError: a value marshal cannot write (a param default)
        pass
    return specs


def to_plain(spec: RuleSpec) -> tuple[Any, ...]:
    """A spec as values marshal writes: its fields in order, the severity by its value, the
    params as tuples of their fields, the source as a str."""
    params = {
        name: (p.name, p.type, p.default, p.description, p.format) for name, p in spec.params.items()
    }
    return (
        spec.code, spec.name, spec.summary, spec.severity.value, spec.default, spec.remediation,
        spec.check, spec.kinds, params, spec.since, spec.tags, spec.precision, spec.fix,
        None if spec.source is None else str(spec.source), spec.body_offset,
    )  # fmt: skip


def to_spec(plain: Any) -> RuleSpec:
    """The spec :func:`to_plain` wrote; raises (TypeError, ValueError) on anything else."""
    (code, name, summary, severity, default, remediation, check, kinds, params, since, tags,
     precision, fix, source, body_offset) = plain  # fmt: skip
    return RuleSpec(
        code, name, summary, Severity(severity), default, remediation, check, kinds,
        {key: ParamSpec(*fields) for key, fields in params.items()}, since, tags, precision, fix,
        None if source is None else Path(source), body_offset,
    )  # fmt: skip
