"""Fix metadata: each rule's ``fix:`` agrees with the fixers; marks and the summary line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hooklint.engine import Report
from hooklint.fix.fixers import FIXERS
from hooklint.model import Finding, Position, Severity
from hooklint.output.text import fix_summary, format_finding
from hooklint.registry import load_registry
from hooklint.spec import SpecError, spec_from_mapping
from hooklint.suggest import unique_closest

SPECS = load_registry(plugins=False).specs


def test_every_rule_with_a_fix_has_a_fixer_and_back() -> None:
    with_fix = {spec.code for spec in SPECS if spec.fix != "none"}
    assert with_fix == set(FIXERS)
    assert {spec.code: spec.fix for spec in SPECS if spec.fix == "unsafe"} == {
        "HL201": "unsafe",
        "HL202": "unsafe",
        "HL111": "unsafe",
    }


def test_each_fixer_is_its_rules_verdict() -> None:
    from hooklint.fix.verdicts import VERDICTS

    assert set(VERDICTS) == set(FIXERS)
    for code, fixer in FIXERS.items():
        verdict = type(VERDICTS[code])
        assert isinstance(fixer, verdict), code
        assert type(fixer).applicability is verdict.applicability, code  # one answer, not two


def test_fix_in_front_matter_is_validated() -> None:
    base = {"code": "HL999", "name": "x", "summary": "s", "severity": "info", "remediation": "r"}
    assert spec_from_mapping(base).fix == "none"
    assert spec_from_mapping({**base, "fix": "unsafe"}).fix == "unsafe"
    with pytest.raises(SpecError, match="fix 'sometimes' is not one of safe, unsafe, none"):
        spec_from_mapping({**base, "fix": "sometimes"})


@pytest.mark.parametrize(
    ("value", "choices", "want"),
    [
        ("Presync", ("PreSync", "Sync"), "PreSync"),
        ("HookSucceded", ("HookSucceeded", "HookFailed", "BeforeHookCreation"), "HookSucceeded"),
        ("hook-succeeded", ("HookSucceeded", "HookFailed"), "HookSucceeded"),
        ("HookDone", ("HookSucceeded", "HookFailed", "BeforeHookCreation"), None),
        ("a", ("A", "a"), None),  # two spellings ignoring case: no guess
        ("Hooks", ("Hook1", "Hook2"), None),  # two equally close
    ],
)
def test_unique_closest(value: str, choices: tuple[str, ...], want: str | None) -> None:
    assert unique_closest(value, choices) == want


def finding(fix: str | None, suppression: str | None = None) -> Finding:
    return Finding(
        "HL201", "n", Severity.WARNING, "m", "a.yaml", Position(3, 4), fix=fix, suppression=suppression
    )


def test_marks_and_summary_follow_unsafe_fixes() -> None:
    assert format_finding(finding("safe")) == "a.yaml:3:4: HL201 [*] [warning] m"
    assert format_finding(finding("unsafe")) == "a.yaml:3:4: HL201 [warning] m"
    assert format_finding(finding("unsafe"), unsafe=True) == "a.yaml:3:4: HL201 [*] [warning] m"
    assert "[*]" not in format_finding(finding("safe", "why"))
    report = Report([finding("safe"), finding("unsafe"), finding(None), finding("safe", "why")], [])
    assert fix_summary(report) == "[*] 1 fixable with --fix (1 more with --unsafe-fixes)"
    assert fix_summary(report, unsafe=True) == "[*] 2 fixable with --fix --unsafe-fixes"
    assert fix_summary(Report([finding("unsafe")], [])) == "1 fixable with --fix --unsafe-fixes"
    assert fix_summary(Report([finding(None)], [])) is None


def test_readme_documents_every_check_fix_option() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Fixes")[1].split("\n## ")[0]
    for option in (
        "--fix",
        "--diff",
        "--unsafe-fixes",
        "--fix-only",
        "--add-ignore",
        "--baseline",
        "--write-baseline",
    ):
        assert re.search(rf"(?<![\w-]){option}(?![\w-])", section), option


def test_rule_command_says_whether_the_rule_has_a_fix(capsys: pytest.CaptureFixture[str]) -> None:
    from hooklint.cli.app import main

    for code, want in (
        ("HL101", "Severity: warning. On by default: yes. --fix: safe.\n"),
        ("HL201", "Severity: warning. On by default: yes. --fix: unsafe (needs --unsafe-fixes).\n"),
        ("HL002", "Severity: error. On by default: yes.\n"),
    ):
        assert main(["rule", code]) == 0
        assert want in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n", "0 False False False"),
        # a fixable finding needs its rule's verdict to mark it, never the fixers' edits or the
        # machinery that applies fixes
        ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, annotations: {x: 1}}\n", "1 True False False"),
    ],
)
def test_a_plain_check_imports_no_fix_machinery(tmp_path: Path, text: str, want: str) -> None:
    import subprocess
    import sys

    (tmp_path / "a.yaml").write_text(text)
    code = (
        "import sys; from hooklint.cli.launch import main; rc = main(['check', '--isolated', 'a.yaml']); "
        "print(rc, 'hooklint.fix.verdicts' in sys.modules, "
        "any(m in sys.modules for m in ('hooklint.fix.fixers', 'hooklint.fix.changes', 'hooklint.fix.text')), "
        "any(m in sys.modules for m in ('hooklint.fix.plan', 'hooklint.fix.run', 'difflib', 'typer')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[-1] == want
