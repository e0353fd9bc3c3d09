"""The built-in check table: what the registry knows without importing a check is true of it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from hooklint.check import Check, sees_other_documents
from hooklint.checks import BUILTIN_CHECKS, BuiltinCheck
from hooklint.registry import Registry, RegistryError, load_registry


@pytest.mark.parametrize("entry", BUILTIN_CHECKS, ids=lambda e: e.key)
def test_each_entry_is_what_its_class_says(entry: BuiltinCheck) -> None:
    check = entry.load()
    assert isinstance(check, Check)
    assert check.key == entry.key
    assert sees_other_documents(check) is entry.sees_other_documents
    assert f"{type(check).__module__}.{type(check).__qualname__}" == entry.origin


def test_every_spec_has_an_entry_and_keys_are_unique() -> None:
    registry = load_registry(plugins=False)
    assert len({e.key for e in BUILTIN_CHECKS}) == len(BUILTIN_CHECKS)
    assert {spec.check for spec in registry.specs} == {e.key for e in BUILTIN_CHECKS}


def test_the_registry_answers_without_importing_then_loads_once() -> None:
    registry = load_registry(plugins=False)
    spec = registry.spec("HL307")
    assert spec is not None
    assert registry.sees_other_documents(spec) is True
    assert registry.check_origin(spec) == "hooklint.checks.duplicates.DuplicateResource"
    first = registry.check_for(spec)
    assert registry.check_for(spec) is first
    assert registry.sees_other_documents(spec) is True
    assert registry.check_origin(spec) == "hooklint.checks.duplicates.DuplicateResource"


def test_a_plugin_check_cannot_take_a_builtin_key() -> None:
    registry = Registry()
    registry.add_builtin(BUILTIN_CHECKS[0])

    class Clash(Check):
        key = BUILTIN_CHECKS[0].key

    with pytest.raises(RegistryError, match="two checks have the key"):
        registry.add_check(Clash())
    with pytest.raises(RegistryError, match="two checks have the key"):
        registry.add_builtin(BUILTIN_CHECKS[0])


def test_loading_the_registry_imports_no_check_module() -> None:
    code = (
        "import sys\n"
        "from hooklint.registry import load_registry\n"
        "r = load_registry(plugins=False)\n"
        "print(sorted(m for m in sys.modules if m.startswith('hooklint.checks.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
