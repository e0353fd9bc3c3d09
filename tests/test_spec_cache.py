"""The rule spec cache (hooklint.speccache): what it gives back is what parsing gives."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hooklint.spec import RuleSpec, builtin_rules_dir, parse_rule_file
from hooklint.speccache import load_specs, to_plain, to_spec


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOOKLINT_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "specs"


def _parsed(folder: Path) -> list[RuleSpec]:
    return [parse_rule_file(path) for path in sorted(folder.glob("*.md"))]


def test_every_field_of_every_bundled_spec_survives_the_cache() -> None:
    specs = _parsed(builtin_rules_dir())
    assert specs
    for spec in specs:
        assert len(to_plain(spec)) == len(vars(spec))  # a new field must be written too
        assert to_spec(to_plain(spec)) == spec
    assert any(spec.params for spec in specs)


def test_a_second_load_comes_from_the_cache_and_equals_the_parse(cache: Path) -> None:
    calls: list[Path] = []

    def parse(path: Path) -> RuleSpec:
        calls.append(path)
        return parse_rule_file(path)

    first = load_specs(builtin_rules_dir(), parse)
    assert len(calls) == len(first) and len(list(cache.iterdir())) == 1
    calls.clear()
    assert load_specs(builtin_rules_dir(), parse) == first == _parsed(builtin_rules_dir())
    assert calls == []


def test_a_damaged_entry_is_parsed_again(cache: Path) -> None:
    first = load_specs(builtin_rules_dir(), parse_rule_file)
    (entry,) = cache.iterdir()
    for damage in (b"", b"\x00garbage", entry.read_bytes()[:-7]):
        entry.write_bytes(damage)
        assert load_specs(builtin_rules_dir(), parse_rule_file) == first


def test_an_edited_rule_file_is_read_again(tmp_path: Path, cache: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(builtin_rules_dir(), rules)
    first = load_specs(rules, parse_rule_file)
    edited = sorted(rules.glob("*.md"))[0]
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("\nsummary: ", "\nsummary: Edited. ", 1), encoding="utf-8")
    os.utime(edited, ns=(1, 1))  # a new size and time: a new key
    again = load_specs(rules, parse_rule_file)
    assert again[0].summary.startswith("Edited. ") and again[1:] == first[1:]


def test_a_run_from_the_spec_cache_imports_no_pickle(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    code = (
        "import sys; from hooklint.cli.launch import main; "
        "rc = main(['check', '--isolated', '--no-cache', 'a.yaml']); "
        "print(rc, sorted(m for m in ('pickle', '_pickle', 'hooklint.lintcache') if m in sys.modules))"
    )
    env = {**os.environ, "HOOKLINT_CACHE_DIR": str(tmp_path / "cache")}
    for _ in range(2):  # the first run writes the spec cache, the second reads it
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True, env=env
        )
        assert result.stdout.splitlines()[-1] == "0 []"
    assert len(list((tmp_path / "cache" / "specs").iterdir())) == 1
