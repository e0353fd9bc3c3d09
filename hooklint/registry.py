"""Rule specs and checks by code, name and key; selection; entry-point plugins."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from hooklint.check import Check, sees_other_documents
from hooklint.spec import RuleSpec, builtin_rules_dir, parse_rule_file

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from typing import Any, Iterable, Sequence

    from hooklint.checks import BuiltinCheck

PLUGIN_GROUP = "hooklint.plugins"


class RegistryError(Exception):
    """Two rules claim the same code/name, or a spec has no check."""


class SelectorError(ValueError):
    """A --select/--ignore entry matches no rule."""


class Registry:
    def __init__(self) -> None:
        self._specs: dict[str, RuleSpec] = {}  # by code
        self._by_name: dict[str, RuleSpec] = {}
        self._checks: dict[str, Check] = {}  # loaded: plugins', and built-ins a run used
        self._builtins: dict[str, BuiltinCheck] = {}  # built-ins not imported yet

    # -- building -------------------------------------------------------------------
    def add_spec(self, spec: RuleSpec) -> None:
        for table, key in ((self._specs, spec.code), (self._by_name, spec.name)):
            if key in table:
                other = table[key]
                raise RegistryError(
                    f"rule {spec.code} {spec.name} ({spec.source}) clashes with "
                    f"{other.code} {other.name} ({other.source})"
                )
        self._specs[spec.code] = spec
        self._by_name[spec.name] = spec

    def add_rules_dir(self, folder: Path) -> None:
        """Add every ``<name>.md`` rule file of a folder."""
        for path in sorted(folder.glob("*.md")):
            self.add_spec(parse_rule_file(path))

    def add_check(self, check: Check) -> None:
        self._claim(check.key)
        self._checks[check.key] = check

    def add_builtin(self, entry: BuiltinCheck) -> None:
        """A built-in check, imported when a run first asks for it (``check_for``)."""
        self._claim(entry.key)
        self._builtins[entry.key] = entry

    def _claim(self, key: str) -> None:
        if key in self._checks or key in self._builtins:
            raise RegistryError(f"two checks have the key {key!r}")

    def validate(self) -> None:
        for spec in self._specs.values():
            if spec.check not in self._checks and spec.check not in self._builtins:
                raise RegistryError(f"rule {spec.code} {spec.name}: no check with key {spec.check!r}")

    # -- reading --------------------------------------------------------------------
    @property
    def specs(self) -> list[RuleSpec]:
        return sorted(self._specs.values(), key=lambda s: s.code)

    def spec(self, code_or_name: str) -> RuleSpec | None:
        key = code_or_name.strip()
        return self._specs.get(key.upper()) or self._by_name.get(key.lower())

    def check_for(self, spec: RuleSpec) -> Check:
        check = self._checks.get(spec.check)
        if check is None:
            check = self._checks[spec.check] = self._builtins[spec.check].load()
            del self._builtins[spec.check]
        return check

    def sees_other_documents(self, spec: RuleSpec) -> bool:
        """Whether the rule's findings may depend on other documents, without loading it."""
        entry = self._builtins.get(spec.check)
        if entry is not None:
            return entry.sees_other_documents
        return sees_other_documents(self._checks[spec.check])

    def check_origin(self, spec: RuleSpec) -> str:
        """The dotted path of the rule's check class, without loading a built-in one."""
        entry = self._builtins.get(spec.check)
        if entry is not None:
            return entry.origin
        check = self._checks[spec.check]
        return f"{type(check).__module__}.{type(check).__qualname__}"

    def matching(self, selector: str) -> list[RuleSpec]:
        """Rules a selector names: ``ALL``, a code, a code prefix (``HL1``), or a name."""
        sel = selector.strip()
        if sel.upper() == "ALL":
            return self.specs
        spec = self.spec(sel)
        if spec is not None:
            return [spec]
        if sel.upper().startswith("HL") and sel[2:].isdigit():
            return [s for s in self.specs if s.code.startswith(sel.upper())]
        return []

    def select(self, select: Sequence[str] | None, ignore: Sequence[str] = ()) -> list[RuleSpec]:
        """Enabled rules: the selected ones (default: rules on by default) minus ignored."""

        def resolve(selectors: Iterable[str]) -> set[str]:
            codes: set[str] = set()
            for sel in selectors:
                found = self.matching(sel)
                if not found:
                    raise SelectorError(
                        f"unknown rule selector {sel!r}: use a code (HL101), a prefix (HL1), "
                        "a rule name or ALL; 'hooklint rules' lists them"
                    )
                codes.update(s.code for s in found)
            return codes

        chosen = resolve(select) if select else {s.code for s in self.specs if s.default}
        chosen -= resolve(ignore)
        return [s for s in self.specs if s.code in chosen]


def load_registry(plugins: bool = True) -> Registry:
    """Built-in rules and checks, then every installed ``hooklint.plugins`` entry point."""
    from hooklint.checks import BUILTIN_CHECKS
    from hooklint.speccache import load_specs

    registry = Registry()
    for spec in load_specs(builtin_rules_dir(), parse_rule_file):
        registry.add_spec(spec)
    for entry in BUILTIN_CHECKS:
        registry.add_builtin(entry)
    if plugins:
        load_plugins(registry)
    registry.validate()
    return registry


def trusted_path() -> list[str]:
    """``sys.path`` without the working directory (``''`` or its path).

    ``python -m hooklint`` puts the working directory first on ``sys.path``; in a
    repository under review that would let a planted ``*.dist-info`` declare a
    plugin and a planted module run as it.  Plugins are looked up, and imported,
    only from the rest.
    """
    cwd = os.path.realpath(os.getcwd())
    return [p for p in sys.path if p and os.path.realpath(p) != cwd]


def plugin_entry_points(path: list[str]) -> list[Any]:
    """The ``hooklint.plugins`` entry points of the distributions installed on ``path``."""
    from hooklint.entrypoints import may_declare

    if not may_declare(PLUGIN_GROUP, path):
        return []
    from importlib.metadata import distributions

    found: dict[str, Any] = {}
    for dist in distributions(path=path):
        for entry in dist.entry_points:
            if entry.group == PLUGIN_GROUP:
                found.setdefault(entry.name, entry)  # the first on the path wins, as for imports
    return list(found.values())


def load_plugins(registry: Registry) -> None:
    """Call ``register(registry)`` of each installed plugin.

    Plugins come only from installed distributions' entry points, never from the
    working directory: nothing is ever imported from the repository being linted.
    """
    path = trusted_path()
    entries = plugin_entry_points(path)
    if not entries:
        return
    saved = sys.path[:]
    sys.path[:] = path
    try:
        for entry in entries:
            try:
                register = entry.load()
                register(registry)
            except RegistryError:
                raise
            except Exception as exc:  # a broken plugin must say who it is
                raise RegistryError(
                    f"plugin {entry.name!r} ({entry.value}) failed to load: {exc}"
                ) from exc
    finally:
        sys.path[:] = saved
